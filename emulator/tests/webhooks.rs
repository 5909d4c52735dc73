//! Webhooks: signature (checked with an HMAC written here, itself pinned to a vector computed
//! with `openssl dgst -sha256 -hmac`), PHP-style `\uXXXX` escaping, status progressions, template
//! status updates and inbound messages.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;
use bytes::Bytes;
use common::*;
use http_body_util::{BodyExt, Full};
use hyper_util::rt::TokioIo;
use serde_json::{json, Value};
use sha2::Digest;
use std::time::Duration;
use tokio::sync::mpsc;
use wa_emulator::Config;

/// HMAC-SHA256 (RFC 2104) built directly on SHA-256 — a different code path from the emulator's
/// `hmac` crate.
fn hmac_sha256_hex(key: &[u8], msg: &[u8]) -> String {
    let mut k = [0u8; 64];
    if key.len() > 64 {
        k[..32].copy_from_slice(&sha2::Sha256::digest(key));
    } else {
        k[..key.len()].copy_from_slice(key);
    }
    let mut inner = sha2::Sha256::new();
    inner.update(k.iter().map(|b| b ^ 0x36).collect::<Vec<u8>>());
    inner.update(msg);
    let ih = inner.finalize();
    let mut outer = sha2::Sha256::new();
    outer.update(k.iter().map(|b| b ^ 0x5c).collect::<Vec<u8>>());
    outer.update(ih);
    outer
        .finalize()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

#[test]
fn independent_hmac_matches_openssl_vector() {
    // printf '%s' "$BODY" | openssl dgst -sha256 -hmac test-app-secret
    let body =
        br#"{"object":"whatsapp_business_account","text":"Ol\u00e1 \ud83c\udf89 caf\u00e9"}"#;
    assert_eq!(
        hmac_sha256_hex(b"test-app-secret", body),
        "86722d5c91b76daffc9a719c8724ea9f656e033c96c94ac573606cc9ac929d72"
    );
    // RFC 4231 test case 6 (key longer than the block size).
    assert_eq!(
        hmac_sha256_hex(
            &[0xaa; 131],
            b"Test Using Larger Than Block-Size Key - Hash Key First"
        ),
        "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54"
    );
    // The emulator's own signer agrees.
    assert_eq!(
        wa_emulator::util::sign("test-app-secret", body),
        "sha256=86722d5c91b76daffc9a719c8724ea9f656e033c96c94ac573606cc9ac929d72"
    );
}

struct Hook {
    sig: String,
    content_type: String,
    body: Bytes,
}

async fn receiver() -> (String, mpsc::UnboundedReceiver<Hook>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/webhook", listener.local_addr().unwrap());
    let (tx, rx) = mpsc::unbounded_channel();
    tokio::spawn(async move {
        loop {
            let Ok((stream, _)) = listener.accept().await else {
                return;
            };
            let tx = tx.clone();
            tokio::spawn(async move {
                let svc = hyper::service::service_fn(
                    move |req: hyper::Request<hyper::body::Incoming>| {
                        let tx = tx.clone();
                        async move {
                            let h = |n: &str| {
                                req.headers()
                                    .get(n)
                                    .and_then(|v| v.to_str().ok())
                                    .unwrap_or("")
                                    .to_owned()
                            };
                            let (sig, content_type) = (h("x-hub-signature-256"), h("content-type"));
                            let body = req
                                .into_body()
                                .collect()
                                .await
                                .map(|b| b.to_bytes())
                                .unwrap_or_default();
                            let _ = tx.send(Hook {
                                sig,
                                content_type,
                                body,
                            });
                            Ok::<_, std::convert::Infallible>(hyper::Response::new(Full::new(
                                Bytes::from_static(b"OK"),
                            )))
                        }
                    },
                );
                let _ = hyper::server::conn::http1::Builder::new()
                    .serve_connection(TokioIo::new(stream), svc)
                    .await;
            });
        }
    });
    (url, rx)
}

async fn next(rx: &mut mpsc::UnboundedReceiver<Hook>) -> (Hook, Value) {
    let hook = tokio::time::timeout(Duration::from_secs(15), rx.recv())
        .await
        .expect("webhook timeout")
        .expect("channel closed");
    // Verify before parsing, over the exact bytes received.
    let expected = format!("sha256={}", hmac_sha256_hex(b"test-app-secret", &hook.body));
    assert_eq!(hook.sig, expected, "signature");
    assert_eq!(hook.content_type, "application/json");
    assert!(hook.body.is_ascii(), "non-ASCII must be escaped");
    let v: Value = serde_json::from_slice(&hook.body).unwrap();
    assert_eq!(v["object"], "whatsapp_business_account");
    (hook, v)
}

fn config(url: String) -> Config {
    Config {
        webhook_url: Some(url),
        status_interval_ms: 20,
        review_delay_secs: 5.0,
        ..quiet()
    }
}

#[tokio::test]
async fn inbound_message_webhook_is_signed_and_escaped() {
    let (url, mut rx) = receiver().await;
    let emu = start(config(url)).await;
    let r = emu
        .control(
            "POST",
            "inbound",
            Some(json!({"phone_number_id": PN1, "from": "27820000001", "text": "Olá 🎉 café/ok"})),
        )
        .await;
    let (hook, v) = next(&mut rx).await;
    let raw = String::from_utf8(hook.body.to_vec()).unwrap();
    // Keys in Meta's order, so the bytes look like the real thing.
    assert!(
        raw.starts_with(r#"{"object":"whatsapp_business_account","entry":[{"id":"200000000000001","changes":[{"value":{"messaging_product":"whatsapp","metadata":{"display_phone_number":"15550100001","phone_number_id":"300000000000001"},"contacts":"#),
        "{raw}"
    );
    assert!(raw.ends_with(r#""field":"messages"}]}]}"#), "{raw}");
    assert!(
        raw.contains(r"Ol\u00e1 \ud83c\udf89 caf\u00e9\/ok"),
        "{raw}"
    );
    let entry = &v["entry"][0];
    assert_eq!(entry["id"], WABA1);
    let change = &entry["changes"][0];
    assert_eq!(change["field"], "messages");
    let value = &change["value"];
    assert_eq!(value["messaging_product"], "whatsapp");
    assert_eq!(
        value["metadata"],
        json!({"display_phone_number": "15550100001", "phone_number_id": PN1})
    );
    assert_eq!(
        value["contacts"][0],
        json!({"profile": {"name": "Lerato Dlamini"}, "wa_id": "27820000001"})
    );
    let m = &value["messages"][0];
    assert_eq!(m["from"], "27820000001");
    assert_eq!(m["id"], r["id"]);
    assert_eq!(m["timestamp"], r["timestamp"]);
    assert_eq!(m["type"], "text");
    assert_eq!(m["text"]["body"], "Olá 🎉 café/ok");
    // The same bytes and signature are in the log.
    let log = emu.control("GET", "webhooks", None).await;
    assert_eq!(log["webhooks"][0]["body"].as_str().unwrap(), raw);
    assert_eq!(log["webhooks"][0]["signature"].as_str().unwrap(), hook.sig);
}

#[tokio::test]
async fn status_progression_sent_delivered_read() {
    let (url, mut rx) = receiver().await;
    let emu = start(config(url)).await;
    let r = emu
        .send(PN1, VALID, text_msg("27821234567", "hello"))
        .await
        .json();
    let wamid = r["messages"][0]["id"].as_str().unwrap().to_owned();
    let mut seen = vec![];
    for _ in 0..3 {
        let (_, v) = next(&mut rx).await;
        let value = &v["entry"][0]["changes"][0]["value"];
        let s = &value["statuses"][0];
        assert_eq!(s["id"], wamid.as_str());
        assert_eq!(s["recipient_id"], "27821234567");
        assert!(s["timestamp"].as_str().unwrap().parse::<i64>().is_ok());
        assert_eq!(s["pricing"]["category"], "service");
        assert_eq!(value["metadata"]["phone_number_id"], PN1);
        seen.push(s["status"].as_str().unwrap().to_owned());
    }
    assert_eq!(seen, ["sent", "delivered", "read"]);
    let sent = emu.control("GET", "sent", None).await;
    assert_eq!(sent["messages"][0]["status"], "read");
    // A recipient who doesn't read: sent, delivered only.
    emu.send(PN1, VALID, text_msg("27820000002", "hi")).await;
    let mut seen = vec![];
    for _ in 0..2 {
        let (_, v) = next(&mut rx).await;
        seen.push(
            v["entry"][0]["changes"][0]["value"]["statuses"][0]["status"]
                .as_str()
                .unwrap()
                .to_owned(),
        );
    }
    assert_eq!(seen, ["sent", "delivered"]);
    assert!(
        tokio::time::timeout(Duration::from_millis(300), rx.recv())
            .await
            .is_err(),
        "no read status expected"
    );
}

#[tokio::test]
async fn async_failure_mode_sends_failed_status() {
    let (url, mut rx) = receiver().await;
    let emu = start(Config {
        async_failures: true,
        ..config(url)
    })
    .await;
    let r = emu
        .send(PN1, VALID, order_confirmation("15550009999", "en_US"))
        .await;
    assert_eq!(r.status, 200);
    let (_, v) = next(&mut rx).await;
    let s = &v["entry"][0]["changes"][0]["value"]["statuses"][0];
    assert_eq!(s["status"], "failed");
    assert_eq!(s["errors"][0]["code"], 131026);
    assert!(s["errors"][0]["error_data"]["details"].is_string());
    let r = emu
        .send(PN1, VALID, text_msg("27820000001", "outside window"))
        .await;
    assert_eq!(r.status, 200);
    let (_, v) = next(&mut rx).await;
    assert_eq!(
        v["entry"][0]["changes"][0]["value"]["statuses"][0]["errors"][0]["code"],
        131047
    );
}

#[tokio::test]
async fn template_status_update_webhooks() {
    let (url, mut rx) = receiver().await;
    let emu = start(config(url)).await;
    let created = emu
        .post("/v25.0/200000000000001/message_templates", Some(VALID), json!({"name": "pickup_ready", "category": "UTILITY", "language": "en_US",
            "components": [{"type": "BODY", "text": "Hi {{1}}, your order is ready for pickup.", "example": {"body_text": [["Ann"]]}}]}))
        .await
        .json();
    let bad = emu
        .post("/v25.0/200000000000001/message_templates", Some(VALID), json!({"name": "pickup_bad", "category": "UTILITY", "language": "en_US",
            "components": [{"type": "BODY", "text": "Hi {{1}}{{2}}, your order is ready for pickup.", "example": {"body_text": [["a", "b"]]}}]}))
        .await
        .json();
    emu.control("POST", "clock/advance", Some(json!({"seconds": 5})))
        .await;
    let mut events = vec![];
    for _ in 0..2 {
        let (_, v) = next(&mut rx).await;
        let entry = &v["entry"][0];
        assert_eq!(entry["id"], WABA1);
        assert!(entry["time"].is_i64());
        assert_eq!(
            entry["changes"][0]["field"],
            "message_template_status_update"
        );
        events.push(entry["changes"][0]["value"].clone());
    }
    let ok = events
        .iter()
        .find(|e| e["message_template_name"] == "pickup_ready")
        .unwrap();
    assert_eq!(ok["event"], "APPROVED");
    assert_eq!(ok["reason"], "NONE");
    assert_eq!(ok["message_template_language"], "en_US");
    assert_eq!(
        ok["message_template_id"].to_string(),
        created["id"].as_str().unwrap()
    );
    let rej = events
        .iter()
        .find(|e| e["message_template_name"] == "pickup_bad")
        .unwrap();
    assert_eq!(rej["event"], "REJECTED");
    assert_eq!(rej["reason"], "INVALID_FORMAT");
    assert_eq!(rej["rejection_info"]["reason"], "INVALID_FORMAT");
    assert_eq!(
        rej["message_template_id"].to_string(),
        bad["id"].as_str().unwrap()
    );
    // Forcing a status through the control API also fires the webhook.
    emu.control(
        "POST",
        "templates/400000000000001/status",
        Some(json!({"status": "PAUSED"})),
    )
    .await;
    let (_, v) = next(&mut rx).await;
    assert_eq!(v["entry"][0]["changes"][0]["value"]["event"], "PAUSED");
}

#[tokio::test]
async fn webhook_url_can_be_set_at_runtime_and_failures_do_not_crash() {
    let emu = start(Config {
        status_interval_ms: 10,
        ..quiet()
    })
    .await;
    // Nobody listens on this port: delivery fails quietly.
    emu.control(
        "POST",
        "webhook",
        Some(json!({"url": "http://127.0.0.1:9/none"})),
    )
    .await;
    emu.send(PN1, VALID, text_msg("27821234567", "x")).await;
    let (url, mut rx) = receiver().await;
    emu.control("POST", "webhook", Some(json!({"url": url})))
        .await;
    emu.control(
        "POST",
        "inbound",
        Some(json!({"phone_number_id": PN3, "from": "27821234567", "text": "hi"})),
    )
    .await;
    loop {
        let (_, v) = next(&mut rx).await;
        if v["entry"][0]["changes"][0]["value"]["messages"].is_array() {
            assert_eq!(v["entry"][0]["id"], WABA2);
            break;
        }
    }
    assert_eq!(emu.get("/_emulator/health", None).await.status, 200);
}
