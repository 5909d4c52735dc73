//! What campaign sending meets at scale: the messaging tier (unique users per rolling window),
//! phone-number quality changes that fire `phone_number_quality_update`, and faults injected on a
//! share of the requests.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;
use common::*;
use serde_json::{json, Value};
use wa_emulator::Config;

fn user(i: u32) -> String {
    format!("2783{i:07}")
}

#[tokio::test]
async fn tier_limit_counts_unique_users_in_a_rolling_window() {
    let emu = start(Config {
        tier_limit: 3,
        tier_window_secs: 600.0,
        pair_burst: 0,
        ..quiet()
    })
    .await;
    for i in 0..3 {
        assert_eq!(
            emu.send(PN1, VALID, order_confirmation(&user(i), "en_US"))
                .await
                .status,
            200
        );
    }
    // A fourth new user is over the tier: 131048, nothing recorded.
    let over = emu
        .send(PN1, VALID, order_confirmation(&user(3), "en_US"))
        .await;
    assert_eq!(
        over.code(),
        131048,
        "{}",
        String::from_utf8_lossy(&over.body)
    );
    assert_eq!(over.status, 429);
    assert!(over.json()["error"]["error_data"]["details"]
        .as_str()
        .unwrap()
        .contains("messaging limit of 3"));
    // A user already counted costs nothing more; so does a user whose window is open.
    assert_eq!(
        emu.send(PN1, VALID, order_confirmation(&user(0), "en_US"))
            .await
            .status,
        200
    );
    assert_eq!(
        emu.send(PN1, VALID, order_confirmation("27821234567", "en_US"))
            .await
            .status,
        200
    );
    // Another number has its own tier.
    assert_eq!(
        emu.send(PN2, VALID, order_confirmation(&user(3), "en_US"))
            .await
            .status,
        200
    );
    let sent = emu
        .control("GET", &format!("sent?phone_number_id={PN1}"), None)
        .await;
    assert_eq!(sent["messages"].as_array().unwrap().len(), 5);
    // The stats count accepted and refused sends per number and code.
    let stats = emu.control("GET", "stats", None).await;
    assert_eq!(stats["phone_numbers"][PN1]["accepted"], 5);
    assert_eq!(stats["phone_numbers"][PN1]["rejected"]["131048"], 1);
    assert_eq!(stats["phone_numbers"][PN2]["accepted"], 1);
    // The window rolls: ten minutes later the new user goes out.
    emu.control("POST", "clock/advance", Some(json!({"seconds": 601})))
        .await;
    assert_eq!(
        emu.send(PN1, VALID, order_confirmation(&user(3), "en_US"))
            .await
            .status,
        200
    );
}

#[tokio::test]
async fn control_api_sets_a_per_number_tier_limit() {
    let emu = start(Config {
        pair_burst: 0,
        ..quiet()
    })
    .await;
    // Off by default: many users go out.
    for i in 0..5 {
        assert_eq!(
            emu.send(PN2, VALID, order_confirmation(&user(i), "en_US"))
                .await
                .status,
            200
        );
    }
    emu.control(
        "POST",
        &format!("phone_numbers/{PN2}"),
        Some(json!({"messaging_limit_count": 6})),
    )
    .await;
    assert_eq!(
        emu.send(PN2, VALID, order_confirmation(&user(10), "en_US"))
            .await
            .status,
        200
    );
    // Users counted before the limit was set do not count (the log starts with the limit).
    assert_eq!(
        emu.send(PN2, VALID, order_confirmation(&user(11), "en_US"))
            .await
            .status,
        200
    );
    for i in 12..16 {
        emu.send(PN2, VALID, order_confirmation(&user(i), "en_US"))
            .await;
    }
    assert_eq!(
        emu.send(PN2, VALID, order_confirmation(&user(20), "en_US"))
            .await
            .code(),
        131048
    );
    // PN1 is unaffected; a reset clears the limit.
    assert_eq!(
        emu.send(PN1, VALID, order_confirmation(&user(20), "en_US"))
            .await
            .status,
        200
    );
    emu.control("POST", "reset", None).await;
    assert_eq!(
        emu.send(PN2, VALID, order_confirmation(&user(20), "en_US"))
            .await
            .status,
        200
    );
}

