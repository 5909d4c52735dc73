//! The platform fixture corpus (`tests/fixtures/platform/`, issue 14), run natively. The same
//! files run through the built package in Node and workerd (`tests/js/platform.test.mjs`, with the
//! shared checker `tests/js/platform-corpus.mjs`).
//!
//! Webhooks: every fixture parses to the events it expects (no `unknown` for a known type), every
//! message and status event keeps its object whole in `raw` (equal to the input), the typed
//! fields agree with `raw` (typed event + kept keys = the input), and dedup keys are distinct.
//! Sends: see `sends` below.
#![cfg(not(target_arch = "wasm32"))]
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use serde_json::{Map, Value};
use std::fs;
use std::path::{Path, PathBuf};
use whatsapp_business::{
    build_request_json, events_to_json, parse_webhook, parse_webhook_json, Error,
};

fn corpus(dir: &str) -> Vec<(String, Value)> {
    let base = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/platform")
        .join(dir);
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
    (
        "recipientParticipantUserId",
        "recipient_participant_user_id",
    ),
    (
        "recipientParticipantParentUserId",
        "recipient_participant_parent_user_id",
    ),
    ("bizOpaqueCallbackData", "biz_opaque_callback_data"),
    ("conversation", "conversation"),
    ("pricing", "pricing"),
    ("errors", "errors"),
];

/// Typed event + kept raw keys = the input: each typed field equals the raw key it models, and
/// the raw object equals the input object.
fn check_round_trip(name: &str, event: &Map<String, Value>, input: &Value) {
    let raw = &event["raw"];
    assert_eq!(
        raw, input,
        "{name}: raw is the input object, every key kept"
    );
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
        let parent = [
            "recipient_parent_user_id",
            "parent_recipient_user_id",
            "parent_user_id",
        ]
        .iter()
        .find_map(|k| raw.get(*k));
        assert_eq!(
            event.get("recipientParentUserId"),
            parent,
            "{name}: parent user id"
        );
    }
}

#[test]
fn webhooks() {
    let mut seen_types = std::collections::BTreeSet::new();
    for (name, fixture) in corpus("webhooks") {
        let body = serde_json::to_string(&fixture["body"]).unwrap();
        let events = parse_webhook(body.as_bytes()).unwrap_or_else(|e| panic!("{name}: {e}"));
        let text = events_to_json(&events);
        assert_eq!(parse_webhook_json(body.as_bytes()).unwrap(), text, "{name}");
        let events: Vec<Value> = serde_json::from_str(&text).unwrap();
        let expect = fixture["expect"].as_array().unwrap();
        assert_eq!(events.len(), expect.len(), "{name}: number of events");
        let inputs = inputs(&fixture["body"]);
        assert_eq!(
            inputs.len(),
            events.len(),
            "{name}: one event per input object"
        );
        let mut keys = std::collections::BTreeSet::new();
        for ((event, want), input) in events.iter().zip(expect).zip(&inputs) {
            let event = event.as_object().unwrap();
            for (k, v) in want.as_object().unwrap() {
                assert_eq!(event.get(k), Some(v), "{name}: {k} of {event:?}");
            }
            assert!(
                keys.insert(event["dedupKey"].as_str().unwrap().to_owned()),
                "{name}: dedup keys are distinct"
            );
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
        "text",
        "image",
        "video",
        "audio",
        "document",
        "sticker",
        "location",
        "contacts",
        "interactive",
        "button",
        "reaction",
        "order",
        "system",
        "request_welcome",
        "unsupported",
    ] {
        assert!(
            seen_types.contains(&format!("message:{t}")),
            "no fixture for {t}"
        );
    }
    for s in ["sent", "delivered", "read", "failed", "played"] {
        assert!(
            seen_types.contains(&format!("status:{s}")),
            "no fixture for status {s}"
        );
    }
}

#[test]
fn location_numbers_come_back_as_their_text() {
    // Written by hand: serde_json (without float_roundtrip) would itself round
    // 62.216009808114364 to 62.21600980811437 on the way into the test.
    let body = r#"{"object":"whatsapp_business_account","entry":[{"id":"1","changes":[{"field":"messages","value":{"messaging_product":"whatsapp","metadata":{"display_phone_number":"15550783881","phone_number_id":"2"},"messages":[{"from_user_id":"US.1","id":"wamid.L","timestamp":"1749416383","type":"location","location":{"latitude":62.216009808114364,"longitude":-0.000000000000000000001e0}}]}}]}]}"#;
    let events = events_to_json(&parse_webhook(body.as_bytes()).unwrap());
    let want =
        r#""location":{"latitude":62.216009808114364,"longitude":-0.000000000000000000001e0}"#;
    assert_eq!(events.matches(want).count(), 2, "payload and raw: {events}");
}

/// The exact text of the top-level member `key` of a JSON object text (balanced brackets,
/// strings skipped): the fixture's input as written, numbers included (serde_json would round
/// full-precision floats on the way in).
fn member_text<'t>(text: &'t str, key: &str) -> &'t str {
    let start = text.find(&format!("\n  \"{key}\": ")).unwrap() + key.len() + 7;
    let b = text.as_bytes();
    let (mut depth, mut in_str, mut esc) = (0i32, false, false);
    for (i, &c) in b.iter().enumerate().skip(start) {
        if in_str {
            match (esc, c) {
                (true, _) => esc = false,
                (false, b'\\') => esc = true,
                (false, b'"') => in_str = false,
                _ => {}
            }
            continue;
        }
        match c {
            b'"' => in_str = true,
            b'{' | b'[' => depth += 1,
            b'}' | b']' => {
                depth -= 1;
                if depth == 0 {
                    return &text[start..=i];
                }
            }
            _ => {}
        }
    }
    panic!("no member {key}")
}

