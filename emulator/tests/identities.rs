//! Username (business-scoped user id) and group traffic on request (issue 14): inbound messages
//! without a phone number, per-participant group receipts, sends to a BSUID and to a group.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;
use common::*;
use serde_json::{json, Value};

const BSUID: &str = "US.13491208655302741918";
const GROUP: &str = "Y2FwaV9ncm91cDoxNzA1NTU1MDEzOToxMjAzNjM0MDQ2OTQyMzM4MjAZD";

async fn last_webhook(emu: &Emu) -> Value {
    let log = emu.control("GET", "webhooks", None).await;
    let hooks = log["webhooks"].as_array().unwrap();
    let body: Value =
        serde_json::from_str(hooks.last().unwrap()["body"].as_str().unwrap()).unwrap();
    body["entry"][0]["changes"][0]["value"].clone()
}

#[tokio::test]
async fn a_user_with_a_username_writes_and_is_answered_by_bsuid() {
    let emu = start(quiet()).await;
    let r = emu
        .control(
            "POST",
            "inbound/username",
            Some(json!({"phone_number_id": PN1, "user_id": BSUID, "parent_user_id": "US.ENT.1181579921288684",
                        "username": "@realsheenanelson", "name": "Sheena", "text": "Does it come in another color?"})),
        )
        .await;
    let value = last_webhook(&emu).await;
    let m = &value["messages"][0];
    assert_eq!(m["id"], r["id"]);
    assert!(m.get("from").is_none(), "no phone number: {m}");
    assert_eq!(m["from_user_id"], BSUID);
    assert_eq!(m["from_parent_user_id"], "US.ENT.1181579921288684");
    assert_eq!(value["contacts"][0]["user_id"], BSUID);
    assert_eq!(
        value["contacts"][0]["profile"]["username"],
        "@realsheenanelson"
    );
    assert!(value["contacts"][0].get("wa_id").is_none());

    // The reply goes to the BSUID (`recipient`, no `to`): the window it opened is found.
    let sent = emu
        .send(PN1, VALID, json!({"messaging_product": "whatsapp", "recipient": BSUID, "type": "text", "text": {"body": "Yes, in green."}}))
        .await;
    assert_eq!(sent.status, 200, "{}", String::from_utf8_lossy(&sent.body));
    assert_eq!(
        sent.json()["contacts"],
        json!([{"input": BSUID, "user_id": BSUID}])
    );
    // Not a BSUID: refused as Meta does.
    let bad = emu
        .send(PN1, VALID, json!({"messaging_product": "whatsapp", "recipient": "13491208655302741918", "type": "text", "text": {"body": "x"}}))
        .await;
    assert_eq!(bad.status, 400);
    // A user who also shares a number: both ids, and `to` still works.
    emu.control(
        "POST",
        "inbound/username",
        Some(json!({"phone_number_id": PN1, "user_id": "US.55", "from": "+1 650 555 1234"})),
    )
    .await;
    let value = last_webhook(&emu).await;
    assert_eq!(value["messages"][0]["from"], "16505551234");
    assert_eq!(value["contacts"][0]["wa_id"], "16505551234");
}

#[tokio::test]
async fn group_messages_and_one_receipt_per_participant() {
    let emu = start(quiet()).await;
    emu.control(
        "POST",
        "inbound/username",
        Some(json!({"phone_number_id": PN1, "user_id": BSUID, "group_id": GROUP, "text": "What do you all think?"})),
    )
    .await;
    assert_eq!(last_webhook(&emu).await["messages"][0]["group_id"], GROUP);
    let sent = emu
        .send(PN1, VALID, json!({"messaging_product": "whatsapp", "recipient_type": "group", "to": GROUP, "type": "text", "text": {"body": "Hello group"}}))
        .await;
    assert_eq!(sent.status, 200, "{}", String::from_utf8_lossy(&sent.body));
    assert_eq!(sent.json()["contacts"], json!([{"input": GROUP}]));
    let wamid = sent.json()["messages"][0]["id"]
        .as_str()
        .unwrap()
        .to_owned();

    let r = emu
        .control(
            "POST",
            "group/receipts",
            Some(json!({"phone_number_id": PN1, "message_id": wamid, "group_id": GROUP, "status": "read",
                        "participants": [{"wa_id": "16505551234"}, {"user_id": BSUID, "username": "@realsheenanelson"}]})),
        )
        .await;
    assert_eq!(r["statuses"], 2);
    let value = last_webhook(&emu).await;
    let s = value["statuses"].as_array().unwrap();
    assert_eq!(s.len(), 2);
    for st in s {
        assert_eq!(st["id"], wamid.as_str());
        assert_eq!(st["recipient_id"], GROUP);
        assert_eq!(st["recipient_type"], "group");
    }
    assert_eq!(s[0]["recipient_participant_id"], "16505551234");
    assert_eq!(s[1]["recipient_participant_user_id"], BSUID);
    assert_eq!(
        value["contacts"][1]["profile"]["username"],
        "@realsheenanelson"
    );
    // Receipts need participants with an id.
    let bad = emu
        .req("POST", "/_emulator/group/receipts", None,
             Some(json!({"phone_number_id": PN1, "message_id": wamid, "group_id": GROUP, "participants": [{}]})))
        .await;
    assert_eq!(bad.status, 400);
}