fn quality_hooks(log: &Value) -> Vec<Value> {
    log["webhooks"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|w| {
            w["payload"]["entry"][0]["changes"][0]["field"] == "phone_number_quality_update"
        })
        .cloned()
        .collect()
}

#[tokio::test]
async fn quality_changes_fire_signed_phone_number_quality_updates() {
    let emu = start(quiet()).await;
    let r = emu
        .control(
            "POST",
            &format!("phone_numbers/{PN1}"),
            Some(json!({"quality_rating": "RED"})),
        )
        .await;
    assert_eq!(r["phone_number"]["quality_rating"], "RED");
    assert_eq!(r["webhook"]["event"], "FLAGGED");
    let got = emu
        .get(&format!("/v25.0/{PN1}?fields=quality_rating"), Some(VALID))
        .await
        .json();
    assert_eq!(got["quality_rating"], "RED");

    emu.control(
        "POST",
        &format!("phone_numbers/{PN1}"),
        Some(json!({"messaging_limit": "TIER_250", "throughput_level": "HIGH"})),
    )
    .await;
    let got = emu
        .get(
            &format!("/v25.0/{PN1}?fields=whatsapp_business_manager_messaging_limit,throughput"),
            Some(VALID),
        )
        .await
        .json();
    assert_eq!(got["whatsapp_business_manager_messaging_limit"], "TIER_250");
    assert_eq!(got["throughput"]["level"], "HIGH");

    let log = emu.control("GET", "webhooks", None).await;
    let hooks = quality_hooks(&log);
    assert_eq!(hooks.len(), 2);
    let first = &hooks[0];
    let value = &first["payload"]["entry"][0]["changes"][0]["value"];
    assert_eq!(value["display_phone_number"], "15550100001");
    assert_eq!(value["event"], "FLAGGED");
    assert_eq!(value["current_limit"], "TIER_2K");
    assert_eq!(first["payload"]["entry"][0]["id"], WABA1);
    assert!(first["payload"]["entry"][0]["time"].is_i64());
    let body = first["body"].as_str().unwrap();
    assert_eq!(
        first["signature"],
        wa_emulator::util::sign("test-app-secret", body.as_bytes())
    );
    let second = &hooks[1]["payload"]["entry"][0]["changes"][0]["value"];
    assert_eq!(second["event"], "DOWNGRADE");
    assert_eq!(second["current_limit"], "TIER_250");

    // No change, no event; an explicit event is sent as given; bad input is refused.
    let same = emu
        .control(
            "POST",
            &format!("phone_numbers/{PN1}"),
            Some(json!({"quality_rating": "RED"})),
        )
        .await;
    assert!(same["webhook"].is_null());
    let up = emu
        .control(
            "POST",
            &format!("phone_numbers/{PN1}"),
            Some(json!({"quality_rating": "GREEN"})),
        )
        .await;
    assert_eq!(up["webhook"]["event"], "UNFLAGGED");
    for bad in [
        json!({"quality_rating": "BLUE"}),
        json!({"event": "NOPE"}),
        json!({"messaging_limit": "2000"}),
    ] {
        let r = emu
            .req(
                "POST",
                &format!("/_emulator/phone_numbers/{PN1}"),
                None,
                Some(bad),
            )
            .await;
        assert_eq!(r.status, 400);
    }
    assert_eq!(
        emu.req(
            "POST",
            "/_emulator/phone_numbers/999",
            None,
            Some(json!({}))
        )
        .await
        .status,
        404
    );

    // Reset restores the seeded number.
    emu.control("POST", "reset", None).await;
    let got = emu
        .get(
            &format!("/v25.0/{PN1}?fields=quality_rating,throughput"),
            Some(VALID),
        )
        .await
        .json();
    assert_eq!(got["quality_rating"], "GREEN");
    assert_eq!(got["throughput"]["level"], "STANDARD");
}

