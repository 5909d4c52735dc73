//! The JS builders' route ([`build_json`]: the input text read borrowed, no owned copy) against
//! the native route (the text parsed into a `serde_json::Value`, read into the owned input
//! structs, built by the public `build_*` functions — what the JS builders did before): for
//! arbitrary and mutated inputs both give the same request bytes, or the same issues in the same
//! order. Both routes share the builders' rules; what differs is the JSON model they read (see
//! `core::json::AnyJson`), so the inputs lean on where the models could disagree: numbers that
//! overflow (`1e400` reads as `null`), `-0`, repeated and escaped keys, JSON text in strings.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use super::*;
use crate::core::error::{Error, Issue};
use crate::core::json::parse_owned;
use crate::core::request::ApiRequest;
use crate::core::template::{
    build_create_template, build_get_templates, CreateTemplateInput, GetTemplatesInput,
};
use proptest::prelude::*;
use serde_json::{json, Value};

const KINDS: [JsonBuilder; 6] = [
    JsonBuilder::Template,
    JsonBuilder::Text,
    JsonBuilder::Media,
    JsonBuilder::MarkAsRead,
    JsonBuilder::CreateTemplate,
    JsonBuilder::GetTemplates,
];

/// The native route, as the JS builders ran before they read their input borrowed.
fn native(kind: JsonBuilder, text: &str) -> Result<ApiRequest, Error> {
    fn run<T>(
        v: &Value,
        read: fn(&Value) -> Result<T, Vec<Issue>>,
        build: fn(&T, &BuildOptions) -> Result<ApiRequest, Error>,
    ) -> Result<ApiRequest, Error> {
        let opts = if v.is_object() {
            BuildOptions::from_json(v)
        } else {
            Ok(BuildOptions::default())
        };
        match (read(v), opts) {
            (Ok(input), Ok(o)) => build(&input, &o),
            (i, o) => {
                let mut issues = i.err().unwrap_or_default();
                issues.extend(o.err().unwrap_or_default());
                Err(Error::Validation { issues })
            }
        }
    }
    let v = parse_owned(text).map_err(|e| {
        Error::invalid(
            "input",
            "invalid_json",
            format!("The input is not valid JSON ({}).", e),
        )
    })?;
    match kind {
        JsonBuilder::Template => run(&v, SendTemplateInput::from_json, build_send_template),
        JsonBuilder::Text => run(&v, SendTextInput::from_json, build_send_text),
        JsonBuilder::Media => run(&v, SendMediaInput::from_json, build_send_media),
        JsonBuilder::MarkAsRead => run(&v, MarkAsReadInput::from_json, build_mark_as_read),
        JsonBuilder::CreateTemplate => {
            run(&v, CreateTemplateInput::from_json, build_create_template)
        }
        JsonBuilder::GetTemplates => run(&v, GetTemplatesInput::from_json, build_get_templates),
    }
}

/// The JS route's result as a request (a GET is its URL alone).
fn borrowed(kind: JsonBuilder, text: &str) -> Result<ApiRequest, Error> {
    build_json(kind, text).map(|b| match b {
        Built::Post(p) => p.into_request(),
        Built::Get(url) => ApiRequest {
            method: Method::Get,
            url,
            headers: Vec::new(),
            body: None,
        },
    })
}

fn same_routes(text: &str) -> Result<(), TestCaseError> {
    for kind in KINDS {
        let (a, b) = (borrowed(kind, text), native(kind, text));
        prop_assert_eq!(&a, &b, "{:?} on {}", kind, text);
        if let Ok(req) = a {
            if let Some(body) = req.body {
                prop_assert!(parse_owned(&body).is_ok(), "{}", body);
            }
        }
    }
    Ok(())
}

