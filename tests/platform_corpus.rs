//! The platform fixture corpus (`tests/fixtures/platform/`, issue 14), run natively. The same
//! files run through the built package in Node and workerd (`tests/js/platform.test.mjs`, with the
//! shared checker `tests/js/platform-corpus.mjs`).
//!
//! Webhooks: every fixture parses to the events it expects (no `unknown` for a known type), every
//! message and status event keeps its object whole in `raw` (equal to the input), the typed
//! fields agree with `raw` (typed event + kept keys = the input), and dedup keys are distinct.
//! Sends: see `sends` below.

use serde_json::{Map, Value};
use std::fs;
use std::path::{Path, PathBuf};
use whatsapp_business::{events_to_json, parse_webhook};

fn corpus(dir: &str) -> Vec<(String, Value)> {
    let base = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/platform").join(dir);
    let mut files: Vec<PathBuf> = fs::read_dir(&base)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    files.sort();
    assert!(!files.is_empty(), "no fixtures in {}", base.display());
    files
        .into_iter()
        .map(|p| {
            let text = fs::read_to_string(&p).unwrap();
            let v: Value = serde_json::from_str(&text).unwrap();
            let name = p.file_name().unwrap().to_string_lossy().into_owned();
            assert!(
                v["source"].as_str().is_some_and(|s| s.contains("http")),
                "{name}: every fixture cites the page it comes from (source)"
            );
            (name, v)
        })
        .collect()
}

/// The message and status objects of a delivery, in order (what the events' `raw` must be).
fn inputs(body: &Value) -> Vec<Value> {
    let mut out = Vec::new();
    for entry in body["entry"].as_array().unwrap() {
        for change in entry["changes"].as_array().unwrap() {
            let value = &change["value"];
            if change["field"] != "messages" {
                out.push(value.clone());
                continue;
            }
            for key in ["messages", "statuses"] {
                for item in value[key].as_array().into_iter().flatten() {
                    out.push(item.clone());
                }
            }
        }
    }
    out
}

/// The typed fields of an event and the raw keys they come from (`None`: a derived field).
const MESSAGE_KEYS: &[(&str, &str)] = &[
    ("id", "id"),
    ("from", "from"),
    ("fromUserId", "from_user_id"),
    ("fromParentUserId", "from_parent_user_id"),
    ("groupId", "group_id"),
    ("type", "type"),
    ("context", "context"),
    ("referral", "referral"),
    ("errors", "errors"),
];
const STATUS_KEYS: &[(&str, &str)] = &[
    ("id", "id"),
    ("status", "status"),
    ("recipientId", "recipient_id"),
    ("recipientUserId", "recipient_user_id"),
    ("recipientType", "recipient_type"),
    ("recipientParticipantId", "recipient_participant_id"),
    ("recipientParticipantUserId", "recipient_participant_user_id"),
    ("recipientParticipantParentUserId", "recipient_participant_parent_user_id"),
    ("bizOpaqueCallbackData", "biz_opaque_callback_data"),
    ("conversation", "conversation"),
    ("pricing", "pricing"),
    ("errors", "errors"),
];

/// Typed event + kept raw keys = the input: each typed field equals the raw key it models, and
/// the raw object equals the input object.
fn check_round_trip(name: &str, event: &Map<String, Value>, input: &Value) {
    let raw = &event["raw"];
    assert_eq!(raw, input, "{name}: raw is the input object, every key kept");
    let keys = if event["kind"] == "message" {
        MESSAGE_KEYS
    } else {
        STATUS_KEYS
    };
    for (typed, key) in keys {
        assert_eq!(
            event.get(*typed),
            raw.get(*key),
            "{name}: {typed} is the input's {key}"
        );
    }
    if event["kind"] == "message" {
        let t = event["type"].as_str().unwrap();
        assert_eq!(event.get(t), raw.get(t), "{name}: the {t} payload verbatim");
        assert_eq!(
            event["timestamp"].as_i64().unwrap().to_string(),
            raw["timestamp"].as_str().unwrap(),
            "{name}: timestamp"
        );
    } else {
        assert_eq!(
            event["timestamp"].as_i64().unwrap().to_string(),
            raw["timestamp"].as_str().unwrap(),
            "{name}: timestamp"
        );
        let parent = ["recipient_parent_user_id", "parent_recipient_user_id", "parent_user_id"]
            .iter()
            .find_map(|k| raw.get(*k));
        assert_eq!(event.get("recipientParentUserId"), parent, "{name}: parent user id");
    }
}

#[test]
fn webhooks() {
    let mut seen_types = std::collections::BTreeSet::new();
    for (name, fixture) in corpus("webhooks") {
        let body = serde_json::to_string(&fixture["body"]).unwrap();
        let events = parse_webhook(body.as_bytes()).unwrap_or_else(|e| panic!("{name}: {e}"));
        let events: Vec<Value> = serde_json::from_str(&events_to_json(&events)).unwrap();
        let expect = fixture["expect"].as_array().unwrap();
        assert_eq!(events.len(), expect.len(), "{name}: number of events");
        let inputs = inputs(&fixture["body"]);
        assert_eq!(inputs.len(), events.len(), "{name}: one event per input object");
        let mut keys = std::collections::BTreeSet::new();
        for ((event, want), input) in events.iter().zip(expect).zip(&inputs) {
            let event = event.as_object().unwrap();
            for (k, v) in want.as_object().unwrap() {
                assert_eq!(event.get(k), Some(v), "{name}: {k} of {event:?}");
            }
            assert!(keys.insert(event["dedupKey"].as_str().unwrap().to_owned()), "{name}: dedup keys are distinct");
            match event["kind"].as_str().unwrap() {
                "message" | "status" => {
                    check_round_trip(&name, event, input);
                    seen_types.insert(format!(
                        "{}:{}",
                        event["kind"].as_str().unwrap(),
                        event
                            .get("type")
                            .or(event.get("status"))
                            .and_then(Value::as_str)
                            .unwrap()
                    ));
                }
                "unknown" => assert_eq!(&event["raw"], input, "{name}: unknown keeps the value"),
                other => panic!("{name}: unexpected kind {other}"),
            }
        }
    }
    // Every message type and status value the library types is in the corpus.
    for t in [
        "text", "image", "video", "audio", "document", "sticker", "location", "contacts",
        "interactive", "button", "reaction", "order", "system", "request_welcome", "unsupported",
    ] {
        assert!(seen_types.contains(&format!("message:{t}")), "no fixture for {t}");
    }
    for s in ["sent", "delivered", "read", "failed", "played"] {
        assert!(seen_types.contains(&format!("status:{s}")), "no fixture for status {s}");
    }
}

#[test]
fn location_numbers_come_back_as_their_text() {
    // Written by hand: serde_json (without float_roundtrip) would itself round
    // 62.216009808114364 to 62.21600980811437 on the way into the test.
    let body = r#"{"object":"whatsapp_business_account","entry":[{"id":"1","changes":[{"field":"messages","value":{"messaging_product":"whatsapp","metadata":{"display_phone_number":"15550783881","phone_number_id":"2"},"messages":[{"from_user_id":"US.1","id":"wamid.L","timestamp":"1749416383","type":"location","location":{"latitude":62.216009808114364,"longitude":-0.000000000000000000001e0}}]}}]}]}"#;
    let events = events_to_json(&parse_webhook(body.as_bytes()).unwrap());
    let want = r#""location":{"latitude":62.216009808114364,"longitude":-0.000000000000000000001e0}"#;
    assert_eq!(events.matches(want).count(), 2, "payload and raw: {events}");
}
