//! `POST /_emulator/webhooks/redeliver`: sends recorded webhook deliveries again, byte for byte
//! with their original signature, the way Meta redelivers until it gets a 200 — in a chosen order
//! (e.g. statuses in reverse), several times at once (concurrent duplicates), or to another URL.
//! Each POST is made once (no retries) and the answer lists the HTTP statuses it got.

use crate::control::{bad, body_json};
use crate::{webhook, App, Ctx, Resp};
use bytes::Bytes;
use serde_json::{json, Value};
use std::sync::Arc;

/// Most copies of one delivery a single call may send at once.
const MAX_TIMES: u64 = 1000;

struct Job {
    index: usize,
    url: String,
    signature: String,
    body: Bytes,
}

/// Whether this request is a redelivery (handled here, asynchronously, not by `control`).
pub fn is_route(method: &str, raw_path: &str) -> bool {
    method == "POST" && raw_path.trim_end_matches('/') == "/_emulator/webhooks/redeliver"
}

/// Body: `{"indices"?: [i, …] (into GET /_emulator/webhooks; default: the newest),
/// "times"?: N (copies of each, sent concurrently; default 1), "url"?: "http://…"}`.
/// Answer: `{"deliveries":[{"index","statuses":[200, …]}]}`; a failed POST counts as status 0.
pub async fn handle(app: &Arc<App>, ctx: &Ctx) -> Resp {
    match plan(app, ctx) {
        Ok((jobs, times)) => {
            let mut deliveries = Vec::new();
            for job in jobs {
                let mut set = tokio::task::JoinSet::new();
                for _ in 0..times {
                    let (url, signature, body) =
                        (job.url.clone(), job.signature.clone(), job.body.clone());
                    set.spawn(
                        async move { webhook::post(&url, &signature, body).await.unwrap_or(0) },
                    );
                }
                let mut statuses = Vec::new();
                while let Some(done) = set.join_next().await {
                    statuses.push(done.unwrap_or(0));
                }
                statuses.sort_unstable();
                deliveries.push(json!({"index": job.index, "statuses": statuses}));
            }
            Resp::json(200, &json!({ "deliveries": deliveries }))
        }
        Err(resp) => resp,
    }
}

fn plan(app: &Arc<App>, ctx: &Ctx) -> Result<(Vec<Job>, u64), Resp> {
    let b = body_json(ctx)?;
    let times = match b.get("times") {
        None => 1,
        Some(v) => v
            .as_u64()
            .filter(|n| (1..=MAX_TIMES).contains(n))
            .ok_or_else(|| bad(format!("times must be an integer from 1 to {MAX_TIMES}")))?,
    };
    let url_override = match b.get("url") {
        None | Some(Value::Null) => None,
        Some(Value::String(u)) if u.starts_with("http://") => Some(u.clone()),
        Some(_) => return Err(bad("url must be an http:// URL")),
    };
    let st = app.lock();
    let log = &st.webhook_log;
    let indices: Vec<usize> = match b.get("indices") {
        None => match log.len().checked_sub(1) {
            Some(last) => vec![last],
            None => return Err(bad("no webhook has been recorded yet")),
        },
        Some(Value::Array(items)) => items
            .iter()
            .map(|v| v.as_u64().map(|n| n as usize))
            .collect::<Option<Vec<_>>>()
            .ok_or_else(|| bad("indices must be an array of non-negative integers"))?,
        Some(_) => return Err(bad("indices must be an array")),
    };
    let current = app.webhook_target().0;
    let mut jobs = Vec::new();
    for index in indices {
        let entry = log.get(index).ok_or_else(|| {
            bad(format!(
                "no recorded webhook at index {index} (there are {})",
                log.len()
            ))
        })?;
        let url = url_override
            .clone()
            .or_else(|| current.clone())
            .ok_or_else(|| bad("no webhook URL: set one or pass url"))?;
        let text = |k: &str| {
            entry
                .get(k)
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_owned()
        };
        jobs.push(Job {
            index,
            url,
            signature: text("signature"),
            body: Bytes::from(text("body")),
        });
    }
    Ok((jobs, times))
}
