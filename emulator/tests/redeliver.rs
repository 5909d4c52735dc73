//! Redelivery (`POST /_emulator/webhooks/redeliver`) and back-dated inbound messages
//! (`seconds_ago`): what the edge worker's tests need to act like Meta redelivering and like a
//! customer who wrote more than 24 hours ago.
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
use std::sync::atomic::{AtomicU16, Ordering};
use std::sync::{Arc, Mutex};

/// A webhook receiver that records (signature, body) and answers `status`.
struct Receiver {
    url: String,
    got: Arc<Mutex<Vec<(String, Bytes)>>>,
    status: Arc<AtomicU16>,
}

async fn receiver() -> Receiver {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/hook", listener.local_addr().unwrap());
    let got = Arc::new(Mutex::new(Vec::new()));
    let status = Arc::new(AtomicU16::new(200));
    let (g, s) = (got.clone(), status.clone());
    tokio::spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            let (g, s) = (g.clone(), s.clone());
            tokio::spawn(async move {
                let svc = hyper::service::service_fn(
                    move |req: hyper::Request<hyper::body::Incoming>| {
                        let (g, s) = (g.clone(), s.clone());
                        async move {
                            let sig = req
                                .headers()
                                .get("x-hub-signature-256")
                                .and_then(|v| v.to_str().ok())
                                .unwrap_or("")
                                .to_owned();
                            let body = req.into_body().collect().await.unwrap().to_bytes();
                            g.lock().unwrap().push((sig, body));
                            let mut resp =
                                hyper::Response::new(Full::new(Bytes::from_static(b"ok")));
                            *resp.status_mut() =
                                hyper::StatusCode::from_u16(s.load(Ordering::SeqCst)).unwrap();
                            Ok::<_, std::convert::Infallible>(resp)
                        }
                    },
                );
                let _ = hyper::server::conn::http1::Builder::new()
                    .serve_connection(TokioIo::new(stream), svc)
                    .await;
            });
        }
    });
    Receiver { url, got, status }
}

async fn recorded(emu: &Emu) -> Vec<Value> {
    emu.control("GET", "webhooks", None).await["webhooks"]
        .as_array()
        .unwrap()
        .clone()
}