#[tokio::test]
async fn probabilistic_faults_hit_a_share_of_requests() {
    let emu = start(Config {
        throughput: 0,
        pair_burst: 0,
        ..quiet()
    })
    .await;
    emu.control(
        "POST",
        "faults",
        Some(json!({"match": {"path_contains": "/messages"}, "probability": 0.3, "fault": {"type": "http", "status": 503}})),
    )
    .await;
    emu.control(
        "POST",
        "faults",
        Some(json!({"match": {"path_contains": "/messages"}, "probability": 0.2, "fault": {"type": "graph_error", "code": 130429}})),
    )
    .await;
    let (mut ok, mut s503, mut thr) = (0, 0, 0);
    for i in 0..400 {
        let r = emu
            .send(PN1, VALID, order_confirmation(&user(i), "en_US"))
            .await;
        match (r.status, r.code()) {
            (200, _) => ok += 1,
            (503, _) => s503 += 1,
            (429, 130429) => thr += 1,
            other => panic!("unexpected {other:?}"),
        }
    }
    // 30 % then 20 % of the remaining 70 % (14 %): wide bounds, so the test never flakes.
    assert!((70..=180).contains(&s503), "503s: {s503}");
    assert!((25..=110).contains(&thr), "130429s: {thr}");
    let sent = emu.control("GET", "sent", None).await;
    assert_eq!(sent["messages"].as_array().unwrap().len(), ok);
    // Still listed (no count given), until cleared.
    let stats = emu.control("GET", "stats", None).await;
    assert_eq!(stats["faults"]["http"], s503);
    assert_eq!(stats["faults"]["graph_error"], thr);
    let faults = emu.control("GET", "faults", None).await;
    assert_eq!(faults["faults"][0]["probability"], 0.3);
    emu.control("DELETE", "faults", None).await;
    assert_eq!(
        emu.send(PN1, VALID, order_confirmation(&user(999), "en_US"))
            .await
            .status,
        200
    );
    for bad in [1.5, -0.1] {
        let r = emu
            .req(
                "POST",
                "/_emulator/faults",
                None,
                Some(json!({"probability": bad, "fault": {"type": "drop"}})),
            )
            .await;
        assert_eq!(r.status, 400);
    }
}

/// The level Graph reports for every number of a WABA, and for one number.
async fn levels(emu: &Emu) -> (Vec<String>, String) {
    let list = emu
        .get(
            &format!("/v25.0/{WABA1}/phone_numbers?fields=throughput"),
            Some(VALID),
        )
        .await
        .json();
    let all = list["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["throughput"]["level"].as_str().unwrap().to_owned())
        .collect();
    let one = emu
        .get(&format!("/v25.0/{PN3}?fields=throughput"), Some(VALID))
        .await
        .json();
    (all, one["throughput"]["level"].as_str().unwrap().to_owned())
}

#[tokio::test]
async fn graph_throughput_level_follows_the_throughput_flag() {
    let level = |s: &str| (vec![s.to_owned(), s.to_owned()], s.to_owned());
    // Meta's levels: STANDARD is 80/s, HIGH up to 1,000/s. No cap (0) has no level: the default.
    for (cap, expected) in [
        (80, "STANDARD"),
        (200, "STANDARD"),
        (999, "STANDARD"),
        (1000, "HIGH"),
        (5000, "HIGH"),
        (0, "STANDARD"),
    ] {
        let emu = start(Config {
            throughput: cap,
            ..quiet()
        })
        .await;
        assert_eq!(levels(&emu).await, level(expected), "--throughput {cap}");
    }

    let emu = start(Config {
        throughput: 1000,
        ..quiet()
    })
    .await;
    // The control API still changes one number's level; a reset goes back to the flag's level.
    emu.control(
        "POST",
        &format!("phone_numbers/{PN1}"),
        Some(json!({"throughput_level": "STANDARD", "event": "NONE"})),
    )
    .await;
    let (all, _) = levels(&emu).await;
    assert_eq!(all, vec!["STANDARD".to_owned(), "HIGH".to_owned()]);
    emu.control("POST", "reset", None).await;
    assert_eq!(levels(&emu).await, level("HIGH"));
}
