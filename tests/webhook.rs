//! Native tests of the webhook core over the shared fixtures in tests/fixtures/webhooks/
//! (the JS tests read the same files).
#![cfg(not(target_arch = "wasm32"))]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use serde_json::{json, Value};
use whatsapp_business::{
    events_to_json, parse_webhook, parse_webhook_json, sign_webhook, verify_and_parse_webhook,
    verify_webhook_signature, AppSecret, WebhookEvent,
};

fn fixture(name: &str) -> Vec<u8> {
    let path = format!(
        "{}/tests/fixtures/webhooks/{name}",
        env!("CARGO_MANIFEST_DIR")
    );
    std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// The events as the JS side sees them (camelCase JSON, written as they are read), which are
/// the typed events' JSON exactly.
fn events(name: &str) -> Vec<Value> {
    let text = parse_webhook_json(&fixture(name)).unwrap_or_else(|e| panic!("{name}: {e}"));
    let events = parse_webhook(&fixture(name)).unwrap();
    assert_eq!(text, events_to_json(&events), "{name}");
    let v: Value = serde_json::from_str(&text).unwrap();
    v.as_array().unwrap().clone()
}

fn kinds(events: &[Value]) -> Vec<&str> {
    events.iter().map(|e| e["kind"].as_str().unwrap()).collect()
}

#[test]
fn text_message_with_context_contact_and_unknown_fields() {
    let ev = events("message-text.json");
    assert_eq!(ev.len(), 1);
    let m = &ev[0];
    assert_eq!(m["kind"], "message");
    assert_eq!(m["type"], "text");
    assert_eq!(
        m["text"]["body"], "Does it come in another color? Café 🎉",
        "\\u escapes decoded, surrogate pair joined"
    );
    assert_eq!(m["from"], "16505551234");
    assert_eq!(m["timestamp"], 1_749_416_383);
    assert_eq!(m["contactName"], "Sheena Nelson");
    assert_eq!(m["phoneNumberId"], "106540352242922");
    assert_eq!(m["displayPhoneNumber"], "15550783881");
    assert_eq!(m["wabaId"], "102290129340398");
    assert_eq!(
        m["context"],
        json!({"from": "15550783881", "id": "wamid.HBgLMTY0NjcwNDM1OTUVAgARGBI1RjQyNUE3NEYxMzAzMzQ5MkEA", "forwarded": false})
    );
    assert_eq!(
        m["dedupKey"],
        "message:wamid.HBgLMTY1MDM4Nzk0MzkVAgASGBQzQTRBNjU5OUFFRTAzODEwMTQ0RgA="
    );
    assert!(m.get("referral").is_none() && m.get("errors").is_none());
    assert!(m.get("some_future_field").is_none());
}

#[test]
fn media_messages() {
    let ev = events("message-media.json");
    let types: Vec<&str> = ev.iter().map(|e| e["type"].as_str().unwrap()).collect();
    assert_eq!(types, ["image", "video", "audio", "document", "sticker"]);
    assert_eq!(
        ev[0]["image"],
        json!({"caption": "Mi perrito", "mime_type": "image/jpeg", "sha256": "Q0Y0ODM1Mzg5NzI2NjE3Mw==",
               "id": "1003383421387256", "url": "https://lookaside.fbsbx.com/whatsapp_business/attachments/?mid=1003383421387256"}),
        "payloads are Meta's, verbatim"
    );
    assert_eq!(ev[2]["audio"]["voice"], true);
    assert_eq!(ev[3]["document"]["filename"], "factura-0042.pdf");
    assert_eq!(ev[4]["sticker"]["animated"], false);
    assert!(ev.iter().all(|e| e["contactName"] == "Pablo Morales"));
}

#[test]
fn location_and_contacts() {
    let ev = events("message-location-contacts.json");
    assert_eq!(
        ev[0]["location"],
        json!({"latitude": 52.516275, "longitude": 13.377704, "name": "Brandenburger Tor",
               "address": "Pariser Platz, 10117 Berlin", "url": "https://maps.example/bt"})
    );
    assert_eq!(ev[0]["contactName"], "Jürgen Groß");
    let card = &ev[1]["contacts"][0];
    assert_eq!(card["name"]["formatted_name"], "Anna Schmidt");
    assert_eq!(
        card["phones"][0],
        json!({"phone": "+49 151 1111111", "wa_id": "491511111111", "type": "CELL"})
    );
    assert_eq!(card["addresses"][0]["country_code"], "DE");
    assert_eq!(card["org"]["company"], "Beispiel GmbH");
    assert_eq!(card["birthday"], "1990-04-01");
}

#[test]
fn interactive_replies() {
    let ev = events("message-interactive.json");
    assert_eq!(
        ev[0]["interactive"],
        json!({"type": "button_reply", "button_reply": {"id": "confirm_yes", "title": "Yes"}})
    );
    assert_eq!(
        ev[1]["interactive"],
        json!({"type": "list_reply", "list_reply": {"id": "slot_10am", "title": "10:00", "description": "Tomorrow morning"}})
    );
    assert_eq!(ev[2]["interactive"]["type"], "nfm_reply");
    assert_eq!(
        ev[2]["interactive"]["nfm_reply"]["response_json"],
        "{\"flow_token\":\"abc\",\"rating\":\"5\"}"
    );
    assert_eq!(ev[2]["context"]["id"], "wamid.ASK3");
}

#[test]
fn button_reaction_order() {
    let ev = events("message-button-reaction-order.json");
    assert_eq!(
        ev[0]["button"],
        json!({"payload": "STOP_PROMOS", "text": "Stop promotions"})
    );
    assert_eq!(
        ev[1]["reaction"],
        json!({"message_id": "wamid.OUT1", "emoji": "👍"})
    );
    assert_eq!(
        ev[2]["reaction"],
        json!({"message_id": "wamid.OUT1"}),
        "removed reaction: no emoji"
    );
    let order = &ev[3]["order"];
    assert_eq!(order["catalog_id"], "194836987003835");
    assert_eq!(
        order["product_items"],
        json!([{"product_retailer_id": "di9ozbzfi4", "quantity": 2, "item_price": 30.5, "currency": "USD"},
               {"product_retailer_id": "nqryix03ez", "quantity": "1", "item_price": "9.99", "currency": "USD"}])
    );
}

#[test]
fn system_welcome_unsupported() {
    let ev = events("message-system-welcome-unsupported.json");
    assert_eq!(ev[0]["type"], "system");
    assert_eq!(ev[0]["system"]["type"], "user_changed_number");
    assert_eq!(ev[0]["system"]["new_wa_id"], "16505559999");
    assert_eq!(ev[1]["type"], "request_welcome");
    assert_eq!(ev[1]["dedupKey"], "message:wamid.WEL1");
    assert_eq!(ev[2]["type"], "unsupported");
    assert_eq!(ev[2]["unsupported"], json!({"type": "edit"}));
    assert_eq!(ev[2]["errors"][0]["code"], 131051);
    assert_eq!(
        ev[2]["errors"][0]["error_data"]["details"],
        "Message type is currently not supported."
    );
}

#[test]
fn referral() {
    let ev = events("message-referral.json");
    let r = &ev[0]["referral"];
    assert_eq!(r["source_type"], "ad");
    assert_eq!(r["source_id"], "120226305854810726");
    assert_eq!(r["media_type"], "image");
    assert!(r["ctwa_clid"].as_str().unwrap().starts_with("Aff-n8ZT"));
    assert_eq!(ev[0]["text"]["body"], "Hi, is the sale still on?");
}

#[test]
fn statuses_every_value_and_an_unknown_one() {
    let ev = events("statuses.json");
    assert_eq!(
        kinds(&ev),
        ["status", "status", "status", "status", "status", "unknown"]
    );
    let sent = &ev[0];
    assert_eq!(sent["status"], "sent");
    assert_eq!(sent["dedupKey"], "status:wamid.OUT1:sent");
    assert_eq!(sent["timestamp"], 1_750_263_773);
    assert_eq!(sent["recipientId"], "16505551234");
    assert_eq!(sent["bizOpaqueCallbackData"], "order-42");
    assert_eq!(
        sent["conversation"],
        json!({"id": "6ceb9d929c0f6c2d7a6d9f3e0f8bf3d8", "expiration_timestamp": "1750350173", "origin": {"type": "utility"}})
    );
    assert_eq!(
        sent["pricing"],
        json!({"billable": true, "pricing_model": "PMP", "category": "utility", "type": "regular"})
    );
    assert_eq!(ev[1]["dedupKey"], "status:wamid.OUT1:delivered");
    assert!(ev[1].get("conversation").is_none(), "v24+: no conversation");
    assert_eq!(ev[2]["status"], "read");
    assert_eq!(ev[3]["status"], "failed");
    assert_eq!(ev[3]["errors"][0]["code"], 131047);
    assert_eq!(ev[3]["errors"][0]["title"], "Re-engagement message");
    let typed = parse_webhook(&fixture("statuses.json")).unwrap();
    let codes: Vec<Vec<i64>> = typed
        .iter()
        .filter_map(|e| match e {
            WebhookEvent::Status(s) => Some(s.error_codes()),
            _ => None,
        })
        .collect();
    assert_eq!(codes, [vec![], vec![], vec![], vec![131047], vec![]]);
    assert_eq!(ev[4]["status"], "played");
    assert_eq!(ev[5]["reason"], "unknown_type");
    assert_eq!(ev[5]["raw"]["status"], "deleted");
    assert_eq!(ev[5]["phoneNumberId"], "106540352242922");
}

#[test]
fn management_events() {
    let t = &events("template-status.json")[0];
    assert_eq!(t["kind"], "template_status");
    assert_eq!(
        t["templateId"], "1689556908129832",
        "numeric id kept exact, as a string"
    );
    assert_eq!(t["event"], "REJECTED");
    assert_eq!(t["templateName"], "order_confirmation");
    assert_eq!(t["language"], "en_US");
    assert_eq!(t["reason"], "INCORRECT_CATEGORY");
    assert_eq!(t["value"]["message_template_category"], "MARKETING");
    assert_eq!(
        t["value"]["rejection_info"]["recommendation"],
        "Use the MARKETING category."
    );
    assert_eq!(t["timestamp"], 1_749_500_000);
    assert_eq!(
        t["dedupKey"],
        "template_status:1689556908129832:REJECTED:1749500000"
    );

    let q = &events("template-quality.json")[0];
    assert_eq!(q["kind"], "template_quality");
    assert_eq!(q["previousQualityScore"], "GREEN");
    assert_eq!(q["newQualityScore"], "YELLOW");
    assert_eq!(
        q["dedupKey"],
        "template_quality:1689556908129832:YELLOW:1749600000"
    );

    let p = &events("phone-number-quality.json")[0];
    assert_eq!(p["kind"], "phone_number_quality");
    assert_eq!(p["event"], "THROUGHPUT_UPGRADE");
    assert_eq!(p["currentLimit"], "TIER_10K");
    assert_eq!(p["value"]["max_daily_conversations_per_business"], 10000);
    assert_eq!(
        p["dedupKey"],
        "phone_number_quality:15550783881:THROUGHPUT_UPGRADE:1749700000"
    );

    let a = &events("account-update.json")[0];
    assert_eq!(a["kind"], "account_update");
    assert_eq!(a["event"], "ACCOUNT_RESTRICTION");
    assert_eq!(a["phoneNumber"], "15550783881");
    assert_eq!(
        a["value"]["restriction_info"][0]["restriction_type"],
        "RESTRICTED_ADD_PHONE_NUMBER_ACTION"
    );
    assert_eq!(
        a["dedupKey"],
        "account_update:102290129340398:ACCOUNT_RESTRICTION:1749800000"
    );
}

#[test]
fn unknown_things_are_kept_and_never_stop_the_rest() {
    let ev = events("unknown.json");
    assert_eq!(
        kinds(&ev),
        ["unknown", "unknown", "unknown", "unknown", "message", "unknown", "unknown"]
    );
    assert_eq!(ev[0]["field"], "flows");
    assert_eq!(ev[0]["reason"], "unknown_field");
    assert_eq!(ev[0]["raw"]["new_status"], "PUBLISHED");
    assert!(ev[0].get("phoneNumberId").is_none());
    assert_eq!(ev[1]["reason"], "unknown_type");
    assert_eq!(ev[1]["raw"]["type"], "edit");
    assert_eq!(ev[1]["raw"]["edit"]["original_message_id"], "wamid.X");
    assert_eq!(
        ev[2]["reason"], "unknown_type",
        "unknown interactive subtype"
    );
    assert_eq!(ev[2]["raw"]["id"], "wamid.INT9");
    assert_eq!(ev[3]["reason"], "invalid_shape", "bad timestamp");
    assert_eq!(ev[3]["raw"]["id"], "wamid.BAD1");
    assert_eq!(ev[4]["text"]["body"], "still parsed");
    assert_eq!(ev[5]["field"], "message_template_status_update");
    assert_eq!(ev[5]["reason"], "invalid_shape");
    assert_eq!(ev[6]["reason"], "value_errors");
    assert_eq!(ev[6]["raw"][0]["code"], 131000);
    for e in ev.iter().filter(|e| e["kind"] == "unknown") {
        let key = e["dedupKey"].as_str().unwrap();
        let (prefix, hash) = key.rsplit_once(':').unwrap();
        assert_eq!(prefix, format!("unknown:{}", e["field"].as_str().unwrap()));
        assert_eq!(hash.len(), 32);
        assert!(hash.bytes().all(|b| b.is_ascii_hexdigit()));
    }
}

#[test]
fn batched_entries_and_contact_matching() {
    let ev = events("batched.json");
    assert_eq!(kinds(&ev), ["message", "message", "status"]);
    assert_eq!(
        ev[0]["contactName"], "Bob",
        "matched by wa_id, not position"
    );
    assert_eq!(ev[1]["contactName"], "Alice");
    assert_eq!(ev[2]["wabaId"], "987654321098765");
    assert_eq!(ev[2]["phoneNumberId"], "555000999000111");
}

#[test]
fn dedup_keys_are_stable_across_deliveries_and_distinct_between_events() {
    let mut all = Vec::new();
    for name in [
        "message-text.json",
        "message-media.json",
        "message-location-contacts.json",
        "message-interactive.json",
        "message-button-reaction-order.json",
        "message-system-welcome-unsupported.json",
        "message-referral.json",
        "statuses.json",
        "template-status.json",
        "template-quality.json",
        "phone-number-quality.json",
        "account-update.json",
        "unknown.json",
        "batched.json",
    ] {
        let first: Vec<String> = parse_webhook(&fixture(name))
            .unwrap()
            .iter()
            .map(|e| e.dedup_key().to_owned())
            .collect();
        let again: Vec<String> = parse_webhook(&fixture(name))
            .unwrap()
            .iter()
            .map(|e| e.dedup_key().to_owned())
            .collect();
        assert_eq!(first, again, "{name}");
        all.extend(first);
    }
    let unique: std::collections::HashSet<&String> = all.iter().collect();
    assert_eq!(unique.len(), all.len(), "{all:#?}");
}

#[test]
fn management_dedup_without_time_uses_a_content_hash() {
    let body = br#"{"object":"whatsapp_business_account","entry":[{"id":"1","changes":[{"field":"message_template_status_update","value":{"event":"APPROVED","message_template_id":7,"message_template_name":"a","message_template_language":"en","reason":"NONE"}}]}]}"#;
    let ev = parse_webhook(body).unwrap();
    let key = ev[0].dedup_key();
    assert!(key.starts_with("template_status:7:APPROVED:h"), "{key}");
    assert_eq!(key.len(), "template_status:7:APPROVED:h".len() + 32);
}

#[test]
fn not_a_whatsapp_webhook_is_a_validation_error_with_a_path() {
    let cases: &[(&[u8], &str, &str)] = &[
        (b"", "", "webhook_invalid_json"),
        (b"  \n", "", "webhook_invalid_json"),
        (b"{", "", "webhook_invalid_json"),
        (b"\xff\xfe{}", "", "webhook_invalid_json"),
        (b"[]", "", "webhook_not_whatsapp"),
        (b"42", "", "webhook_not_whatsapp"),
        (b"{}", "object", "webhook_not_whatsapp"),
        (br#"{"object":"page","entry":[]}"#, "object", "webhook_not_whatsapp"),
        (br#"{"object":"instagram","entry":[{"id":"1","time":1,"changes":[]}]}"#, "object", "webhook_not_whatsapp"),
        (br#"{"object":"whatsapp_business_account"}"#, "entry", "webhook_not_whatsapp"),
        (br#"{"object":"whatsapp_business_account","entry":{}}"#, "entry", "webhook_not_whatsapp"),
        (br#"{"object":"whatsapp_business_account","entry":[1]}"#, "entry[0]", "webhook_not_whatsapp"),
        (br#"{"object":"whatsapp_business_account","entry":[{"changes":[]}]}"#, "entry[0].id", "webhook_not_whatsapp"),
        (br#"{"object":"whatsapp_business_account","entry":[{"id":"1","time":"soon","changes":[]}]}"#, "entry[0].time", "webhook_not_whatsapp"),
        (br#"{"object":"whatsapp_business_account","entry":[{"id":"1","changes":[]},{"id":"2"}]}"#, "entry[1].changes", "webhook_not_whatsapp"),
        (br#"{"object":"whatsapp_business_account","entry":[{"id":"1","changes":[{"value":{}}]}]}"#, "entry[0].changes[0].field", "webhook_not_whatsapp"),
        (br#"{"object":"whatsapp_business_account","entry":[{"id":"1","changes":[{"field":"messages"}]}]}"#, "entry[0].changes[0].value", "webhook_not_whatsapp"),
    ];
    for (body, path, code) in cases {
        let err = parse_webhook(body).expect_err(&String::from_utf8_lossy(body));
        assert_eq!(parse_webhook_json(body), Err(err.clone()));
        assert_eq!(err.kind().as_str(), "validation");
        assert_eq!(err.code(), *code, "{}", String::from_utf8_lossy(body));
        match &err {
            whatsapp_business::Error::Validation { issues } => {
                assert_eq!(issues[0].path, *path, "{}", String::from_utf8_lossy(body))
            }
            other => panic!("{other:?}"),
        }
    }
    // An empty but well-formed delivery is fine.
    assert!(
        parse_webhook(br#"{"object":"whatsapp_business_account","entry":[]}"#)
            .unwrap()
            .is_empty()
    );
    assert_eq!(
        parse_webhook_json(br#"{"object":"whatsapp_business_account","entry":[]}"#).unwrap(),
        "[]"
    );
}

#[test]
fn every_fixture_verifies_over_its_exact_bytes_only() {
    let secret = AppSecret::new("fixture-secret");
    let body = fixture("message-text.json");
    let header = sign_webhook(&body, &secret);
    assert_eq!(
        verify_webhook_signature(&body, Some(&header), std::slice::from_ref(&secret)),
        Ok(true)
    );
    // Re-serialising (what peers do) changes the bytes and must fail.
    let reserialised =
        serde_json::to_vec(&serde_json::from_slice::<Value>(&body).unwrap()).unwrap();
    assert_ne!(reserialised, body);
    assert_eq!(
        verify_webhook_signature(&reserialised, Some(&header), &[secret]),
        Ok(false)
    );
}

#[test]
fn verify_and_parse_is_verify_then_parse() {
    let secret = AppSecret::new("fixture-secret");
    for name in ["message-text.json", "statuses.json", "unknown.json"] {
        let body = fixture(name);
        let header = sign_webhook(&body, &secret);
        let events = verify_and_parse_webhook(&body, Some(&header), std::slice::from_ref(&secret))
            .unwrap()
            .expect("signed");
        assert_eq!(
            events_to_json(&events),
            events_to_json(&parse_webhook(&body).unwrap()),
            "{name}"
        );
        // Rotation: the right secret second.
        let both = [AppSecret::new("old"), secret.clone()];
        assert!(verify_and_parse_webhook(&body, Some(&header), &both)
            .unwrap()
            .is_some());
    }
    // A bad signature is `None`, and the body is not even parsed (not JSON here).
    let junk = b"not json at all";
    let junk_header = sign_webhook(junk, &AppSecret::new("attacker"));
    assert!(
        verify_and_parse_webhook(junk, Some(&junk_header), std::slice::from_ref(&secret))
            .unwrap()
            .is_none()
    );
    assert!(
        verify_and_parse_webhook(junk, None, std::slice::from_ref(&secret))
            .unwrap()
            .is_none()
    );
    // Validly signed but not a webhook: the parse error.
    let header = sign_webhook(junk, &secret);
    let e =
        verify_and_parse_webhook(junk, Some(&header), std::slice::from_ref(&secret)).unwrap_err();
    assert_eq!(e.code(), "webhook_invalid_json");
    // Configuration errors come first, without the secret.
    let e = verify_and_parse_webhook(junk, Some(&header), &[]).unwrap_err();
    assert_eq!(e.code(), "webhook_secret_missing");
    let e = verify_and_parse_webhook(
        junk,
        Some(&header),
        &[AppSecret::new("supersecretvalue"), AppSecret::new("")],
    )
    .unwrap_err();
    assert_eq!(e.code(), "webhook_secret_empty");
    assert!(!format!("{e} {e:?}").contains("supersecretvalue"));
}

#[test]
fn known_non_ascii_vector_from_python() {
    // python3 -c 'import hmac,hashlib;print(hmac.new("s3cr\u00e9t".encode(),
    //   "{\"text\":\"Café 🎉\"}".encode(), hashlib.sha256).hexdigest())'
    let body = "{\"text\":\"Café 🎉\"}".as_bytes();
    let secret = AppSecret::new("s3cr\u{e9}t");
    let expected = format!("sha256={}", NON_ASCII_HEX);
    assert_eq!(sign_webhook(body, &secret), expected);
}

const NON_ASCII_HEX: &str = "ec61c8dfd29815c16e162b4f587694e2cd672cf8916308e2ab70d01c774a4dc0";

mod props {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2000))]

        #[test]
        fn arbitrary_bytes_never_panic(body in proptest::collection::vec(any::<u8>(), 0..1024)) {
            let _ = parse_webhook(&body);
            let _ = verify_webhook_signature(&body, Some("sha256=00"), &[AppSecret::new("k")]);
            // Signed, so the parse half runs on the arbitrary bytes too.
            let secret = AppSecret::new("k");
            let header = sign_webhook(&body, &secret);
            let both = verify_and_parse_webhook(&body, Some(&header), &[secret]);
            prop_assert_eq!(both.is_ok(), parse_webhook(&body).is_ok());
        }

        #[test]
        fn arbitrary_json_shapes_never_panic(
            field in prop_oneof![Just("messages".to_owned()), Just("account_update".to_owned()),
                                 Just("message_template_status_update".to_owned()), "[a-z_]{1,12}"],
            value in arb_json(3),
            msg in arb_json(3),
        ) {
            let body = json!({"object": "whatsapp_business_account", "entry": [
                {"id": "1", "changes": [
                    {"field": field, "value": value},
                    {"field": "messages", "value": {"metadata": {"display_phone_number": "1", "phone_number_id": "2"},
                                                    "messages": [msg.clone()], "statuses": [msg]}}
                ]}]});
            let events = parse_webhook(body.to_string().as_bytes()).unwrap();
            prop_assert_eq!(events.len() >= 2, true);
        }
    }

    fn arb_json(depth: u32) -> impl Strategy<Value = Value> {
        let leaf = prop_oneof![
            Just(Value::Null),
            any::<bool>().prop_map(Value::from),
            any::<i64>().prop_map(Value::from),
            any::<f64>()
                .prop_filter("finite", |f| f.is_finite())
                .prop_map(Value::from),
            prop_oneof![
                Just("text".to_owned()),
                Just("interactive".to_owned()),
                Just("sent".to_owned()),
                Just("1700000000".to_owned()),
                "\\PC{0,12}"
            ]
            .prop_map(Value::from),
        ];
        leaf.prop_recursive(depth, 48, 6, |inner| {
            prop_oneof![
                proptest::collection::vec(inner.clone(), 0..4).prop_map(Value::from),
                proptest::collection::btree_map(
                    prop_oneof![
                        Just("type".to_owned()),
                        Just("id".to_owned()),
                        Just("from".to_owned()),
                        Just("timestamp".to_owned()),
                        Just("text".to_owned()),
                        Just("status".to_owned()),
                        Just("event".to_owned()),
                        Just("interactive".to_owned()),
                        "[a-z_]{1,8}"
                    ],
                    inner,
                    0..6
                )
                .prop_map(|m| Value::Object(m.into_iter().collect())),
            ]
        })
    }
}