#[tokio::test]
async fn redelivers_the_exact_bytes_concurrently_and_reports_each_status() {
    let emu = start(quiet()).await;
    let rx = receiver().await;
    emu.control("POST", "webhook", Some(json!({"url": rx.url})))
        .await;
    emu.control(
        "POST",
        "inbound",
        Some(json!({"phone_number_id": PN1, "from": "27821234567", "text": "hi"})),
    )
    .await;
    // The original delivery runs in the background.
    for _ in 0..100 {
        if !rx.got.lock().unwrap().is_empty() {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    let log = recorded(&emu).await;
    assert_eq!(log.len(), 1);
    let answer = emu
        .control("POST", "webhooks/redeliver", Some(json!({"times": 25})))
        .await;
    assert_eq!(answer["deliveries"][0]["index"], 0);
    assert_eq!(answer["deliveries"][0]["statuses"], json!(vec![200; 25]));
    let got = rx.got.lock().unwrap().clone();
    assert_eq!(got.len(), 26);
    for (sig, body) in &got {
        assert_eq!(sig, log[0]["signature"].as_str().unwrap());
        assert_eq!(body.as_ref(), log[0]["body"].as_str().unwrap().as_bytes());
    }

    // The receiver's answer is reported, not retried.
    rx.status.store(503, Ordering::SeqCst);
    let answer = emu
        .control(
            "POST",
            "webhooks/redeliver",
            Some(json!({"indices": [0], "times": 2})),
        )
        .await;
    assert_eq!(answer["deliveries"][0]["statuses"], json!([503, 503]));
    assert_eq!(rx.got.lock().unwrap().len(), 28);
}

#[tokio::test]
async fn redelivers_in_the_given_order_to_another_url() {
    let emu = start(quiet()).await;
    let first = receiver().await;
    emu.control("POST", "webhook", Some(json!({"url": first.url})))
        .await;
    for text in ["one", "two", "three"] {
        emu.control(
            "POST",
            "inbound",
            Some(json!({"phone_number_id": PN1, "from": "27821234567", "text": text})),
        )
        .await;
    }
    let other = receiver().await;
    emu.control(
        "POST",
        "webhooks/redeliver",
        Some(json!({"indices": [2, 0, 1], "url": other.url})),
    )
    .await;
    let bodies: Vec<String> = other
        .got
        .lock()
        .unwrap()
        .iter()
        .map(|(_, b)| {
            let v: Value = serde_json::from_slice(b).unwrap();
            v["entry"][0]["changes"][0]["value"]["messages"][0]["text"]["body"]
                .as_str()
                .unwrap()
                .to_owned()
        })
        .collect();
    assert_eq!(bodies, ["three", "one", "two"]);
}

#[tokio::test]
async fn redeliver_rejects_bad_input() {
    let emu = start(quiet()).await;
    let path = "/_emulator/webhooks/redeliver";
    let r = emu.post(path, None, json!({})).await;
    assert_eq!(r.status, 400, "nothing recorded yet");
    emu.control(
        "POST",
        "inbound",
        Some(json!({"phone_number_id": PN1, "from": "27821234567"})),
    )
    .await;
    for body in [
        json!({"indices": [5], "url": "http://127.0.0.1:9/x"}),
        json!({"times": 0, "url": "http://127.0.0.1:9/x"}),
        json!({"times": 1001, "url": "http://127.0.0.1:9/x"}),
        json!({"url": "https://example.com/"}),
        json!({"indices": "0"}),
        json!({}), // no webhook URL configured and none given
    ] {
        let r = emu.post(path, None, body.clone()).await;
        assert_eq!(
            r.status,
            400,
            "{body}: {}",
            String::from_utf8_lossy(&r.body)
        );
    }
}

#[tokio::test]
async fn an_inbound_message_can_be_back_dated_and_then_its_window_is_closed() {
    let emu = start(quiet()).await;
    let now = emu.control("GET", "clock", None).await["now"]
        .as_i64()
        .unwrap();
    let user = "27829990001";
    let m = emu
        .control(
            "POST",
            "inbound",
            Some(json!({"phone_number_id": PN1, "from": user, "seconds_ago": 90000})),
        )
        .await;
    let ts: i64 = m["timestamp"].as_str().unwrap().parse().unwrap();
    assert!(
        (now - 90000 - 1..=now - 90000 + 1).contains(&ts),
        "{ts} vs {now}"
    );
    let log = recorded(&emu).await;
    assert_eq!(
        log[0]["payload"]["entry"][0]["changes"][0]["value"]["messages"][0]["timestamp"],
        m["timestamp"]
    );
    // 25 hours ago: the window is closed, so a free-form send is refused with 131047.
    let r = emu.send(PN1, VALID, text_msg(user, "hello")).await;
    assert_eq!(r.code(), 131047);
    // A fresh message opens it again.
    emu.control(
        "POST",
        "inbound",
        Some(json!({"phone_number_id": PN1, "from": user})),
    )
    .await;
    let r = emu.send(PN1, VALID, text_msg(user, "hello")).await;
    assert_eq!(r.status, 200, "{}", String::from_utf8_lossy(&r.body));
    // A back-dated message arriving after a newer one leaves the window open.
    emu.control(
        "POST",
        "inbound",
        Some(json!({"phone_number_id": PN1, "from": user, "seconds_ago": 200000})),
    )
    .await;
    let r = emu.send(PN1, VALID, text_msg(user, "still open")).await;
    assert_eq!(r.status, 200, "{}", String::from_utf8_lossy(&r.body));

    let bad = emu
        .post(
            "/_emulator/inbound",
            None,
            json!({"phone_number_id": PN1, "from": user, "seconds_ago": -1}),
        )
        .await;
    assert_eq!(bad.status, 400);
}
