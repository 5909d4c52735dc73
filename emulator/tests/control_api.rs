//! The `/_emulator/` control API: faults, clock, rate limits, sent log, reset.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;
use common::*;
use serde_json::json;
use std::time::{Duration, Instant};
use wa_emulator::Config;

#[tokio::test]
async fn clock_advance_closes_and_inbound_reopens_window() {
    let emu = start(quiet()).await;
    let t0 = emu.control("GET", "clock", None).await["now"]
        .as_i64()
        .unwrap();
    assert_eq!(
        emu.send(PN1, VALID, text_msg("27821234567", "in window"))
            .await
            .status,
        200
    );
    // Last inbound was 1 h before start: 23 h later the window is closed.
    let t1 = emu
        .control(
            "POST",
            "clock/advance",
            Some(json!({"seconds": 23 * 3600 + 60})),
        )
        .await["now"]
        .as_i64()
        .unwrap();
    assert!(t1 >= t0 + 23 * 3600 + 60);
    assert_eq!(
        emu.send(PN1, VALID, text_msg("27821234567", "late"))
            .await
            .code(),
        131047
    );
    // Templates still go out.
    assert_eq!(
        emu.send(PN1, VALID, order_confirmation("27821234567", "en_US"))
            .await
            .status,
        200
    );
    emu.control(
        "POST",
        "inbound",
        Some(json!({"phone_number_id": PN1, "from": "27821234567", "text": "back"})),
    )
    .await;
    assert_eq!(
        emu.send(PN1, VALID, text_msg("27821234567", "reopened"))
            .await
            .status,
        200
    );
    // The window is per business number.
    assert_eq!(
        emu.send(PN2, VALID, text_msg("27821234567", "other number"))
            .await
            .code(),
        131047
    );
    assert_eq!(
        emu.req(
            "POST",
            "/_emulator/clock/advance",
            None,
            Some(json!({"seconds": -5}))
        )
        .await
        .status,
        400
    );
}