/// Sends: every fixture is built (JSON-text route, as in JS) and accepted exactly when Meta
/// accepts it; accepted bodies equal the expected body, and the listed numbers leave as their
/// exact text; rejected ones carry the expected issue codes.
#[test]
fn sends() {
    let base = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/platform/sends");
    let mut seen = std::collections::BTreeSet::new();
    for (name, fixture) in corpus("sends") {
        let text = fs::read_to_string(base.join(&name)).unwrap();
        let input = member_text(&text, "input");
        let builder = fixture["builder"].as_str().unwrap();
        let built = build_request_json(builder, input);
        if fixture["accept"] == true {
            let req = built.unwrap_or_else(|e| panic!("{name}: rejected: {e:?}"));
            let body = req.body.unwrap();
            let got: Value = serde_json::from_str(&body).unwrap();
            assert_eq!(got, fixture["body"], "{name}: body\n{body}");
            for n in fixture["numbers"].as_array().unwrap() {
                let n = n.as_str().unwrap();
                assert!(body.contains(n), "{name}: {n} leaves as written\n{body}");
            }
            let mut stack: Vec<&Value> = fixture["body"]["template"]["components"]
                .as_array()
                .into_iter()
                .flatten()
                .collect();
            while let Some(c) = stack.pop() {
                seen.insert(c["type"].as_str().unwrap().to_owned());
                if let Some(sub) = c["sub_type"].as_str() {
                    seen.insert(sub.to_owned());
                }
                for card in c["cards"].as_array().into_iter().flatten() {
                    stack.extend(card["components"].as_array().unwrap());
                }
            }
        } else {
            let Err(Error::Validation { issues }) = built else {
                panic!("{name}: accepted, Meta rejects it: {built:?}")
            };
            let codes: Vec<&str> = issues
                .iter()
                .filter(|i| i.is_error())
                .map(|i| i.code)
                .collect();
            let want: Vec<&str> = fixture["codes"]
                .as_array()
                .unwrap()
                .iter()
                .map(|c| c.as_str().unwrap())
                .collect();
            assert_eq!(codes, want, "{name}: {issues:?}");
        }
    }
    for kind in [
        "header",
        "body",
        "button",
        "carousel",
        "limited_time_offer",
        "tap_target_configuration",
        "quick_reply",
        "url",
        "copy_code",
        "flow",
        "voice_call",
        "catalog",
        "mpm",
    ] {
        assert!(
            seen.contains(kind),
            "no accepted fixture sends a {kind} component"
        );
    }
}

mod props {
    use proptest::prelude::*;
    use serde_json::{json, Map, Value};
    use whatsapp_business::{events_to_json, parse_webhook};

    /// Any JSON value, numbers as integers or decimals, strings with escapes.
    fn arb_json() -> impl Strategy<Value = Value> {
        let leaf = prop_oneof![
            Just(Value::Null),
            any::<bool>().prop_map(Value::from),
            any::<i64>().prop_map(Value::from),
            (-1.0e12f64..1.0e12).prop_map(Value::from),
            "[a-zA-Z0-9 \"\\\\\u{e9}\u{1f389}]{0,12}".prop_map(Value::from),
        ];
        leaf.prop_recursive(3, 24, 4, |inner| {
            prop_oneof![
                proptest::collection::vec(inner.clone(), 0..4).prop_map(Value::from),
                proptest::collection::btree_map("[a-z_]{1,10}", inner, 0..4)
                    .prop_map(|m| Value::Object(m.into_iter().collect())),
            ]
        })
    }

    /// Extra keys Meta might add (never one the test sets itself).
    fn arb_extra() -> impl Strategy<Value = Map<String, Value>> {
        proptest::collection::btree_map("x_[a-z_]{1,12}", arb_json(), 0..6)
            .prop_map(|m| m.into_iter().collect())
    }

    fn delivery(key: &str, item: Value) -> String {
        json!({"object": "whatsapp_business_account", "entry": [{"id": "1", "changes": [{"field": "messages",
            "value": {"messaging_product": "whatsapp", "metadata": {"display_phone_number": "15550783881", "phone_number_id": "2"},
                      key: [item]}}]}]})
        .to_string()
    }

