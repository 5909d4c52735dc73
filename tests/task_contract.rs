//! Native tests of `runTask`: the seed's outputs for every action, and a failure for every
//! troubleshooting case, each with `run: false`, advice in `run_text`, `error_code`, `error_kind`.
#![cfg(not(target_arch = "wasm32"))]
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

#[path = "native/support.rs"]
mod support;

use serde_json::{json, Value};
use support::*;
use whatsapp_business::LocalFuture;
use whatsapp_business::{
    run_task, to_output_variables, AccessToken, Client, Connections, Error, StaticToken, TaskOutput,
};

/// A Graph stand-in: answers by URL, body and token like the emulator's fixture.
fn graph(call: &Call, _: usize) -> Result<whatsapp_business::ApiResponse, Error> {
    let auth = call.auth.clone().unwrap_or_default();
    if auth == "Bearer expired" {
        return graph_error(401, 190, Some(463));
    }
    if auth == "Bearer no-messaging" && call.url.contains("/messages") {
        return graph_error(403, 200, None);
    }
    let body: Value = call
        .body
        .as_deref()
        .and_then(|b| serde_json::from_str(b).ok())
        .unwrap_or(Value::Null);
    let url = call.url.as_str();
    if url.contains("/999999999999999/") {
        return graph_error(400, 100, Some(33));
    }
    if url.ends_with("/messages") {
        if body["status"] == "read" {
            return json(200, r#"{"success":true}"#);
        }
        if body["to"] == "27820000001" && body["type"] != "template" {
            return graph_error(400, 131047, None);
        }
        if body["to"] == "27829999999" {
            return graph_error(429, 130429, None);
        }
        if body["type"] == "template" {
            return match body["template"]["name"].as_str() {
                Some("order_confirmation") => {
                    let n = body["template"]["components"][0]["parameters"]
                        .as_array()
                        .map_or(0, Vec::len);
                    if n == 4 {
                        json(200, SENT)
                    } else {
                        graph_error(400, 132000, None)
                    }
                }
                _ => graph_error(404, 132001, None),
            };
        }
        if body["type"] == "image" && body["image"]["link"] == "https://example.com/broken.jpg" {
            return graph_error(400, 131053, None);
        }
        return json(200, SENT);
    }
    if url.contains("/message_templates") && call.method == whatsapp_business::Method::Post {
        return json(
            200,
            r#"{"id":"1234567890","status":"PENDING","category":"MARKETING"}"#,
        );
    }
    if url.contains("/message_templates") {
        return json(
            200,
            r#"{"data":[{"id":"1","name":"order_confirmation","status":"APPROVED","category":"UTILITY","language":"en_US","components":[]},{"id":"2","name":"welcome","status":"APPROVED","category":"MARKETING","language":"en_US","components":[]}]}"#,
        );
    }
    if url.contains("/wamid.") {
        return graph_error(400, 100, Some(33));
    }
    graph_error(400, 100, None)
}

struct Conns {
    transport: FakeTransport,
    clock: Clock,
}

impl Connections for Conns {
    type Client = Client<FakeTransport, Clock, StaticToken>;
    fn client<'a>(&'a self, id: &'a str) -> LocalFuture<'a, Result<Option<Self::Client>, Error>> {
        let token = match id {
            "conn-main" => Some("valid"),
            "conn-expired" => Some("expired"),
            "conn-no-messaging" => Some("no-messaging"),
            _ => None,
        };
        let client = token.map(|t| {
            Client::new(
                self.transport.clone(),
                self.clock.clone(),
                StaticToken(AccessToken::new(t)),
                config(),
            )
        });
        Box::pin(async move { Ok(client) })
    }
}

fn run(config: Value) -> (TaskOutput, FakeTransport) {
    let conns = Conns {
        transport: FakeTransport::new(graph),
        clock: Clock::new(0.0),
    };
    let out = block_on(run_task(&config.to_string(), &conns));
    (out, conns.transport)
}

fn base(action: &str, extra: Value) -> Value {
    let mut m = extra.as_object().cloned().unwrap_or_default();
    m.insert("action".into(), json!(action));
    m.entry("app_connection_id").or_insert(json!("conn-main"));
    Value::Object(m)
}

fn out_json(o: &TaskOutput) -> Value {
    serde_json::from_str(&whatsapp_business::ToJson::to_json(o)).unwrap()
}

/// The JSON value of a `RawJson`.
fn value(r: &whatsapp_business::RawJson) -> Value {
    serde_json::from_str(r.as_str()).unwrap()
}

const PN: &str = "300000000000001";
const WABA: &str = "200000000000001";

#[test]
fn send_template_outputs() {
    let (o, t) = run(base(
        "send_template",
        json!({"business_account_id": WABA, "phone_number_id": PN, "recipient": "27821234567", "template_name": "order_confirmation", "template_parameters": "[\"John\", \"12345\", \"R500\", \"Dec 25\"]"}),
    ));
    assert_eq!(
        out_json(&o),
        json!({"run": true, "run_text": "Template sent successfully.", "action": "send_template", "message_id": "wamid.TEST1", "recipient": "27821234567", "template_name": "order_confirmation"})
    );
    let body: Value = serde_json::from_str(t.calls()[0].body.as_deref().unwrap()).unwrap();
    assert_eq!(body["template"]["language"]["code"], "en_US");
    assert_eq!(
        body["template"]["components"][0]["parameters"][3]["text"],
        "Dec 25"
    );
    assert_eq!(
        t.calls()[0].url,
        format!("http://graph.test/v25.0/{PN}/messages")
    );
}

#[test]
fn create_template_outputs() {
    let components = json!([{"type":"BODY","text":"Hi {{1}}, thank you for signing up! Your account ID is {{2}}. Start exploring today.","example":{"body_text":[["John","ACC12345"]]}}]);
    let (o, _) = run(base(
        "create_template",
        json!({"business_account_id": WABA, "template_name": "new_customer_welcome", "template_category": "MARKETING", "template_components": components.to_string()}),
    ));
    assert_eq!(
        out_json(&o),
        json!({"run": true, "run_text": "Template created successfully.", "action": "create_template", "template_id": "1234567890", "template_name": "new_customer_welcome", "status": "PENDING"})
    );
}

#[test]
fn get_templates_outputs() {
    let (o, t) = run(base(
        "get_templates",
        json!({"business_account_id": WABA, "status_filter": "APPROVED", "limit": "50"}),
    ));
    assert!(o.run, "{}", o.run_text);
    assert_eq!(o.run_text, "Successfully retrieved templates.");
    assert_eq!(o.count, Some(2));
    let templates = value(&o.templates.clone().unwrap());
    assert_eq!(templates[0]["name"], "order_confirmation");
    assert_eq!(templates[0]["status"], "APPROVED");
    assert!(
        t.calls()[0].url.contains("status=APPROVED"),
        "{}",
        t.calls()[0].url
    );
    assert!(
        t.calls()[0].url.contains("limit=25"),
        "{}",
        t.calls()[0].url
    );
}

#[test]
fn send_text_send_media_mark_as_read_outputs() {
    let (o, t) = run(base(
        "send_text",
        json!({"phone_number_id": PN, "recipient": "27821234567", "message_text": "Thank you for contacting us!", "preview_url": "true"}),
    ));
    assert_eq!(
        out_json(&o),
        json!({"run": true, "run_text": "Text message sent successfully.", "action": "send_text", "message_id": "wamid.TEST1", "recipient": "27821234567"})
    );
    let body: Value = serde_json::from_str(t.calls()[0].body.as_deref().unwrap()).unwrap();
    assert_eq!(body["text"]["preview_url"], true);

    let (o, _) = run(base(
        "send_media",
        json!({"phone_number_id": PN, "recipient": "27821234567", "media_type": "document", "media_url": "https://example.com/invoice.pdf", "caption": "Your invoice for December", "filename": "invoice_dec2024.pdf"}),
    ));
    assert_eq!(
        out_json(&o),
        json!({"run": true, "run_text": "Media sent successfully.", "action": "send_media", "message_id": "wamid.TEST1", "recipient": "27821234567", "media_type": "document"})
    );

    let (o, _) = run(base(
        "mark_as_read",
        json!({"phone_number_id": PN, "message_id": "wamid.INBOUND1"}),
    ));
    assert_eq!(
        out_json(&o),
        json!({"run": true, "run_text": "Message marked as read.", "action": "mark_as_read", "success": true, "message_id": "wamid.INBOUND1"})
    );
}

fn failure(o: &TaskOutput, kind: &str, code: &str, advice: &str) {
    assert!(!o.run, "{o:?}");
    assert_eq!(o.error_kind, Some(kind), "{}", o.run_text);
    assert_eq!(o.error_code.as_deref(), Some(code), "{}", o.run_text);
    assert!(
        o.run_text.contains(advice),
        "run_text {:?} should contain {advice:?}",
        o.run_text
    );
}

#[test]
fn get_message_status_explains_webhooks() {
    let (o, _) = run(base(
        "get_message_status",
        json!({"message_id": "wamid.HBgNMjc4MjEyMzQ1Njc4"}),
    ));
    failure(&o, "not_found", "status_from_webhooks", "webhook");
    assert!(o
        .run_text
        .starts_with("Message status not retrieved: Meta has no endpoint"));
}

#[test]
fn troubleshooting_no_connection() {
    let mut cfg = base(
        "send_text",
        json!({"phone_number_id": PN, "recipient": "27821234567", "message_text": "hi"}),
    );
    cfg.as_object_mut().unwrap().remove("app_connection_id");
    let (o, t) = run(cfg);
    failure(&o, "auth", "no_connection", "No app connection selected");
    assert!(o
        .run_text
        .contains("Settings → Integrations → App Connections"));
    assert_eq!(t.count(), 0);
    let (o, _) = run(base(
        "send_text",
        json!({"app_connection_id": "conn-deleted", "phone_number_id": PN, "recipient": "27821234567", "message_text": "hi"}),
    ));
    failure(&o, "auth", "no_connection", "conn-deleted");
}

#[test]
fn troubleshooting_expired_token_permissions_and_phone_not_found() {
    let (o, _) = run(base(
        "send_template",
        json!({"app_connection_id": "conn-expired", "phone_number_id": PN, "recipient": "27821234567", "template_name": "order_confirmation", "template_parameters": ["a","b","c","d"]}),
    ));
    failure(&o, "auth", "190", "re-authorize");
    let (o, _) = run(base(
        "send_text",
        json!({"app_connection_id": "conn-no-messaging", "phone_number_id": PN, "recipient": "27821234567", "message_text": "hi"}),
    ));
    failure(&o, "permission", "200", "whatsapp_business_messaging");
    let (o, _) = run(base(
        "send_text",
        json!({"phone_number_id": "999999999999999", "recipient": "27821234567", "message_text": "hi"}),
    ));
    failure(
        &o,
        "not_found",
        "100",
        "phone number ID (not the phone number itself)",
    );
}

#[test]
fn troubleshooting_templates() {
    let (o, _) = run(base(
        "send_template",
        json!({"phone_number_id": PN, "recipient": "27821234567", "template_name": "no_such_template"}),
    ));
    failure(&o, "template", "132001", "get_templates");
    let (o, _) = run(base(
        "send_template",
        json!({"phone_number_id": PN, "recipient": "27821234567", "template_name": "order_confirmation", "template_parameters": "[\"John\"]"}),
    ));
    failure(&o, "template", "132000", "placeholders");
    let (o, t) = run(base(
        "send_template",
        json!({"phone_number_id": PN, "recipient": "27821234567", "template_name": "Order-Confirmation"}),
    ));
    failure(&o, "validation", "name_invalid_chars", "nothing was sent");
    assert_eq!(t.count(), 0);
    let (o, _) = run(base(
        "create_template",
        json!({"business_account_id": WABA, "template_name": "x", "template_category": "UTILITY"}),
    ));
    failure(&o, "validation", "field_required", "template_components");
}

#[test]
fn troubleshooting_window_media_rate_limit() {
    let (o, _) = run(base(
        "send_text",
        json!({"phone_number_id": PN, "recipient": "27820000001", "message_text": "hi"}),
    ));
    failure(&o, "window_closed", "131047", "send_template");
    let (o, t) = run(base(
        "send_media",
        json!({"phone_number_id": PN, "recipient": "27821234567", "media_type": "image"}),
    ));
    failure(&o, "validation", "media_source_required", "media_url");
    assert_eq!(t.count(), 0);
    let (o, _) = run(base(
        "send_media",
        json!({"phone_number_id": PN, "recipient": "27821234567", "media_type": "image", "media_url": "https://example.com/broken.jpg"}),
    ));
    failure(&o, "media", "131053", "public HTTPS");
    let (o, t) = run(base(
        "send_text",
        json!({"phone_number_id": PN, "recipient": "27829999999", "message_text": "hi"}),
    ));
    failure(&o, "rate_limit", "130429", "backoff");
    assert_eq!(t.count(), 4, "retried up to the bound");
    let (o, _) = run(base("send_fax", json!({})));
    failure(&o, "validation", "action_invalid", "send_template");
    assert_eq!(o.action, "send_fax");
}

#[test]
fn output_variables_keep_nested_objects() {
    let (o, _) = run(base("get_templates", json!({"business_account_id": WABA})));
    let vars = value(&to_output_variables(&o, "task_58001"));
    assert_eq!(vars["task_58001_run"], json!(true));
    assert_eq!(vars["task_58001_count"], json!(2));
    assert_eq!(vars["task_58001_templates"][1]["name"], "welcome");
    assert_eq!(vars["task_58001_action"], "get_templates");
}

/// The task's `recipient` may be a business-scoped user id (a webhook's `fromUserId`): it is
/// sent as Meta's `recipient`, not as a phone number in `to` (issue 14).
#[test]
fn recipient_may_be_a_business_scoped_user_id() {
    for (action, extra) in [
        ("send_text", json!({"message_text": "Hi"})),
        (
            "send_media",
            json!({"media_type": "image", "media_url": "https://example.com/a.png"}),
        ),
        (
            "send_template",
            json!({"business_account_id": WABA, "template_name": "order_confirmation", "template_parameters": "[\"John\", \"12345\", \"R500\", \"Dec 25\"]"}),
        ),
    ] {
        let mut cfg = extra;
        cfg["phone_number_id"] = json!(PN);
        cfg["recipient"] = json!("US.13491208655302741918");
        let (o, t) = run(base(action, cfg));
        assert!(o.run, "{action}: {}", o.run_text);
        assert_eq!(o.recipient.as_deref(), Some("US.13491208655302741918"));
        let body: Value = serde_json::from_str(t.calls()[0].body.as_deref().unwrap()).unwrap();
        assert_eq!(body["recipient"], "US.13491208655302741918", "{action}");
        assert!(body.get("to").is_none(), "{action}: {body}");
    }
}