fn seeds() -> Vec<Value> {
    let approved = json!({
        "name": "order_confirmation", "status": "APPROVED", "category": "UTILITY", "language": "en_US",
        "components": [
            {"type": "HEADER", "format": "TEXT", "text": "Your order is confirmed!"},
            {"type": "BODY", "text": "Hi {{1}}, order #{{2}}: {{3}}, {{4}}."},
            {"type": "BUTTONS", "buttons": [{"type": "URL", "text": "Track", "url": "https://example.com/track/{{1}}"}]}
        ]
    });
    let send = json!({"phoneNumberId": "1234567890", "to": "27821234567", "templateName": "order_confirmation", "language": "en_US"});
    let with = |pairs: &[(&str, Value)]| {
        let mut v = send.clone();
        for (k, x) in pairs {
            v[*k] = x.clone();
        }
        v
    };
    vec![
        with(&[("parameters", json!(["John", "12345", "R500", "Dec 25"]))]),
        with(&[("parameters", json!("[\"John\",3,true,null]"))]),
        with(&[("parameters", json!({"first_name": "Ann", "order_id": 7}))]),
        with(&[(
            "parameters",
            json!({"header": "x", "body": ["a", "b"], "buttons": ["1", null]}),
        )]),
        with(&[(
            "parameters",
            json!({"header": {"type": "image", "image": {"link": "https://a.io/x.png"}}, "body": {"n": "A"}}),
        )]),
        with(&[(
            "components",
            json!([
                {"type": "header", "parameters": [{"type": "text", "text": "h"}]},
                {"type": "body", "parameters": [{"type": "text", "text": "a"}]},
                {"type": "button", "sub_type": "quick_reply", "index": "1", "parameters": [{"type": "payload", "payload": "P"}]}
            ]),
        )]),
        with(&[
            (
                "parameters",
                json!({"body": ["John", "1", "R5", "Dec"], "buttons": ["9"]}),
            ),
            ("template", approved),
        ]),
        with(&[
            ("parameters", json!(["a"])),
            ("bizOpaqueCallbackData", json!("campaign:c1:row:7")),
        ]),
        with(&[
            ("parameters", json!(["a"])),
            ("apiVersion", json!("v24")),
            ("baseUrl", json!("http://localhost:8089/")),
        ]),
        json!({"phoneNumberId": "1234567890", "to": "+27 82 123 4567", "text": "Hello", "previewUrl": true}),
        json!({"phoneNumberId": "1234567890", "to": "27821234567", "mediaType": "document", "mediaId": "123", "filename": "a.pdf", "size": 1000}),
        json!({"phoneNumberId": "1234567890", "messageId": "wamid.ABC", "typingIndicator": true}),
        json!({"businessAccountId": "123", "name": "welcome", "category": "marketing", "components": [{"type": "BODY", "text": "Hi"}]}),
        json!({"businessAccountId": "123", "status": "approved", "limit": 10, "after": "abc", "name": "x y"}),
    ]
}

const KEYS: &[&str] = &[
    "phoneNumberId",
    "to",
    "templateName",
    "language",
    "parameters",
    "components",
    "template",
    "bizOpaqueCallbackData",
    "apiVersion",
    "baseUrl",
    "text",
    "previewUrl",
    "mediaType",
    "link",
    "mediaId",
    "caption",
    "size",
    "messageId",
    "typingIndicator",
    "header",
    "body",
    "buttons",
    "type",
    "sub_type",
    "index",
    "parameter_name",
    "businessAccountId",
    "category",
    "limit",
    "status",
];

/// Markers replaced in the JSON text by numbers `serde_json::Value` cannot hold as written.
const RAW: [(&str, &str); 3] = [
    ("\"@neg0\"", "-0"),
    ("\"@inf\"", "1e400"),
    ("\"@big\"", "123456789012345678901234"),
];

fn leaf() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        (-3i64..20).prop_map(|n| json!(n)),
        any::<f64>().prop_map(|f| json!(f)),
        prop::sample::select(vec!["@neg0", "@inf", "@big"]).prop_map(|s| json!(s)),
        prop::sample::select(vec![
            "",
            " ",
            "a\nb",
            "a     b",
            "🎉",
            "John",
            "27 82 123",
            "+0821234567",
            "[\"x\",1]",
            "{\"a\":1}",
            "[",
            "v25.0",
            "v18",
            "ftp://x",
            "en-us",
            "image",
            "body",
            "button",
            "url",
            "1234567890",
            "wamid X",
        ])
        .prop_map(|s| json!(s)),
        "\\PC{0,12}".prop_map(Value::String),
    ]
}

fn arb_value() -> impl Strategy<Value = Value> {
    leaf().prop_recursive(3, 24, 5, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..5).prop_map(Value::Array),
            prop::collection::vec((prop::sample::select(KEYS), inner), 0..6).prop_map(|kv| {
                Value::Object(kv.into_iter().map(|(k, v)| (k.to_owned(), v)).collect())
            }),
        ]
    })
}

/// Paths to every node of `v`.
fn nodes(v: &Value, here: &mut Vec<Value>, out: &mut Vec<Vec<Value>>) {
    out.push(here.clone());
    let children: Vec<(Value, &Value)> = match v {
        Value::Array(a) => a.iter().enumerate().map(|(i, x)| (json!(i), x)).collect(),
        Value::Object(o) => o.iter().map(|(k, x)| (json!(k), x)).collect(),
        _ => Vec::new(),
    };
    for (k, x) in children {
        here.push(k);
        nodes(x, here, out);
        here.pop();
    }
}

fn at<'v>(v: &'v mut Value, path: &[Value]) -> &'v mut Value {
    path.iter().fold(v, |cur, p| match p {
        Value::String(k) => &mut cur[k.as_str()],
        n => &mut cur[n.as_u64().unwrap() as usize],
    })
}

