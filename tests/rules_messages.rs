//! Builders, recipient rule, binding and the response parsers: valid and invalid cases, exact
//! request bodies, and the seed's send_template example.
#![cfg(not(target_arch = "wasm32"))]
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use serde_json::{json, Value};
use whatsapp_business::*;

fn issue_codes(e: Error) -> Vec<&'static str> {
    match e {
        Error::Validation { issues } => issues
            .iter()
            .filter(|i| i.is_error())
            .map(|i| i.code)
            .collect(),
        other => panic!("expected a validation error, got {other:?}"),
    }
}

fn body(req: &ApiRequest) -> Value {
    serde_json::from_str(req.body.as_deref().unwrap()).unwrap()
}

fn opts() -> BuildOptions {
    BuildOptions::default()
}

fn tpl(params: Value) -> SendTemplateInput {
    SendTemplateInput {
        phone_number_id: "1234567890".into(),
        to: "27821234567".into(),
        template_name: "order_confirmation".into(),
        parameters: Some(params),
        ..Default::default()
    }
}

/// The seed's send_template request body, byte for byte.
#[test]
fn seed_send_template_body() {
    let req =
        build_send_template(&tpl(json!(["John", "12345", "R500", "Dec 25"])), &opts()).unwrap();
    assert_eq!(req.method, Method::Post);
    assert_eq!(
        req.url,
        "https://graph.facebook.com/v25.0/1234567890/messages"
    );
    assert_eq!(
        req.headers,
        [("Content-Type".to_owned(), "application/json".to_owned())]
    );
    assert!(!req
        .headers
        .iter()
        .any(|(k, _)| k.eq_ignore_ascii_case("authorization")));
    assert_eq!(
        req.body.as_deref().unwrap(),
        r#"{"messaging_product":"whatsapp","to":"27821234567","type":"template","template":{"name":"order_confirmation","language":{"code":"en_US"},"components":[{"type":"body","parameters":[{"type":"text","text":"John"},{"type":"text","text":"12345"},{"type":"text","text":"R500"},{"type":"text","text":"Dec 25"}]}]}}"#
    );
    // The seed's template_parameters may arrive as a JSON string.
    let from_string =
        build_send_template(&tpl(json!(r#"["John","12345","R500","Dec 25"]"#)), &opts()).unwrap();
    assert_eq!(from_string.body, req.body);
}

#[test]
fn send_template_options_and_errors() {
    let mut input = tpl(json!([]));
    input.language = Some("pt_BR".into());
    let o = BuildOptions {
        api_version: Some("v26.0".into()),
        base_url: Some("http://127.0.0.1:8787/".into()),
    };
    let req = build_send_template(&input, &o).unwrap();
    assert_eq!(req.url, "http://127.0.0.1:8787/v26.0/1234567890/messages");
    assert_eq!(body(&req)["template"]["language"]["code"], "pt_BR");
    assert!(
        body(&req)["template"].get("components").is_none(),
        "no empty components array"
    );

    let bad = SendTemplateInput {
        phone_number_id: "+1 555".into(),
        to: "abc".into(),
        template_name: "Bad Name".into(),
        language: Some("english".into()),
        ..Default::default()
    };
    assert_eq!(
        issue_codes(
            build_send_template(
                &bad,
                &BuildOptions {
                    api_version: Some("v18.0".into()),
                    base_url: Some("ftp://x".into())
                }
            )
            .unwrap_err()
        ),
        [
            "phone_number_id_invalid",
            "recipient_invalid_chars",
            "recipient_too_short",
            "name_invalid_chars",
            "language_unsupported",
            "api_version_retired",
            "base_url_invalid"
        ]
    );
    assert_eq!(
        issue_codes(build_send_template(&tpl(json!(["ok", ""])), &opts()).unwrap_err()),
        ["parameter_empty"]
    );
    assert_eq!(
        issue_codes(build_send_template(&tpl(json!(["line\nbreak"])), &opts()).unwrap_err()),
        ["parameter_text_invalid"]
    );
    assert_eq!(
        issue_codes(build_send_template(&tpl(json!(["a     b"])), &opts()).unwrap_err()),
        ["parameter_text_invalid"]
    );
    assert_eq!(
        issue_codes(build_send_template(&tpl(json!("not json")), &opts()).unwrap_err()),
        ["parameters_invalid_json"]
    );
    assert_eq!(
        issue_codes(build_send_template(&tpl(json!([{"x": 1}])), &opts()).unwrap_err()),
        ["invalid_type"]
    );
    // Numbers are accepted as text.
    let req = build_send_template(&tpl(json!([42, true])), &opts()).unwrap();
    assert_eq!(
        body(&req)["template"]["components"][0]["parameters"][0]["text"],
        "42"
    );
    // Named values carry parameter_name.
    let req = build_send_template(&tpl(json!({"first_name": "Ann"})), &opts()).unwrap();
    assert_eq!(
        body(&req)["template"]["components"][0]["parameters"][0],
        json!({"type": "text", "text": "Ann", "parameter_name": "first_name"})
    );
}

#[test]
fn send_template_components() {
    let comps: Vec<SendComponent> = serde_json::from_value(json!([
        {"type": "button", "sub_type": "url", "index": 0, "parameters": [{"type": "text", "text": "ABC123"}]},
        {"type": "header", "parameters": [{"type": "image", "image": {"link": "https://example.com/a.png"}}]},
        {"type": "button", "subType": "quick_reply", "index": "1", "parameters": [{"type": "payload", "payload": "STOP"}]},
        {"type": "button", "sub_type": "copy_code", "index": 2, "parameters": [{"type": "coupon_code", "coupon_code": "SAVE30"}]}
    ])).unwrap();
    let mut input = tpl(json!(["Ann"]));
    input.components = Some(comps);
    let b = body(&build_send_template(&input, &opts()).unwrap());
    let kinds: Vec<&str> = b["template"]["components"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["type"].as_str().unwrap())
        .collect();
    assert_eq!(kinds, ["header", "body", "button", "button", "button"]);
    assert_eq!(b["template"]["components"][2]["index"], "0");
    assert_eq!(b["template"]["components"][3]["sub_type"], "quick_reply");

    let bad: Vec<SendComponent> = serde_json::from_value(json!([
        {"type": "button", "sub_type": "url", "index": 12, "parameters": [{"type": "text", "text": "x"}]},
        {"type": "button", "sub_type": "teleport", "index": 1, "parameters": []},
        {"type": "header", "parameters": [{"type": "image", "image": {}}]},
        {"type": "header", "parameters": [{"type": "payload", "payload": "x"}]},
        {"type": "footer", "parameters": []},
        {"type": "body", "parameters": [{"type": "currency", "currency": {"fallback_value": "$1", "code": "usd", "amount_1000": 1000}}]},
        {"type": "button", "sub_type": "copy_code", "index": 3, "parameters": [{"type": "coupon_code", "coupon_code": "THIS-CODE-IS-TOO-LONG"}]}
    ])).unwrap();
    let mut input = tpl(json!([]));
    input.parameters = None;
    input.components = Some(bad);
    assert_eq!(
        issue_codes(build_send_template(&input, &opts()).unwrap_err()),
        [
            "button_index_invalid",
            "button_sub_type_invalid",
            "media_source_both",
            "send_component_duplicate",
            "parameter_type_invalid",
            "send_component_type_invalid",
            "currency_code_invalid",
            "parameter_too_long"
        ]
    );
}

fn approved() -> Value {
    json!({
        "name": "order_confirmation", "status": "APPROVED", "category": "UTILITY", "language": "en_US", "id": "987",
        "components": [
            {"type": "HEADER", "format": "IMAGE", "example": {"header_handle": ["https://scontent.example/x"]}},
            {"type": "BODY", "text": "Hi {{1}}, your order #{{2}} has been confirmed. Total: {{3}}. Delivery: {{4}}.", "example": {"body_text": [["John", "12345", "R500", "Dec 25"]]}},
            {"type": "FOOTER", "text": "Thank you for your business"},
            {"type": "BUTTONS", "buttons": [
                {"type": "URL", "text": "Track Order", "url": "https://example.com/track/{{1}}", "example": ["https://example.com/track/12345"]},
                {"type": "QUICK_REPLY", "text": "Stop"},
                {"type": "COPY_CODE", "text": "Copy offer code", "example": "SAVE30"}
            ]}
        ]
    })
}

fn bind_json(values: Value) -> Binding {
    let v = template_values_from_json(&values, "values").unwrap();
    bind_template_parameters(&approved(), &v)
}

fn bind_codes(values: Value) -> Vec<&'static str> {
    bind_json(values).issues.iter().map(|i| i.code).collect()
}

#[test]
fn binding_produces_send_components() {
    let b = bind_json(json!({
        "header": "https://example.com/receipt.png",
        "body": ["John", "12345", "R500", "Dec 25"],
        "buttons": ["12345", "STOP", "SAVE30"]
    }));
    assert!(b.valid, "{:?}", b.issues);
    assert_eq!(
        serde_json::to_value(&b.components).unwrap(),
        json!([
            {"type": "header", "parameters": [{"type": "image", "image": {"link": "https://example.com/receipt.png"}}]},
            {"type": "body", "parameters": [{"type": "text", "text": "John"}, {"type": "text", "text": "12345"}, {"type": "text", "text": "R500"}, {"type": "text", "text": "Dec 25"}]},
            {"type": "button", "sub_type": "url", "index": "0", "parameters": [{"type": "text", "text": "12345"}]},
            {"type": "button", "sub_type": "quick_reply", "index": "1", "parameters": [{"type": "payload", "payload": "STOP"}]},
            {"type": "button", "sub_type": "copy_code", "index": "2", "parameters": [{"type": "coupon_code", "coupon_code": "SAVE30"}]}
        ])
    );
    // Quick-reply payloads are optional; a media id works for the header.
    let b = bind_json(
        json!({"header": "4455", "body": ["a", "b", "c", "d"], "buttons": ["x", null, "C1"]}),
    );
    assert!(b.valid, "{:?}", b.issues);
    assert_eq!(
        b.components[0].parameters[0]
            .image
            .as_ref()
            .unwrap()
            .id
            .as_deref(),
        Some("4455")
    );
}

#[test]
fn binding_reports_mismatches() {
    // 132000: wrong count, naming the component and the expected count.
    let b = bind_json(
        json!({"header": "https://x.io/a.png", "body": ["John", "12345"], "buttons": ["1", null, "C"]}),
    );
    assert!(!b.valid && b.components.is_empty());
    assert_eq!(b.issues[0].code, "binding_count_mismatch");
    assert_eq!(b.issues[0].path, "values.body");
    assert!(
        b.issues[0].message.contains("expects 4") && b.issues[0].message.contains("2 were given"),
        "{}",
        b.issues[0].message
    );
    assert_eq!(
        bind_codes(json!({"body": ["a", "b", "c", "d"], "buttons": ["1", null, "C"]})),
        ["binding_missing_value"]
    );
    assert_eq!(
        bind_codes(
            json!({"header": "https://x.io/a.png", "body": ["a", "b", "c", "d"], "buttons": [null, null, "C"]})
        ),
        ["binding_missing_value"]
    );
    assert_eq!(
        bind_codes(
            json!({"header": "https://x.io/a.png", "body": ["a", "b", "c", "d"], "buttons": ["1"]})
        ),
        ["binding_missing_value"]
    );
    assert_eq!(
        bind_codes(
            json!({"header": "https://x.io/a.png", "body": ["a", "b", "c", "d"], "buttons": ["1", null, "C", "extra"]})
        ),
        ["binding_unexpected_value"]
    );
    // 132012: names for a positional template.
    assert_eq!(
        bind_codes(
            json!({"header": "https://x.io/a.png", "body": {"first_name": "a"}, "buttons": ["1", null, "C"]})
        ),
        ["binding_format_mismatch"]
    );
    assert_eq!(
        bind_codes(
            json!({"header": {"type": "video", "video": {"id": "1"}}, "body": ["a", "b", "c", "d"], "buttons": ["1", null, "C"]})
        ),
        ["binding_type_mismatch"]
    );
    // Flat positional list: only the body is filled, header and buttons are reported.
    let codes = bind_codes(json!(["a", "b", "c", "d"]));
    assert_eq!(
        codes,
        [
            "binding_missing_value",
            "binding_missing_value",
            "binding_missing_value"
        ]
    );
    // Not approved: a warning.
    let mut t = approved();
    t["status"] = json!("PAUSED");
    let v = template_values_from_json(&json!({"header": "https://x.io/a.png", "body": ["a", "b", "c", "d"], "buttons": ["1", null, "C"]}), "values").unwrap();
    let b = bind_template_parameters(&t, &v);
    assert!(b.valid);
    assert_eq!(b.issues[0].code, "template_not_approved");
}

#[test]
fn binding_named_and_authentication() {
    let named = json!({"name": "welcome", "status": "APPROVED", "parameter_format": "NAMED", "components": [
        {"type": "HEADER", "format": "TEXT", "text": "Hello {{first_name}}"},
        {"type": "BODY", "text": "Your code {{code}} expires {{when}}."}
    ]});
    let v = template_values_from_json(
        &json!({"first_name": "Ann", "code": "X1", "when": "today"}),
        "values",
    )
    .unwrap();
    let b = bind_template_parameters(&named, &v);
    assert!(b.valid, "{:?}", b.issues);
    assert_eq!(
        serde_json::to_value(&b.components).unwrap(),
        json!([
            {"type": "header", "parameters": [{"type": "text", "text": "Ann", "parameter_name": "first_name"}]},
            {"type": "body", "parameters": [{"type": "text", "text": "X1", "parameter_name": "code"}, {"type": "text", "text": "today", "parameter_name": "when"}]}
        ])
    );
    let v = template_values_from_json(
        &json!({"first_name": "Ann", "code": "X1", "zzz": "?"}),
        "values",
    )
    .unwrap();
    let codes: Vec<_> = bind_template_parameters(&named, &v)
        .issues
        .iter()
        .map(|i| i.code)
        .collect();
    assert_eq!(codes, ["binding_missing_value", "binding_unknown_name"]);
    let v = template_values_from_json(&json!(["Ann", "X1"]), "values").unwrap();
    let codes: Vec<_> = bind_template_parameters(&named, &v)
        .issues
        .iter()
        .map(|i| i.code)
        .collect();
    assert_eq!(codes, ["binding_missing_value", "binding_format_mismatch"]);

    // Authentication (as get_templates reports it: OTP button comes back as type URL): the
    // code is copied into the button.
    let auth = json!({"name": "login_code", "status": "APPROVED", "category": "AUTHENTICATION", "components": [
        {"type": "BODY", "text": "*{{1}}* is your verification code. For your security, do not share this code."},
        {"type": "FOOTER", "text": "This code expires in 10 minutes."},
        {"type": "BUTTONS", "buttons": [{"type": "URL", "text": "Copy code", "url": "https://www.whatsapp.com/otp/code/?otp_type=COPY_CODE&code_expiration_minutes=10&code=otp{{1}}"}]}
    ]});
    let v = template_values_from_json(&json!(["482913"]), "values").unwrap();
    let b = bind_template_parameters(&auth, &v);
    assert!(b.valid, "{:?}", b.issues);
    assert_eq!(
        serde_json::to_value(&b.components).unwrap(),
        json!([
            {"type": "body", "parameters": [{"type": "text", "text": "482913"}]},
            {"type": "button", "sub_type": "url", "index": "0", "parameters": [{"type": "text", "text": "482913"}]}
        ])
    );

    // The same template in creation shape (what the studio edits): Meta fixes the body, so the
    // one value is the code, copied into the OTP button.
    let created = json!({"name": "login_code", "category": "AUTHENTICATION", "language": "en_US", "components": [
        {"type": "BODY", "add_security_recommendation": true},
        {"type": "FOOTER", "code_expiration_minutes": 10},
        {"type": "BUTTONS", "buttons": [{"type": "OTP", "otp_type": "COPY_CODE", "text": "Copy code"}]}
    ]});
    let b = bind_template_parameters(&created, &v);
    assert!(b.valid, "{:?}", b.issues);
    assert_eq!(
        serde_json::to_value(&b.components).unwrap(),
        json!([
            {"type": "body", "parameters": [{"type": "text", "text": "482913"}]},
            {"type": "button", "sub_type": "url", "index": "0", "parameters": [{"type": "text", "text": "482913"}]}
        ])
    );
    let none = template_values_from_json(&json!([]), "values").unwrap();
    assert!(
        !bind_template_parameters(&created, &none).valid,
        "the code is required"
    );
}

#[test]
fn send_template_with_approved_template() {
    let mut input = tpl(
        json!({"header": "https://x.io/a.png", "body": ["John", "12345", "R500", "Dec 25"], "buttons": ["12345", null, "SAVE30"]}),
    );
    input.template = Some(approved());
    let b = body(&build_send_template(&input, &opts()).unwrap());
    assert_eq!(b["template"]["components"].as_array().unwrap().len(), 4);
    // Header/buttons may also come as explicit components, body from parameters.
    let mut input = tpl(json!(["John", "12345", "R500", "Dec 25"]));
    input.template = Some(approved());
    input.components = Some(serde_json::from_value(json!([
        {"type": "header", "parameters": [{"type": "image", "image": {"id": "77"}}]},
        {"type": "button", "sub_type": "url", "index": 0, "parameters": [{"type": "text", "text": "12345"}]},
        {"type": "button", "sub_type": "copy_code", "index": 2, "parameters": [{"type": "coupon_code", "coupon_code": "SAVE30"}]}
    ])).unwrap());
    let b = body(&build_send_template(&input, &opts()).unwrap());
    assert_eq!(
        b["template"]["components"][0]["parameters"][0]["image"]["id"],
        "77"
    );
    // Missing values are a validation error naming the component.
    let mut input = tpl(json!(["John"]));
    input.template = Some(approved());
    let codes = issue_codes(build_send_template(&input, &opts()).unwrap_err());
    assert!(codes.contains(&"binding_count_mismatch"), "{codes:?}");
    let mut input = tpl(json!(["John", "12345", "R500", "Dec 25"]));
    input.template_name = "other_template".into();
    input.template = Some(approved());
    assert!(
        issue_codes(build_send_template(&input, &opts()).unwrap_err())
            .contains(&"binding_template_mismatch")
    );
}

#[test]
fn send_text() {
    let input = SendTextInput {
        phone_number_id: "111".into(),
        to: "+1 (650) 555-1234".into(),
        text: "Thank you for contacting us!".into(),
        preview_url: true,
        ..Default::default()
    };
    let req = build_send_text(&input, &opts()).unwrap();
    assert_eq!(
        req.body.as_deref().unwrap(),
        r#"{"messaging_product":"whatsapp","recipient_type":"individual","to":"16505551234","type":"text","text":{"preview_url":true,"body":"Thank you for contacting us!"}}"#
    );
    let long = SendTextInput {
        text: "x".repeat(4097),
        ..input.clone()
    };
    assert_eq!(
        issue_codes(build_send_text(&long, &opts()).unwrap_err()),
        ["text_too_long"]
    );
    assert!(build_send_text(
        &SendTextInput {
            text: "é".repeat(4096),
            ..input.clone()
        },
        &opts()
    )
    .is_ok());
    assert_eq!(
        issue_codes(
            build_send_text(
                &SendTextInput {
                    text: " ".into(),
                    ..input.clone()
                },
                &opts()
            )
            .unwrap_err()
        ),
        ["text_empty"]
    );
    assert_eq!(
        issue_codes(
            build_send_text(
                &SendTextInput {
                    to: "12".into(),
                    ..input
                },
                &opts()
            )
            .unwrap_err()
        ),
        ["recipient_too_short"]
    );
}

#[test]
fn send_media() {
    let input = SendMediaInput {
        phone_number_id: "111".into(),
        to: "27821234567".into(),
        media_type: "document".into(),
        link: Some("https://example.com/invoice.pdf".into()),
        caption: Some("Your invoice for December".into()),
        filename: Some("invoice_dec2024.pdf".into()),
        ..Default::default()
    };
    let req = build_send_media(&input, &opts()).unwrap();
    assert_eq!(
        req.body.as_deref().unwrap(),
        r#"{"messaging_product":"whatsapp","recipient_type":"individual","to":"27821234567","type":"document","document":{"link":"https://example.com/invoice.pdf","caption":"Your invoice for December","filename":"invoice_dec2024.pdf"}}"#
    );
    let by_id = SendMediaInput {
        media_type: "image".into(),
        link: None,
        media_id: Some("1234567890".into()),
        filename: None,
        ..input.clone()
    };
    assert_eq!(
        body(&build_send_media(&by_id, &opts()).unwrap())["image"],
        json!({"id": "1234567890", "caption": "Your invoice for December"})
    );
    let audio = SendMediaInput {
        media_type: "audio".into(),
        filename: None,
        ..input.clone()
    };
    let e = build_send_media(&audio, &opts()).unwrap_err();
    assert_eq!(issue_codes(e.clone()), ["media_caption_not_allowed"]);
    if let Error::Validation { issues } = e {
        assert_eq!(issues[0].path, "caption");
    }
    let both = SendMediaInput {
        media_id: Some("1".into()),
        ..input.clone()
    };
    assert_eq!(
        issue_codes(build_send_media(&both, &opts()).unwrap_err()),
        ["media_source_both"]
    );
    let gif = SendMediaInput {
        media_type: "gif".into(),
        ..input
    };
    assert_eq!(
        issue_codes(build_send_media(&gif, &opts()).unwrap_err()),
        ["media_type_invalid"]
    );
}

#[test]
fn mark_as_read() {
    let input = MarkAsReadInput {
        phone_number_id: "111".into(),
        message_id: "wamid.HBgNMjc4MjEyMzQ1Njc4".into(),
        typing_indicator: false,
    };
    assert_eq!(
        build_mark_as_read(&input, &opts())
            .unwrap()
            .body
            .as_deref()
            .unwrap(),
        r#"{"messaging_product":"whatsapp","status":"read","message_id":"wamid.HBgNMjc4MjEyMzQ1Njc4"}"#
    );
    let typing = MarkAsReadInput {
        typing_indicator: true,
        ..input.clone()
    };
    assert_eq!(
        body(&build_mark_as_read(&typing, &opts()).unwrap())["typing_indicator"],
        json!({"type": "text"})
    );
    assert_eq!(
        issue_codes(
            build_mark_as_read(
                &MarkAsReadInput {
                    message_id: "".into(),
                    ..input.clone()
                },
                &opts()
            )
            .unwrap_err()
        ),
        ["message_id_missing"]
    );
    assert_eq!(
        issue_codes(
            build_mark_as_read(
                &MarkAsReadInput {
                    message_id: "wamid x".into(),
                    ..input
                },
                &opts()
            )
            .unwrap_err()
        ),
        ["message_id_invalid"]
    );
}

#[test]
fn create_template() {
    let components = r#"[{"type":"HEADER","format":"TEXT","text":"Welcome to Our Service!"},{"type":"BODY","text":"Hi {{1}}, thank you for signing up! Your account ID is {{2}}. Start exploring today.","example":{"body_text":[["John","ACC12345"]]}},{"type":"FOOTER","text":"Reply STOP to unsubscribe"},{"type":"BUTTONS","buttons":[{"type":"QUICK_REPLY","text":"Get Started"},{"type":"URL","text":"Visit Website","url":"https://example.com/{{1}}","example":["https://example.com/welcome"]}]}]"#;
    let input = CreateTemplateInput {
        business_account_id: "102290129340398".into(),
        name: "customer_welcome_2024".into(),
        category: "marketing".into(),
        language: None,
        components: json!(components),
        parameter_format: None,
        extra: Vec::new(),
    };
    let req = build_create_template(&input, &opts()).unwrap();
    assert_eq!(
        req.url,
        "https://graph.facebook.com/v25.0/102290129340398/message_templates"
    );
    let b = body(&req);
    assert_eq!(b["category"], "MARKETING");
    assert_eq!(b["language"], "en_US");
    assert_eq!(
        b["components"],
        serde_json::from_str::<Value>(components).unwrap()
    );
    // The seed's verbatim components (URL button without example) are refused with the issue.
    let seed = components.replace(r#","example":["https://example.com/welcome"]"#, "");
    let e = build_create_template(
        &CreateTemplateInput {
            components: json!(seed),
            ..input.clone()
        },
        &opts(),
    )
    .unwrap_err();
    assert_eq!(issue_codes(e), ["button_url_example_missing"]);
    let e = build_create_template(
        &CreateTemplateInput {
            business_account_id: "waba".into(),
            name: "X".into(),
            category: "".into(),
            components: json!("[oops"),
            ..input
        },
        &opts(),
    )
    .unwrap_err();
    assert_eq!(
        issue_codes(e),
        [
            "business_account_id_invalid",
            "invalid_json",
            "name_invalid_chars",
            "category_missing",
            "body_missing"
        ]
    );
}

#[test]
fn get_templates() {
    let input = GetTemplatesInput {
        business_account_id: "102290129340398".into(),
        ..Default::default()
    };
    let req = build_get_templates(&input, &opts()).unwrap();
    assert_eq!(req.method, Method::Get);
    assert!(req.body.is_none() && req.headers.is_empty());
    assert_eq!(req.url, "https://graph.facebook.com/v25.0/102290129340398/message_templates?fields=id,name,status,category,language,components,parameter_format,quality_score,rejected_reason&limit=100");
    let req = build_get_templates(
        &GetTemplatesInput {
            status: Some("approved".into()),
            limit: 50,
            after: Some("QVFI+a/b=".into()),
            name: Some("order confirmation".into()),
            ..input.clone()
        },
        &opts(),
    )
    .unwrap();
    assert!(
        req.url
            .ends_with("&limit=50&status=APPROVED&name=order%20confirmation&after=QVFI%2Ba%2Fb%3D"),
        "{}",
        req.url
    );
    let e = build_get_templates(
        &GetTemplatesInput {
            status: Some("LIVE".into()),
            limit: 0,
            ..input
        },
        &opts(),
    )
    .unwrap_err();
    assert_eq!(issue_codes(e), ["limit_invalid", "status_invalid"]);
}

#[test]
fn recipients() {
    assert_eq!(
        validate_recipient("27821234567").normalized.as_deref(),
        Some("27821234567")
    );
    assert_eq!(
        validate_recipient("+27 (82) 123-4567")
            .normalized
            .as_deref(),
        Some("27821234567")
    );
    assert!(!validate_recipient("+27 82 CALL ME").valid);
}

fn resp(status: u16, body: &str) -> ApiResponse {
    ApiResponse {
        status,
        headers: vec![],
        body: body.into(),
    }
}

#[test]
fn response_parsers() {
    let r = parse_send_response(&resp(200, r#"{"messaging_product":"whatsapp","contacts":[{"input":"+16505551234","wa_id":"16505551234"}],"messages":[{"id":"wamid.HBgL","message_status":"accepted"}]}"#)).unwrap();
    assert_eq!(
        r,
        SendResult {
            message_id: "wamid.HBgL".into(),
            wa_id: Some("16505551234".into()),
            input: Some("+16505551234".into()),
            user_id: None,
            message_status: Some("accepted".into())
        }
    );
    // A send to a business-scoped user id (Meta's BSUID page): no wa_id, the user_id instead.
    let r = parse_send_response(&resp(200, r#"{"messaging_product":"whatsapp","contacts":[{"input":"US.13491208655302741918","user_id":"US.13491208655302741918"}],"messages":[{"id":"wamid.B"}]}"#)).unwrap();
    assert_eq!(
        (r.wa_id, r.user_id.as_deref()),
        (None, Some("US.13491208655302741918"))
    );
    assert!(matches!(
        parse_send_response(&resp(200, r#"{"messages":[]}"#)),
        Err(Error::Parse { .. })
    ));
    assert!(matches!(
        parse_send_response(&resp(200, "nope")),
        Err(Error::Parse { .. })
    ));
    match parse_send_response(&resp(
        400,
        r#"{"error":{"message":"Re-engagement message","code":131047,"fbtrace_id":"A"}}"#,
    )) {
        Err(e) => assert_eq!(e.kind(), ErrorKind::WindowClosed),
        Ok(r) => panic!("{r:?}"),
    }
    let page = parse_template_page(&resp(200, r#"{"data":[{"id":"1","name":"order_confirmation","status":"APPROVED","category":"UTILITY","language":"en_US","components":[{"type":"BODY","text":"Hi {{1}}."}],"quality_score":{"score":"GREEN"}}],"paging":{"cursors":{"before":"b","after":"a"},"next":"https://graph.facebook.com/next"}}"#)).unwrap();
    assert_eq!(page.data[0].name, "order_confirmation");
    assert_eq!(page.after.as_deref(), Some("a"));
    let last = parse_template_page(&resp(
        200,
        r#"{"data":[],"paging":{"cursors":{"after":"a"}}}"#,
    ))
    .unwrap();
    assert_eq!(last.after, None);
    let created = parse_created_template(&resp(
        200,
        r#"{"id":"594425479261596","status":"PENDING","category":"MARKETING"}"#,
    ))
    .unwrap();
    assert_eq!(created.status.as_deref(), Some("PENDING"));
    assert_eq!(
        parse_success(&resp(200, r#"{"success":true}"#)).ok(),
        Some(true)
    );
}

/// Issue paths are built only when an issue is reported (`domain::json::Path`); each place that
/// builds one lazily names the value exactly (same paths as before paths were lazy).
#[test]
fn lazy_issue_paths_name_the_value() {
    fn pairs(issues: &[Issue]) -> Vec<(&str, &'static str)> {
        issues.iter().map(|i| (i.path.as_str(), i.code)).collect()
    }
    let send = |p: Value| match build_send_template(&tpl(p), &opts()) {
        Err(Error::Validation { issues }) => issues,
        other => panic!("expected issues, got {other:?}"),
    };
    let values = |v: Value| {
        template_values_from_json(&v, "values")
            .err()
            .unwrap_or_default()
    };

    let a = send(json!(["John", "", "R500", "Dec 25"]));
    assert_eq!(pairs(&a), [("parameters[1]", "parameter_empty")]);
    let b = send(json!({"first_name": "Ann", "order": "a\tb"}));
    assert_eq!(pairs(&b), [("parameters.order", "parameter_text_invalid")]);
    assert_eq!(
        pairs(&values(json!({"body": ["a", {"x": 1}]}))),
        [("values.body[1]", "invalid_type")]
    );
    assert_eq!(
        pairs(&values(json!(["a", [1, 2]]))),
        [("values[1]", "invalid_type")]
    );
    assert_eq!(
        pairs(&values(json!({"name": [1, 2]}))),
        [("values.name", "invalid_type")]
    );
    assert_eq!(
        pairs(&values(json!({"buttons": 3}))),
        [("values.buttons", "invalid_type")]
    );

    let g =
        bind_json(json!({"body": ["John", "a\tb", "R500", "Dec 25"], "buttons": ["1", null, "C"]}));
    assert_eq!(
        pairs(&g.issues),
        [
            ("values.header", "binding_missing_value"),
            ("values.body[1]", "parameter_text_invalid")
        ]
    );
    let named = json!({"name": "n", "language": "en_US", "parameter_format": "NAMED", "components": [
        {"type": "HEADER", "format": "TEXT", "text": "Hi {{name}}", "example": {"header_text_named_params": [{"param_name": "name", "example": "A"}]}},
        {"type": "BODY", "text": "Order {{order_id}} is ok", "example": {"body_text_named_params": [{"param_name": "order_id", "example": "1"}]}}
    ]});
    let v = template_values_from_json(
        &json!({"header": "a\nb", "body": {"order_id": "x\ty"}}),
        "values",
    )
    .unwrap_or_default();
    assert_eq!(
        pairs(&bind_template_parameters(&named, &v).issues),
        [
            ("values.header.text", "parameter_text_invalid"),
            ("values.body.order_id", "parameter_text_invalid")
        ]
    );
}

/// `biz_opaque_callback_data` is an envelope field (beside `template`), ≤ 512 characters.
#[test]
fn template_carries_biz_opaque_callback_data() {
    let mut input = tpl(json!(["John", "12345", "R500", "Dec 25"]));
    input.biz_opaque_callback_data = Some("c:42:r:7 \"q\"".into());
    let b = body(&build_send_template(&input, &opts()).unwrap());
    assert_eq!(b["biz_opaque_callback_data"], "c:42:r:7 \"q\"");
    assert_eq!(b["template"]["name"], "order_confirmation");
    input.biz_opaque_callback_data = Some("x".repeat(513));
    let e = build_send_template(&input, &opts()).unwrap_err();
    assert!(format!("{e:?}").contains("biz_opaque_too_long"), "{e:?}");
    input.biz_opaque_callback_data = Some("x".repeat(512));
    assert!(build_send_template(&input, &opts()).is_ok());
}

/// What `src/domain/message/json_route_tests.rs` (two routes of the JSON builders compared, deleted
/// with the second route) leaned on, pinned as behaviour of the one route: numbers as JSON reads
/// them, repeated keys (the last wins), escaped keys, JSON text inside strings.
#[test]
fn json_text_input_reads_numbers_keys_and_strings_as_json_does() {
    let sent = |text: &str| build_request_json("sendTemplate", text).map(|r| body(&r));
    // Numbers become their JSON text; JSON text in a string stays a string.
    let b = sent(
        r#"{"phoneNumberId":"1","to":"27821234567","templateName":"t","parameters":[-0,1.50,123456789012345678901234,true,"{\"a\":1}"]}"#,
    )
    .unwrap();
    let texts: Vec<&str> = b["template"]["components"][0]["parameters"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["text"].as_str().unwrap())
        .collect();
    assert_eq!(
        texts,
        ["0", "1.5", "1.2345678901234569e+23", "true", "{\"a\":1}"]
    );
    // A number too large for a double reads as null, which is not a parameter.
    let e = sent(
        r#"{"phoneNumberId":"1","to":"27821234567","templateName":"t","parameters":["a",1e400]}"#,
    )
    .unwrap_err();
    let Error::Validation { issues } = e else {
        panic!("a validation error")
    };
    assert_eq!(issues[0].path, "parameters[1]");
    assert_eq!(issues[0].code, "invalid_type");
    assert!(
        issues[0].message.contains("got null"),
        "{}",
        issues[0].message
    );
    // Repeated keys: the last wins; an escaped key is the key it spells; named parameters are
    // sent in name order.
    let b = sent(
        r#"{"phoneNumberId":"1","to":1e400,"templateName":"t","to":"27821234567","param\u0065ters":{"b":"2","a":1,"b":"3"}}"#,
    )
    .unwrap();
    assert_eq!(b["to"], "27821234567");
    assert_eq!(
        b["template"]["components"][0]["parameters"],
        json!([{"type": "text", "parameter_name": "a", "text": "1"},
               {"type": "text", "parameter_name": "b", "text": "3"}])
    );
    // The other builders read the same text and report their own missing fields, in order.
    for (builder, first) in [
        ("sendText", "text_empty"),
        ("sendMedia", "media_type_missing"),
        ("markAsRead", "message_id_missing"),
        ("createTemplate", "business_account_id_invalid"),
        ("getTemplates", "business_account_id_invalid"),
    ] {
        let e =
            build_request_json(builder, r#"{"phoneNumberId":"1","to":"27821234567"}"#).unwrap_err();
        assert_eq!(issue_codes(e)[0], first, "{builder}");
    }
    // Not JSON, or cut anywhere: an invalid_json issue, never a panic.
    let seed = r#"{"phoneNumberId":"1234567890","to":"27821234567","templateName":"order_confirmation","language":"en_US","parameters":["John","12345"]}"#;
    for at in 0..seed.len() {
        let e = build_request_json("sendTemplate", &seed[..at]).unwrap_err();
        assert!(matches!(e, Error::Validation { .. }), "{at}");
    }
    assert!(build_request_json("sendTemplate", seed).is_ok());
}
