//! Signed webhook delivery (§6): envelopes, status progressions, template updates, inbound
//! messages. Bodies are serialized PHP-style (see [`crate::json`]) and signed over those exact
//! bytes with `X-Hub-Signature-256: sha256=<hex>`.

use crate::state::{field, State, Template};
use crate::{json, util, App};
use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper_util::rt::TokioIo;
use serde::Serialize;
use serde_json::{json, Value};
use std::sync::Arc;
use std::time::Duration;

/// Keep at most this many webhook bodies for `GET /_emulator/webhooks`.
const LOG_CAP: usize = 10_000;

/// A webhook body. Structs (not maps) so keys come out in Meta's order:
/// `{"object":…,"entry":[{"id":…,"time"?:…,"changes":[{"value":…,"field":…}]}]}`.
#[derive(Debug, Serialize)]
pub struct Envelope {
    object: &'static str,
    entry: [Entry; 1],
}

#[derive(Debug, Serialize)]
struct Entry {
    id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    time: Option<i64>,
    changes: [Change; 1],
}

#[derive(Debug, Serialize)]
struct Change {
    value: ChangeValue,
    field: String,
}

#[derive(Debug, Serialize)]
#[serde(untagged)]
pub enum ChangeValue {
    Messages(MessagesValue),
    Other(Value),
}

/// The `value` of a `messages` change (§6.2).
#[derive(Debug, Serialize)]
pub struct MessagesValue {
    messaging_product: &'static str,
    metadata: Metadata,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub contacts: Option<Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub messages: Option<Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub statuses: Option<Value>,
}

#[derive(Debug, Serialize)]
struct Metadata {
    display_phone_number: String,
    phone_number_id: String,
}

/// Wraps one change in the `whatsapp_business_account` envelope (§6.2).
pub fn envelope(
    waba_id: &str,
    field_name: &str,
    value: ChangeValue,
    time: Option<i64>,
) -> Envelope {
    Envelope {
        object: "whatsapp_business_account",
        entry: [Entry {
            id: waba_id.to_owned(),
            time,
            changes: [Change {
                value,
                field: field_name.to_owned(),
            }],
        }],
    }
}

/// Digits of a display number, as `metadata.display_phone_number` carries it.
pub fn display_digits(display: &str) -> String {
    display.chars().filter(char::is_ascii_digit).collect()
}

/// The `messages`-field value skeleton for a phone number.
pub fn messages_value(st: &State, phone_number_id: &str) -> MessagesValue {
    let display = st
        .phone(phone_number_id)
        .map(|p| field(p, "display_phone_number"))
        .unwrap_or("");
    MessagesValue {
        messaging_product: "whatsapp",
        metadata: Metadata {
            display_phone_number: display_digits(display),
            phone_number_id: phone_number_id.to_owned(),
        },
        contacts: None,
        messages: None,
        statuses: None,
    }
}

/// Emits a `messages` change (inbound messages, statuses) for a number of `waba_id`.
pub fn emit_messages(app: &Arc<App>, st: &mut State, waba_id: &str, value: MessagesValue) {
    let payload = envelope(waba_id, "messages", ChangeValue::Messages(value), None);
    emit(app, st, payload);
}

/// Records `payload` and, if a webhook URL is set, delivers it in the background.
pub fn emit(app: &Arc<App>, st: &mut State, payload: Envelope) {
    if let Some(job) = record(app, st, payload) {
        tokio::spawn(job.run());
    }
}

/// One signed delivery, ready to run.
#[derive(Debug)]
pub struct Delivery {
    url: String,
    signature: String,
    body: Bytes,
    log: bool,
}

impl Delivery {
    pub async fn run(self) {
        deliver(self.url, self.signature, self.body, self.log).await;
    }
}

/// Serializes, signs and logs `payload`; returns the delivery to make if a URL is set.
pub fn record(app: &Arc<App>, st: &mut State, payload: Envelope) -> Option<Delivery> {
    let (url, secret) = app.webhook_target();
    let body = json::to_meta_vec(&payload);
    let signature = util::sign(&secret, &body);
    if st.webhook_log.len() >= LOG_CAP {
        st.webhook_log.remove(0);
    }
    st.webhook_log.push(json!({
        "url": url,
        "signature": signature,
        "body": String::from_utf8_lossy(&body),
        "payload": serde_json::to_value(&payload).unwrap_or(Value::Null)
    }));
    url.map(|url| Delivery {
        url,
        signature,
        body: Bytes::from(body),
        log: app.config.log_requests,
    })
}

/// Whether webhooks are being produced at all.
pub fn enabled(app: &App) -> bool {
    app.webhook_target().0.is_some()
}

async fn deliver(url: String, signature: String, body: Bytes, log: bool) {
    let mut delay = Duration::from_millis(500);
    for attempt in 1..=3 {
        match post(&url, &signature, body.clone()).await {
            Ok(status) if (200..300).contains(&status) => return,
            Ok(status) => {
                if log {
                    eprintln!("wa-emulator: webhook {url} answered {status} (attempt {attempt}/3)");
                }
            }
            Err(e) => {
                if log {
                    eprintln!("wa-emulator: webhook {url} failed: {e} (attempt {attempt}/3)");
                }
            }
        }
        tokio::time::sleep(delay).await;
        delay *= 2;
    }
}