/// A seed with `edits` applied: (node choice, what to do, a value).
fn mutated(seed: &Value, edits: &[(usize, u8, Value, usize)]) -> Value {
    let mut v = seed.clone();
    for (pick, op, x, key) in edits {
        let mut all = Vec::new();
        nodes(&v, &mut Vec::new(), &mut all);
        let path = all[pick % all.len()].clone();
        match op % 3 {
            0 => *at(&mut v, &path) = x.clone(),
            1 => {
                if let Some((last, parent)) = path.split_last() {
                    match (at(&mut v, parent), last) {
                        (Value::Object(o), Value::String(k)) => {
                            o.remove(k);
                        }
                        (Value::Array(a), n) => {
                            a.remove(n.as_u64().unwrap() as usize);
                        }
                        _ => {}
                    }
                }
            }
            _ => {
                if let Value::Object(o) = at(&mut v, &path) {
                    o.insert(KEYS[key % KEYS.len()].to_owned(), x.clone());
                }
            }
        }
    }
    v
}

/// The JSON text of `v`, with the raw-number markers and one text-level change: a repeated key
/// (the last wins), escaped keys, or blanks.
fn text_of(v: &Value, change: u8, extra: &Value, key: usize) -> String {
    let mut t = v.to_string();
    for (marker, raw) in RAW {
        t = t.replace(marker, raw);
    }
    match change % 5 {
        0 if t.ends_with('}') && t.len() > 2 => {
            t.pop();
            let extra = RAW
                .iter()
                .fold(extra.to_string(), |s, (m, r)| s.replace(m, r));
            t.push_str(&format!(",\"{}\":{extra}}}", KEYS[key % KEYS.len()]));
        }
        1 => {
            t = t
                .replace("\"to\"", "\"t\\u006f\"")
                .replace("\"parameters\"", "\"param\\u0065ters\"")
                .replace("\"John\"", "\"J\\u00f6hn\\n\"");
        }
        2 => t = format!(" \n{t}\t"),
        _ => {}
    }
    t
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn seeds_mutated_build_the_same_both_ways(
        seed in 0usize..64,
        edits in prop::collection::vec((any::<usize>(), any::<u8>(), arb_value(), any::<usize>()), 0..4),
        change in any::<u8>(),
        extra in leaf(),
        key in any::<usize>(),
    ) {
        let seeds = seeds();
        let v = mutated(&seeds[seed % seeds.len()], &edits);
        same_routes(&text_of(&v, change, &extra, key))?;
    }

    #[test]
    fn arbitrary_json_builds_the_same_both_ways(v in arb_value(), change in any::<u8>(), extra in leaf(), key in any::<usize>()) {
        same_routes(&text_of(&v, change, &extra, key))?;
    }

    #[test]
    fn arbitrary_text_never_panics(s in "\\PC{0,60}", cut in any::<usize>()) {
        same_routes(&s)?;
        // A seed cut anywhere (mostly not JSON).
        let seeds = seeds();
        let t = seeds[cut % seeds.len()].to_string();
        let at = (cut / 7) % (t.len() + 1);
        if let Some(prefix) = t.get(..at) {
            same_routes(prefix)?;
        }
    }
}

#[test]
fn the_seed_is_built_from_borrowed_input() {
    let text = r#"{"phoneNumberId":"1234567890","to":"27821234567","templateName":"order_confirmation","language":"en_US","parameters":["John","12345","R500","Dec 25"]}"#;
    let Ok(Built::Post(p)) = build_json(JsonBuilder::Template, text) else {
        panic!("the seed builds");
    };
    assert_eq!(
        p.url(),
        "https://graph.facebook.com/v25.0/1234567890/messages"
    );
    assert_eq!(
        p.body(),
        r#"{"messaging_product":"whatsapp","to":"27821234567","type":"template","template":{"name":"order_confirmation","language":{"code":"en_US"},"components":[{"type":"body","parameters":[{"type":"text","text":"John"},{"type":"text","text":"12345"},{"type":"text","text":"R500"},{"type":"text","text":"Dec 25"}]}]}}"#
    );
    // Numbers the two models could read differently read the same.
    for text in [
        r#"{"phoneNumberId":"1","to":"27821234567","templateName":"t","parameters":[-0,1e400,1.50,123456789012345678901234,true]}"#,
        r#"{"phoneNumberId":"1","to":1e400,"templateName":"t","to":"27821234567","param\u0065ters":{"b":"2","a":1,"b":"3"}}"#,
    ] {
        for kind in KINDS {
            assert_eq!(borrowed(kind, text), native(kind, text), "{kind:?} {text}");
        }
    }
}
