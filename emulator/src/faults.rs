//! Injected faults (`/_emulator/faults`): stored by the control API, taken by the Graph request
//! they match, and turned into what the server does instead: answer, wait, or drop the connection.

use crate::control::bad;
use crate::state::{Fault, State};
use crate::{errors, json, Resp};
use bytes::Bytes;
use serde_json::{json, Value};
use std::time::Duration;

/// What a matched fault makes the server do.
#[derive(Debug)]
pub(crate) enum Action {
    /// Answer this instead of handling the request.
    Respond(Resp),
    /// Handle the request after this long.
    Delay(Duration),
    /// Handle the request, then drop the connection without answering.
    Drop,
}

/// What the fault `f` (as taken by [`take`]) makes the server do; `None` for an unknown type.
pub(crate) fn action(f: &Value) -> Option<Action> {
    match f.get("type").and_then(Value::as_str).unwrap_or("") {
        "http" => Some(Action::Respond(http_response(f))),
        "graph_error" => Some(Action::Respond(Resp::error(&graph_error(f)))),
        "delay" => {
            let ms = f.get("ms").and_then(Value::as_u64).unwrap_or(1000);
            Some(Action::Delay(Duration::from_millis(ms.min(600_000))))
        }
        "drop" => Some(Action::Drop),
        _ => None,
    }
}

/// `{type: "http", status, body?}`: that status, with `body` (text or JSON) or a Graph error.
fn http_response(f: &Value) -> Resp {
    let status = f.get("status").and_then(Value::as_u64).unwrap_or(503) as u16;
    let body = match f.get("body") {
        Some(Value::String(s)) => Bytes::from(s.clone()),
        Some(v) => Bytes::from(json::to_meta_vec(v)),
        None => {
            let code = if status == 503 { 2 } else { 1 };
            Bytes::from(errors::for_code(code).to_body())
        }
    };
    let status = if (100..=999).contains(&status) {
        status
    } else {
        503
    };
    Resp {
        status,
        body,
        content_type: "application/json; charset=UTF-8",
    }
}

/// `{type: "graph_error", code, subcode?, http_status?, message?, details?, type_name?}`.
fn graph_error(f: &Value) -> errors::GraphErr {
    let code = f.get("code").and_then(Value::as_i64).unwrap_or(1);
    let mut e = errors::for_code(code);
    if let Some(s) = f.get("subcode").and_then(Value::as_i64) {
        e.subcode = Some(s);
    }
    if let Some(h) = f.get("http_status").and_then(Value::as_u64) {
        if (100..=999).contains(&h) {
            e.http = h as u16;
        }
    }
    if let Some(m) = f.get("message").and_then(Value::as_str) {
        e.message = m.to_owned();
    }
    if let Some(d) = f.get("details").and_then(Value::as_str) {
        e.details = Some(d.to_owned());
    }
    if let Some(t) = f.get("type_name").and_then(Value::as_str) {
        e.etype = t.to_owned();
    }
    e
}

/// `GET /_emulator/faults`.
pub(crate) fn list(st: &State) -> Value {
    let list: Vec<Value> = st
        .faults
        .iter()
        .map(|f| json!({"id": f.id, "match": {"method": f.method, "path_contains": f.path_contains}, "remaining": f.remaining, "probability": f.probability, "fault": f.fault}))
        .collect();
    json!({"faults": list})
}

/// `POST /_emulator/faults` `{fault: {type, …}, match?: {method?, path_contains?}, count?, probability?}`.
pub(crate) fn add(st: &mut State, b: &Value) -> Result<Resp, Resp> {
    let fault = b
        .get("fault")
        .filter(|f| f.is_object())
        .ok_or_else(|| bad("fault object is required"))?
        .clone();
    let t = fault.get("type").and_then(Value::as_str).unwrap_or("");
    match t {
        "http" => {
            let s = fault.get("status").and_then(Value::as_u64).unwrap_or(0);
            if !(100..=599).contains(&s) {
                return Err(bad("http fault needs status 100-599"));
            }
        }
        "graph_error" => {
            if fault.get("code").and_then(Value::as_i64).is_none() {
                return Err(bad("graph_error fault needs a numeric code"));
            }
        }
        "delay" => {
            if fault.get("ms").and_then(Value::as_u64).is_none() {
                return Err(bad("delay fault needs ms"));
            }
        }
        "drop" => {}
        _ => return Err(bad("fault.type must be http, graph_error, delay or drop")),
    }
    let m = b.get("match");
    let s = |k: &str| {
        m.and_then(|m| m.get(k))
            .and_then(Value::as_str)
            .map(str::to_owned)
    };
    let probability = match b.get("probability") {
        None | Some(Value::Null) => None,
        Some(p) => Some(
            p.as_f64()
                .filter(|p| (0.0..=1.0).contains(p))
                .ok_or_else(|| bad("probability must be a number from 0 to 1"))?,
        ),
    };
    // A probabilistic fault lasts until cleared unless a count is given.
    let default_count = if probability.is_some() { u64::MAX } else { 1 };
    let count = b
        .get("count")
        .and_then(Value::as_u64)
        .unwrap_or(default_count);
    let id = st.next_fault;
    st.next_fault += 1;
    st.faults.push(Fault {
        id,
        method: s("method").map(|x| x.to_ascii_uppercase()),
        path_contains: s("path_contains"),
        remaining: count,
        probability,
        fault,
    });
    Ok(Resp::json(200, &json!({"id": id})))
}

/// A uniform random number in [0, 1).
fn unit_random() -> f64 {
    let scale = (1u64 << 53) as f64;
    (crate::util::random_u64() >> 11) as f64 / scale
}

/// Takes (and counts down) the first fault matching a Graph request; a fault with a
/// `probability` matches that share of the requests (drawn independently, in order).
pub(crate) fn take(st: &mut State, method: &str, path: &str) -> Option<Value> {
    let i = st.faults.iter().position(|f| {
        f.remaining > 0
            && f.method.as_deref().is_none_or(|m| m == method)
            && f.path_contains.as_deref().is_none_or(|p| path.contains(p))
            && f.probability.is_none_or(|p| unit_random() < p)
    })?;
    let f = st.faults.get_mut(i)?;
    f.remaining -= 1;
    let out = f.fault.clone();
    let kind = out
        .get("type")
        .and_then(Value::as_str)
        .unwrap_or("")
        .to_owned();
    *st.fault_hits.entry(kind).or_insert(0) += 1;
    if f.remaining == 0 {
        st.faults.remove(i);
    }
    Some(out)
}