pub(crate) async fn post(url: &str, signature: &str, body: Bytes) -> Result<u16, String> {
    let rest = url
        .strip_prefix("http://")
        .ok_or("only http:// webhook URLs are supported")?;
    let (authority, path) = match rest.find('/') {
        Some(i) => (rest.get(..i).unwrap_or(""), rest.get(i..).unwrap_or("/")),
        None => (rest, "/"),
    };
    let addr = if authority.contains(':') {
        authority.to_owned()
    } else {
        format!("{authority}:80")
    };
    let work = async {
        let stream = tokio::net::TcpStream::connect(&addr)
            .await
            .map_err(|e| e.to_string())?;
        let (mut sender, conn) = hyper::client::conn::http1::handshake(TokioIo::new(stream))
            .await
            .map_err(|e| e.to_string())?;
        tokio::spawn(async move {
            let _ = conn.await;
        });
        let req = hyper::Request::builder()
            .method("POST")
            .uri(path)
            .header("host", authority)
            .header("content-type", "application/json")
            .header("user-agent", "facebookexternalua")
            .header("x-hub-signature-256", signature)
            .body(Full::new(body))
            .map_err(|e| e.to_string())?;
        let resp = sender.send_request(req).await.map_err(|e| e.to_string())?;
        let status = resp.status().as_u16();
        let _ = resp.into_body().collect().await;
        Ok::<u16, String>(status)
    };
    tokio::time::timeout(Duration::from_secs(10), work)
        .await
        .map_err(|_| "timed out".to_owned())?
}

/// Information needed to report one outbound message's statuses.
#[derive(Debug, Clone)]
pub struct Outbound {
    pub wamid: String,
    pub phone_number_id: String,
    pub waba_id: String,
    pub recipient: String,
    pub category: String,
    pub pricing_type: String,
    pub reads: bool,
    pub biz_opaque: Option<String>,
    pub failure: Option<crate::errors::GraphErr>,
}

fn status_value(st: &State, o: &Outbound, status: &str) -> Envelope {
    let mut s = json!({
        "id": o.wamid,
        "status": status,
        "timestamp": st.now_secs().to_string(),
        "recipient_id": o.recipient,
    });
    if let Some(obj) = s.as_object_mut() {
        crate::identities::status_ids(obj, &o.recipient);
        if let Some(b) = &o.biz_opaque {
            obj.insert("biz_opaque_callback_data".into(), json!(b));
        }
        if status == "failed" {
            if let Some(f) = &o.failure {
                obj.insert("errors".into(), json!([f.to_webhook_error()]));
            }
        } else {
            obj.insert(
                "pricing".into(),
                json!({"billable": o.pricing_type == "regular", "pricing_model": "PMP", "type": o.pricing_type, "category": o.category}),
            );
        }
    }
    let mut v = messages_value(st, &o.phone_number_id);
    v.statuses = Some(json!([s]));
    envelope(&o.waba_id, "messages", ChangeValue::Messages(v), None)
}

/// Sends sent → delivered → read (or failed) status webhooks for an accepted message.
pub fn spawn_statuses(app: &Arc<App>, o: Outbound) {
    if !enabled(app) {
        return;
    }
    let app = app.clone();
    let step = Duration::from_millis(app.config.status_interval_ms);
    tokio::spawn(async move {
        let seq: Vec<&str> = if o.failure.is_some() {
            vec!["failed"]
        } else if o.reads && app.config.read_receipts {
            vec!["sent", "delivered", "read"]
        } else {
            vec!["sent", "delivered"]
        };
        for status in seq {
            tokio::time::sleep(step).await;
            let step_result = {
                let mut st = app.lock();
                match st.sent_index.get(&o.wamid).copied() {
                    Some(i) => {
                        if let Some(m) = st.sent.get_mut(i) {
                            m.status = status.to_owned();
                        }
                        let payload = status_value(&st, &o, status);
                        Some(record(&app, &mut st, payload))
                    }
                    None => None, // reset in the meantime
                }
            };
            let Some(job) = step_result else { return };
            // Delivered in order: the next status waits for this POST (and its retries).
            if let Some(job) = job {
                job.run().await;
            }
        }
    });
}

/// Fires a `message_template_status_update` webhook for `t`'s current status.
pub fn emit_template_status(
    app: &Arc<App>,
    st: &mut State,
    t: &Template,
    reason: Option<&str>,
    recommendation: Option<&str>,
) {
    let id_num: Value =
        t.id.parse::<u64>()
            .map(|n| json!(n))
            .unwrap_or_else(|_| json!(t.id));
    let mut value = json!({
        "event": t.status,
        "message_template_id": id_num,
        "message_template_name": t.name,
        "message_template_language": t.language,
        "reason": reason.unwrap_or("NONE"),
        "message_template_category": t.category,
    });
    if let (Some(obj), Some(r), Some(rec)) = (value.as_object_mut(), reason, recommendation) {
        obj.insert(
            "rejection_info".into(),
            json!({"reason": r, "recommendation": rec}),
        );
    }
    let now = st.now_secs();
    let payload = envelope(
        &t.waba_id,
        "message_template_status_update",
        ChangeValue::Other(value),
        Some(now),
    );
    emit(app, st, payload);
}