    /// JSON number text: sign, integer, fraction, exponent (any digits, up to 40 of each).
    fn arb_number() -> impl Strategy<Value = String> {
        "-?(0|[1-9][0-9]{0,40})(\\.[0-9]{1,40})?([eE][+-]?[0-9]{1,3})?"
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(500))]

        /// Any number forwarded by a builder (inside a flow action, a tap target, an offer, a
        /// create-template field) leaves byte-identical.
        #[test]
        fn forwarded_numbers_keep_their_text(n in arb_number(), m in arb_number()) {
            let input = format!(r#"{{"phoneNumberId":"1","to":"16505551234","templateName":"t","components":[{{"type":"button","sub_type":"flow","index":0,"parameters":[{{"type":"action","action":{{"flow_token":"x","flow_action_data":{{"a":{n},"b":[{m},{{"c":{n}}}]}}}}}}]}}]}}"#);
            let body = whatsapp_business::build_request_json("sendTemplate", &input).unwrap().body.unwrap();
            let want = format!(r#"{{"a":{n},"b":[{m},{{"c":{n}}}]}}"#);
            prop_assert!(body.contains(&want), "{}", body);
            let create = format!(r#"{{"businessAccountId":"1","name":"a","category":"AUTHENTICATION","language":"en_US","components":[{{"type":"BODY"}},{{"type":"BUTTONS","buttons":[{{"type":"OTP","otp_type":"COPY_CODE"}}]}}],"degrees_of_freedom_spec":{{"x":{n}}}}}"#);
            let body = whatsapp_business::build_request_json("createTemplate", &create).unwrap().body.unwrap();
            prop_assert!(body.ends_with(&format!(r#","degrees_of_freedom_spec":{{"x":{n}}}}}"#)), "{}", body);
        }

        /// Coordinates within range leave byte-identical, whatever their digits.
        #[test]
        fn location_coordinates_keep_their_text(lat in "-?[1-8]?[0-9](\\.[0-9]{1,30})?", lng in "-?(1[0-7][0-9]|[1-9]?[0-9])(\\.[0-9]{1,30})?(e-[0-9])?") {
            let input = format!(r#"{{"phoneNumberId":"1","to":"16505551234","templateName":"t","components":[{{"type":"header","parameters":[{{"type":"location","location":{{"latitude":{lat},"longitude":{lng}}}}}]}}]}}"#);
            let body = whatsapp_business::build_request_json("sendTemplate", &input).unwrap().body.unwrap();
            let want = format!(r#""location":{{"latitude":{lat},"longitude":{lng}}}"#);
            prop_assert!(body.contains(&want), "{}", body);
        }

        /// A message with any identification (phone, user id, both) and any extra keys is typed
        /// and keeps every key in `raw`.
        #[test]
        fn messages_keep_every_key(extra in arb_extra(), who in 0u8..3, group in any::<bool>(), body in arb_json()) {
            let mut m = extra;
            if who != 1 { m.insert("from".into(), json!("16505551234")); }
            if who != 0 { m.insert("from_user_id".into(), json!("US.13491208655302741918")); }
            if group { m.insert("group_id".into(), json!("Y2FwaV9ncm91cDox")); }
            m.insert("id".into(), json!("wamid.P"));
            m.insert("timestamp".into(), json!("1749416383"));
            m.insert("type".into(), json!("text"));
            m.insert("text".into(), json!({"body": "hi", "extra": body}));
            let input = Value::Object(m);
            let text = events_to_json(&parse_webhook(delivery("messages", input.clone()).as_bytes()).unwrap());
            let events: Value = serde_json::from_str(&text).unwrap();
            prop_assert_eq!(&events[0]["kind"], "message");
            // Compared as text: serde_json (without float_roundtrip) reads floats approximately.
            prop_assert!(text.contains(&format!("\"raw\":{input}}}")), "{}", text);
        }

        /// A status (individual or group receipt) with any extra keys keeps every key in `raw`.
        #[test]
        fn statuses_keep_every_key(extra in arb_extra(), who in 0u8..3, participant in proptest::option::of("[0-9]{8,12}")) {
            let mut s = extra;
            if who != 1 { s.insert("recipient_id".into(), json!("16505551234")); }
            if who != 0 { s.insert("recipient_user_id".into(), json!("US.13491208655302741918")); }
            if let Some(p) = &participant {
                s.insert("recipient_type".into(), json!("group"));
                s.insert("recipient_participant_id".into(), json!(p));
            }
            s.insert("id".into(), json!("wamid.S"));
            s.insert("status".into(), json!("read"));
            s.insert("timestamp".into(), json!("1749416383"));
            let input = Value::Object(s);
            let text = events_to_json(&parse_webhook(delivery("statuses", input.clone()).as_bytes()).unwrap());
            let events: Value = serde_json::from_str(&text).unwrap();
            prop_assert_eq!(&events[0]["kind"], "status");
            prop_assert!(text.contains(&format!("\"raw\":{input}}}")), "{}", text);
            let key = match &participant { Some(p) => format!("status:wamid.S:read:{p}"), None => "status:wamid.S:read".to_owned() };
            prop_assert_eq!(events[0]["dedupKey"].as_str(), Some(key.as_str()));
        }
    }
}