#[tokio::test]
async fn http_and_graph_error_faults() {
    let emu = start(quiet()).await;
    let f = emu
        .control("POST", "faults", Some(json!({"match": {"method": "POST", "path_contains": "/messages"}, "count": 2, "fault": {"type": "http", "status": 503}})))
        .await;
    assert!(f["id"].is_u64());
    // GETs don't match.
    assert_eq!(
        emu.get(&format!("/v25.0/{PN1}"), Some(VALID)).await.status,
        200
    );
    for _ in 0..2 {
        let r = emu.send(PN1, VALID, text_msg("27821234567", "x")).await;
        assert_eq!(r.status, 503);
        assert_eq!(r.headers["access-control-allow-origin"], "*");
    }
    assert_eq!(
        emu.send(PN1, VALID, text_msg("27821234567", "x"))
            .await
            .status,
        200
    );
    emu.control(
        "POST",
        "faults",
        Some(json!({"count": 1, "fault": {"type": "graph_error", "code": 130429}})),
    )
    .await;
    let r = emu.send(PN1, VALID, text_msg("27821234567", "x")).await;
    assert_eq!((r.status, r.code()), (429, 130429));
    emu.control("POST", "faults", Some(json!({"fault": {"type": "graph_error", "code": 131000, "subcode": 42, "http_status": 500, "message": "boom"}}))).await;
    let r = emu.send(PN1, VALID, text_msg("27821234567", "x")).await;
    assert_eq!((r.status, r.code(), r.subcode()), (500, 131000, 42));
    assert_eq!(r.json()["error"]["message"], "boom");
    // Faults never hit the control API; DELETE clears.
    emu.control(
        "POST",
        "faults",
        Some(json!({"count": 100, "fault": {"type": "http", "status": 500}})),
    )
    .await;
    assert_eq!(
        emu.control("GET", "faults", None).await["faults"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
    emu.control("DELETE", "faults", None).await;
    assert_eq!(
        emu.send(PN1, VALID, text_msg("27821234567", "x"))
            .await
            .status,
        200
    );
    // Bad fault definitions are rejected.
    assert_eq!(
        emu.req(
            "POST",
            "/_emulator/faults",
            None,
            Some(json!({"fault": {"type": "meteor"}}))
        )
        .await
        .status,
        400
    );
    // Only accepted sends are listed.
    assert_eq!(
        emu.control("GET", "sent", None).await["messages"]
            .as_array()
            .unwrap()
            .len(),
        2
    );
}

#[tokio::test]
async fn delay_fault() {
    let emu = start(quiet()).await;
    emu.control(
        "POST",
        "faults",
        Some(
            json!({"match": {"path_contains": "/messages"}, "fault": {"type": "delay", "ms": 400}}),
        ),
    )
    .await;
    let t = Instant::now();
    let r = emu.send(PN1, VALID, text_msg("27821234567", "slow")).await;
    assert!(t.elapsed() >= Duration::from_millis(400));
    assert_eq!(r.status, 200);
}

/// Issue 16: a delayed request is handled normally even when the client gives up and
/// disconnects during the delay (as a timed-out send still reaches Meta): the send is recorded.
#[tokio::test]
async fn delay_fault_is_handled_even_when_the_client_disconnects() {
    let emu = start(quiet()).await;
    emu.control(
        "POST",
        "faults",
        Some(
            json!({"match": {"path_contains": "/messages"}, "fault": {"type": "delay", "ms": 300}}),
        ),
    )
    .await;
    let body = serde_json::to_vec(&text_msg("27821234567", "given up")).unwrap();
    let h = [
        ("authorization", "Bearer test-token-valid"),
        ("content-type", "application/json"),
    ];
    let path = format!("/v25.0/{PN1}/messages");
    let gave_up = tokio::time::timeout(
        Duration::from_millis(50),
        try_request(&emu.addr, "POST", &path, &h, body),
    )
    .await;
    assert!(gave_up.is_err(), "the client gave up before the answer");
    tokio::time::sleep(Duration::from_millis(500)).await;
    let sent = emu.control("GET", "sent", None).await;
    let msgs = sent["messages"].as_array().unwrap();
    assert_eq!(msgs.len(), 1, "{sent}");
    assert_eq!(msgs[0]["body"]["text"]["body"], "given up");
}

#[tokio::test]
async fn drop_fault_applies_the_send_then_closes_without_answer() {
    let emu = start(quiet()).await;
    emu.control("POST", "faults", Some(json!({"match": {"method": "POST", "path_contains": "/messages"}, "count": 1, "fault": {"type": "drop"}}))).await;
    let body = serde_json::to_vec(&text_msg("27821234567", "ambiguous")).unwrap();
    let h = [
        ("authorization", "Bearer test-token-valid"),
        ("content-type", "application/json"),
    ];
    let r = try_request(
        &emu.addr,
        "POST",
        &format!("/v25.0/{PN1}/messages"),
        &h,
        body,
    )
    .await;
    assert!(
        r.is_err(),
        "expected the connection to close without a response"
    );
    let sent = emu.control("GET", "sent", None).await;
    let msgs = sent["messages"].as_array().unwrap();
    assert_eq!(msgs.len(), 1);
    assert_eq!(msgs[0]["body"]["text"]["body"], "ambiguous");
    // The next request is answered normally.
    assert_eq!(
        emu.send(PN1, VALID, text_msg("27821234567", "next"))
            .await
            .status,
        200
    );
}

#[tokio::test]
async fn throughput_cap_returns_130429() {
    let emu = std::sync::Arc::new(
        start(Config {
            throughput: 3,
            ..quiet()
        })
        .await,
    );
    let t = Instant::now();
    // Ten sends at once from one number (to different users, so the pair rate stays out of it).
    let tasks: Vec<_> = (0..10)
        .map(|i| {
            let emu = emu.clone();
            tokio::spawn(async move {
                emu.send(
                    PN1,
                    VALID,
                    order_confirmation(&format!("2782000{:04}", 100 + i), "en_US"),
                )
                .await
            })
        })
        .collect();
    let (mut ok, mut limited) = (0, 0);
    for task in tasks {
        let r = task.await.unwrap();
        match r.status {
            200 => ok += 1,
            _ => {
                assert_eq!(r.code(), 130429);
                assert_eq!(r.json()["error"]["is_transient"], true);
                limited += 1;
            }
        }
    }
    let secs = t.elapsed().as_secs_f64();
    assert!(limited > 0, "no 130429 in {secs:.2}s");
    assert!(
        ok as f64 <= 3.0 * (secs.ceil() + 1.0),
        "{ok} accepted in {secs:.2}s"
    );
    // Other numbers have their own budget.
    let r = emu
        .send(PN2, VALID, order_confirmation("27820000001", "en_US"))
        .await;
    assert_eq!(r.status, 200);
}

#[tokio::test]
async fn pair_rate_limit_returns_131056_and_refills_with_clock() {
    let emu = start(Config {
        pair_burst: 3,
        throughput: 0,
        ..quiet()
    })
    .await;
    for _ in 0..3 {
        assert_eq!(
            emu.send(PN1, VALID, text_msg("27821234567", "x"))
                .await
                .status,
            200
        );
    }
    let r = emu.send(PN1, VALID, text_msg("27821234567", "x")).await;
    assert_eq!(r.code(), 131056);
    // A different recipient is not affected.
    assert_eq!(
        emu.send(PN1, VALID, order_confirmation("27820000001", "en_US"))
            .await
            .status,
        200
    );
    emu.control("POST", "clock/advance", Some(json!({"seconds": 6})))
        .await;
    assert_eq!(
        emu.send(PN1, VALID, text_msg("27821234567", "x"))
            .await
            .status,
        200
    );
    assert_eq!(
        emu.send(PN1, VALID, text_msg("27821234567", "x"))
            .await
            .code(),
        131056
    );
}

#[tokio::test]
async fn reset_restores_seed() {
    let emu = start(quiet()).await;
    let q = "/oauth/access_token?client_id=900000000000001&client_secret=test-app-secret&code=test-code-valid";
    assert_eq!(emu.get(q, None).await.status, 200);
    emu.send(PN1, VALID, text_msg("27821234567", "x")).await;
    emu.post("/v25.0/200000000000001/message_templates", Some(VALID), json!({"name":"temp_one","category":"UTILITY","language":"en_US","components":[{"type":"BODY","text":"Hello there friend"}]})).await;
    emu.control("POST", "clock/advance", Some(json!({"seconds": 100000})))
        .await;
    emu.control(
        "POST",
        "faults",
        Some(json!({"fault": {"type": "http", "status": 500}})),
    )
    .await;
    let before = emu.control("GET", "clock", None).await["now"]
        .as_i64()
        .unwrap();
    emu.control("POST", "reset", None).await;
    let after = emu.control("GET", "clock", None).await["now"]
        .as_i64()
        .unwrap();
    assert!(after < before - 90_000);
    assert!(emu.control("GET", "sent", None).await["messages"]
        .as_array()
        .unwrap()
        .is_empty());
    assert!(emu.control("GET", "faults", None).await["faults"]
        .as_array()
        .unwrap()
        .is_empty());
    assert_eq!(emu.get(q, None).await.status, 200, "code usable again");
    assert_eq!(
        emu.send(PN1, VALID, text_msg("27821234567", "window open again"))
            .await
            .status,
        200
    );
    let r = emu
        .get(
            "/v25.0/200000000000001/message_templates?name=temp_one",
            Some(VALID),
        )
        .await
        .json();
    assert!(r["data"].as_array().unwrap().is_empty());
}

#[tokio::test]
async fn control_errors_are_json() {
    let emu = start(quiet()).await;
    let r = emu
        .req(
            "POST",
            "/_emulator/inbound",
            None,
            Some(json!({"from": "27821234567"})),
        )
        .await;
    assert_eq!(r.status, 400);
    assert!(r.json()["error"].is_string());
    assert_eq!(
        emu.req("GET", "/_emulator/nope", None, None).await.status,
        404
    );
    let r = try_request(
        &emu.addr,
        "POST",
        "/_emulator/faults",
        &[("content-type", "application/json")],
        b"[1,2".to_vec(),
    )
    .await
    .unwrap();
    assert_eq!(r.status, 400);
}

#[tokio::test]
async fn garbage_requests_never_crash_the_server() {
    let emu = start(quiet()).await;
    let bodies: Vec<&[u8]> = vec![b"", b"null", b"[]", b"{\"messaging_product\":5}", b"{\"messaging_product\":\"whatsapp\",\"to\":[1],\"type\":7}",
        b"{\"messaging_product\":\"whatsapp\",\"to\":\"27821234567\",\"type\":\"template\",\"template\":{\"name\":\"order_confirmation\",\"language\":{\"code\":\"en_US\"},\"components\":[{\"type\":\"button\",\"index\":\"99\"}]}}",
        b"{\"messaging_product\":\"whatsapp\",\"to\":\"27821234567\",\"type\":\"template\",\"template\":{\"name\":\"order_confirmation\",\"language\":{\"code\":\"en_US\"},\"components\":\"x\"}}",
        b"\xff\xfe\x00garbage"];
    let paths = [
        "/v25.0/300000000000001/messages",
        "/v25.0/300000000000001/media",
        "/v25.0/200000000000001/message_templates",
        "/%zz/%%",
        "/v25.0//",
        "/_emulator/inbound",
        "/_emulator/templates/x/status",
    ];
    for p in paths {
        for b in &bodies {
            for ct in [
                "application/json",
                "multipart/form-data; boundary=zz",
                "application/x-www-form-urlencoded",
            ] {
                let h = [
                    ("authorization", "Bearer test-token-valid"),
                    ("content-type", ct),
                ];
                let r = try_request(&emu.addr, "POST", p, &h, b.to_vec())
                    .await
                    .unwrap();
                assert!(
                    r.status >= 200 && r.status < 500,
                    "{p} {ct} -> {}",
                    r.status
                );
            }
        }
    }
    assert_eq!(emu.get("/_emulator/health", None).await.status, 200);
}
