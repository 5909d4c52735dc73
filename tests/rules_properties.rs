//! Property tests: arbitrary JSON and strings into every validator, builder, binding and preview
//! never panic (a panic traps the wasm instance), and every code they report is documented in
//! docs/issue-codes.md.
#![cfg(not(target_arch = "wasm32"))]
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use proptest::prelude::*;
use serde_json::{json, Map, Value};
use std::collections::BTreeSet;
use std::sync::OnceLock;
use whatsapp_business::*;

fn documented() -> &'static BTreeSet<String> {
    static DOC: OnceLock<BTreeSet<String>> = OnceLock::new();
    DOC.get_or_init(|| {
        let doc =
            std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/issue-codes.md"))
                .unwrap();
        // The codes are the `code` spans of the first cell of each table row.
        doc.lines()
            .filter_map(|l| l.strip_prefix('|')?.split('|').next())
            .flat_map(|cell| {
                cell.split('`')
                    .skip(1)
                    .step_by(2)
                    .map(str::to_owned)
                    .collect::<Vec<_>>()
            })
            .filter(|c| {
                !c.is_empty()
                    && c.bytes()
                        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
            })
            .collect()
    })
}

fn check_codes(issues: &[Issue]) -> Result<(), TestCaseError> {
    for i in issues {
        prop_assert!(
            documented().contains(i.code),
            "undocumented issue code {}",
            i.code
        );
        prop_assert!(!i.message.is_empty());
    }
    Ok(())
}

fn check_error(e: &Error) -> Result<(), TestCaseError> {
    match e {
        Error::Validation { issues } => {
            prop_assert!(issues.iter().any(Issue::is_error));
            check_codes(issues)
        }
        other => Err(TestCaseError::fail(format!(
            "builders only fail with validation errors, got {other:?}"
        ))),
    }
}

/// Arbitrary JSON, biased towards the keys and values the rules look at.
fn arb_json() -> impl Strategy<Value = Value> {
    let keys = prop::sample::select(vec![
        "type",
        "format",
        "text",
        "example",
        "buttons",
        "url",
        "phone_number",
        "otp_type",
        "supported_apps",
        "package_name",
        "signature_hash",
        "name",
        "category",
        "language",
        "components",
        "parameter_format",
        "body_text",
        "header_text",
        "header_handle",
        "body_text_named_params",
        "param_name",
        "code_expiration_minutes",
        "add_security_recommendation",
        "sub_type",
        "index",
        "parameters",
        "image",
        "link",
        "id",
        "payload",
        "coupon_code",
        "location",
        "latitude",
        "longitude",
        "currency",
        "header",
        "body",
        "status",
        "flow_id",
        "phoneNumberId",
        "to",
        "templateName",
        "mediaType",
        "mediaId",
        "caption",
        "filename",
        "messageId",
        "businessAccountId",
        "limit",
        "after",
        "apiVersion",
        "baseUrl",
        "template",
        "parameter_name",
        "zero_tap_terms_accepted",
    ]);
    let strings = prop_oneof![
        prop::sample::select(vec![
            "HEADER",
            "BODY",
            "FOOTER",
            "BUTTONS",
            "TEXT",
            "IMAGE",
            "URL",
            "QUICK_REPLY",
            "OTP",
            "COPY_CODE",
            "ONE_TAP",
            "ZERO_TAP",
            "AUTHENTICATION",
            "MARKETING",
            "UTILITY",
            "en_US",
            "named",
            "positional",
            "header",
            "body",
            "button",
            "url",
            "quick_reply",
            "text",
            "image",
            "Hi {{1}} and {{2}}.",
            "{{1}}",
            "{{a}} {{b}}",
            "https://x.io/{{1}}",
            "27821234567",
            "1234567890",
            "{{",
            "}}",
            "🎉",
            "",
        ])
        .prop_map(str::to_owned),
        "\\PC{0,30}",
    ];
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(|n| json!(n)),
        any::<f64>().prop_map(|f| json!(f)),
        strings.prop_map(Value::String),
    ];
    leaf.prop_recursive(4, 48, 8, move |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::vec((keys.clone(), inner), 0..8).prop_map(|kv| Value::Object(
                kv.into_iter()
                    .map(|(k, v)| (k.to_owned(), v))
                    .collect::<Map<_, _>>()
            )),
        ]
    })
}

fn opts_from(v: &Value) -> BuildOptions {
    BuildOptions::from_json(v).unwrap_or_default()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 600, ..ProptestConfig::default() })]

    #[test]
    fn validators_never_panic(v in arb_json(), s in "\\PC{0,40}") {
        check_codes(&validate_template(&v).issues)?;
        check_codes(&validate_template_json(&v.to_string()).issues)?;
        check_codes(&validate_template_json(&s).issues)?;
        check_codes(&validate_media_value(&v).issues)?;
        check_codes(&validate_recipient(&s).issues)?;
        check_codes(&validate_template_name(&s).issues)?;
        let wrapped = json!({"name": "n", "category": "UTILITY", "language": "en_US", "components": [v.clone()]});
        check_codes(&validate_template(&wrapped).issues)?;
        let def = json!({"name": "n", "category": "AUTHENTICATION", "language": "en_US", "components": v.clone()});
        check_codes(&validate_template(&def).issues)?;
    }

    #[test]
    fn builders_never_panic(v in arb_json()) {
        let o = opts_from(&v);
        macro_rules! run {
            ($input:ty, $build:expr) => {
                match <$input>::from_json(&v) {
                    Ok(input) => if let Err(e) = $build(&input, &o) { check_error(&e)?; },
                    Err(issues) => check_codes(&issues)?,
                }
            };
        }
        run!(SendTemplateInput, build_send_template);
        run!(SendTextInput, build_send_text);
        run!(SendMediaInput, build_send_media);
        run!(MarkAsReadInput, build_mark_as_read);
        run!(CreateTemplateInput, build_create_template);
        run!(GetTemplatesInput, build_get_templates);
        // Successful builds produce JSON bodies.
        if let Ok(input) = SendTemplateInput::from_json(&v) {
            if let Ok(req) = build_send_template(&input, &o) {
                prop_assert!(serde_json::from_str::<Value>(req.body.as_deref().unwrap()).is_ok());
            }
        }
    }

    #[test]
    fn builders_with_valid_ids_never_panic(params in arb_json(), components in arb_json(), template in arb_json(), text in "\\PC{0,50}") {
        let input = json!({
            "phoneNumberId": "1234567890", "to": "27821234567", "templateName": "order_update",
            "parameters": params, "components": components, "template": template,
        });
        match SendTemplateInput::from_json(&input) {
            Ok(i) => match build_send_template(&i, &BuildOptions::default()) {
                Ok(req) => { serde_json::from_str::<Value>(req.body.as_deref().unwrap()).unwrap(); }
                Err(e) => check_error(&e)?,
            },
            Err(issues) => check_codes(&issues)?,
        }
        let t = SendTextInput { phone_number_id: "1".into(), to: "27821234567".into(), text: text.clone(), preview_url: false, ..Default::default() };
        match build_send_text(&t, &BuildOptions::default()) {
            Ok(req) => prop_assert_eq!(&serde_json::from_str::<Value>(req.body.as_deref().unwrap()).unwrap()["text"]["body"], &json!(text)),
            Err(e) => check_error(&e)?,
        }
    }

    #[test]
    fn binding_and_preview_never_panic(template in arb_json(), values in arb_json()) {
        match template_values_from_json(&values, "values") {
            Ok(vals) => {
                let b = bind_template_parameters(&template, &vals);
                check_codes(&b.issues)?;
                prop_assert_eq!(b.valid, !b.issues.iter().any(Issue::is_error));
                let _ = render_template_preview(&template, Some(&vals));
            }
            Err(issues) => check_codes(&issues)?,
        }
        let _ = render_template_preview(&template, None);
        let def = json!({"components": [{"type": "BODY", "text": values.to_string()}]});
        let p = render_template_preview(&def, None);
        prop_assert_eq!(p.body.spans.iter().map(|s| s.text.as_str()).collect::<String>(), p.body.text);
    }

    #[test]
    fn response_parsers_never_panic(status in prop::sample::select(vec![200u16, 201, 400, 401, 500, 503]), v in arb_json(), raw in "\\PC{0,40}") {
        for body in [v.to_string(), raw.clone(), json!({"error": v.clone()}).to_string(), json!({"data": [v.clone()], "paging": v.clone()}).to_string()] {
            let resp = ApiResponse { status, headers: vec![], body };
            let _ = parse_send_response(&resp);
            let _ = parse_template_page(&resp);
            let _ = parse_created_template(&resp);
            let _ = parse_success(&resp);
            let e = parse_error_response(&resp);
            let ok = matches!(e, Error::Graph(_) | Error::Parse { .. });
            prop_assert!(ok, "unexpected error kind");
        }
    }

    #[test]
    fn preview_text_is_its_spans(text in "[a-z *_~`{}1\\n]{0,60}") {
        let def = json!({"components": [{"type": "BODY", "text": text}]});
        let p = render_template_preview(&def, None);
        prop_assert_eq!(p.body.spans.iter().map(|s| s.text.as_str()).collect::<String>(), p.body.text);
    }
}

/// Every code in the table is really raised somewhere (no stale documentation): in `src/`, or in
/// the package's `pkg-template/client.js`.
#[test]
fn documented_codes_exist_in_the_source() {
    fn rs_files(dir: &std::path::Path, out: &mut String) {
        for e in std::fs::read_dir(dir).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                rs_files(&p, out);
            } else if p.extension().is_some_and(|x| x == "rs") {
                out.push_str(&std::fs::read_to_string(&p).unwrap());
            }
        }
    }
    let mut src = String::new();
    rs_files(
        std::path::Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/src")),
        &mut src,
    );
    // The one code raised in JS: WhatsAppClient's receiver check in the package's client.js.
    src.push_str(
        &std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/pkg-template/client.js"
        ))
        .unwrap()
        .replace('\'', "\""),
    );
    assert!(documented().len() > 130, "{}", documented().len());
    for code in documented() {
        assert!(
            src.contains(&format!("\"{code}\"")),
            "docs/issue-codes.md lists `{code}`, which src never uses"
        );
    }
}
