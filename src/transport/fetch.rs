//! The fetch transport (wasm only): the global `fetch(url, init)` — like gloo-net, never
//! `window.fetch`, so it runs in Node, browsers and workerd alike. `init` is a plain object with
//! only method, headers, body and an abort signal — never `mode`, `credentials` or `cache`, which
//! workerd rejects — and the request is aborted after the timeout.
//!
//! gloo-net's `RequestBuilder` was used first; it builds two `Request` objects, a `URL` and a
//! `Headers` per call, which measured ~130 µs per send in Node (undici), more than everything
//! else the client does. Calling `fetch(url, init)` directly removed that cost (and gloo-net).

use super::{FormPart, LocalFuture, Outgoing, Transport};
use crate::domain::error::Error;
use crate::domain::request::ApiResponse;
use std::cell::Cell;
use std::rc::Rc;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::prelude::wasm_bindgen;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

#[wasm_bindgen(module = "/src/transport/fetch_boundary.js")]
extern "C" {
    /// One attempt: resolves (never rejects) to a plain record of the answer or the failure.
    fn attempt(url: &str, init: &js_sys::Object, max_body: u32) -> js_sys::Promise;
}

/// The longest Graph answer the client reads (characters): far above any real page of results.
const MAX_ANSWER_CHARS: u32 = 8 << 20;

/// `fetch`-based [`Transport`].
#[derive(Debug, Clone, Copy, Default)]
pub struct FetchTransport;

fn not_sent(message: String) -> Error {
    Error::Transport {
        message,
        ambiguous: false,
    }
}

/// Calls a global function (`setTimeout`, `clearTimeout`) without an import declaration.
pub(crate) fn call_global(name: &str, args: &[&JsValue]) -> Result<JsValue, JsValue> {
    let global = js_sys::global();
    let f: js_sys::Function =
        js_sys::Reflect::get(&global, &JsValue::from_str(name))?.dyn_into()?;
    match args {
        [a] => f.call1(&global, a),
        [a, b] => f.call2(&global, a, b),
        _ => f.call0(&global),
    }
}

fn form_data(parts: &[FormPart]) -> Result<web_sys::FormData, JsValue> {
    let form = web_sys::FormData::new()?;
    for part in parts {
        match part {
            FormPart::Text { name, value } => form.append_with_str(name, value)?,
            FormPart::File {
                name,
                filename,
                mime_type,
                bytes,
            } => {
                let array = js_sys::Uint8Array::from(bytes.as_slice());
                let parts = js_sys::Array::of1(&array);
                let options = web_sys::BlobPropertyBag::new();
                options.set_type(mime_type);
                let blob = web_sys::Blob::new_with_u8_array_sequence_and_options(&parts, &options)?;
                form.append_with_blob_and_filename(name, &blob, filename)?;
            }
        }
    }
    Ok(form)
}

fn set(obj: &js_sys::Object, key: &str, value: &JsValue) -> Result<(), Error> {
    js_sys::Reflect::set(obj, &JsValue::from_str(key), value)
        .map(|_| ())
        .map_err(|_| not_sent("could not build the fetch options".to_owned()))
}

impl Transport for FetchTransport {
    fn call<'a>(&'a self, out: Outgoing<'a>) -> LocalFuture<'a, Result<ApiResponse, Error>> {
        Box::pin(async move {
            let req = out.request;
            // A header value fetch would reject (control characters) is refused before sending.
            if req
                .headers
                .iter()
                .any(|(k, v)| k.bytes().chain(v.bytes()).any(|b| b < 0x20 || b == 0x7f))
            {
                return Err(not_sent(
                    "a request header contains a control character".to_owned(),
                ));
            }
            let controller = web_sys::AbortController::new()
                .map_err(|_| not_sent("AbortController is not available".to_owned()))?;
            let init = js_sys::Object::new();
            set(&init, "method", &JsValue::from_str(req.method.as_str()))?;
            let headers = js_sys::Object::new();
            for (k, v) in &req.headers {
                set(&headers, k, &JsValue::from_str(v))?;
            }
            set(&init, "headers", &headers)?;
            match (out.form, &req.body) {
                (Some(parts), _) => set(
                    &init,
                    "body",
                    &form_data(parts)
                        .map_err(|_| not_sent("could not build the multipart body".to_owned()))?
                        .into(),
                )?,
                (None, Some(text)) => set(&init, "body", &JsValue::from_str(text))?,
                (None, None) => {}
            }
            set(&init, "signal", &controller.signal().into())?;

            let timed_out = Rc::new(Cell::new(false));
            let on_timeout = {
                let timed_out = timed_out.clone();
                let controller = controller.clone();
                Closure::<dyn FnMut()>::new(move || {
                    timed_out.set(true);
                    controller.abort();
                })
            };
            let timer = call_global(
                "setTimeout",
                &[
                    on_timeout.as_ref(),
                    &JsValue::from_f64(f64::from(out.timeout_ms)),
                ],
            )
            .ok();
            // From here on the request may reach the server: failures are ambiguous unless the
            // connection was never made.
            let answer = JsFuture::from(attempt(&req.url, &init, MAX_ANSWER_CHARS)).await;
            if let Some(t) = &timer {
                let _ = call_global("clearTimeout", &[t]);
            }
            drop(on_timeout);
            // Our own plain record (see fetch_boundary.js): its fields cannot throw.
            let answer = answer.unwrap_or(JsValue::UNDEFINED);
            let field =
                |k: &str| js_sys::Reflect::get(&answer, &JsValue::from_str(k)).unwrap_or_default();
            // Already redacted (no URL query, header value or body: see fetch_boundary.js).
            if let Some(why) = field("failure").as_string() {
                return Err(if timed_out.get() {
                    Error::Transport {
                        message: format!(
                            "no answer within {} ms (the request was aborted)",
                            out.timeout_ms
                        ),
                        ambiguous: true,
                    }
                } else if field("connect").is_truthy() {
                    not_sent(format!("the connection could not be made: {why}"))
                } else {
                    Error::Transport {
                        message: format!("the connection failed: {why}"),
                        ambiguous: true,
                    }
                });
            }
            let status = field("status").as_f64().unwrap_or(0.0) as u16;
            let mut headers = Vec::new();
            for (name, key) in [
                ("retry-after", "retryAfter"),
                ("content-type", "contentType"),
            ] {
                if let Some(v) = field(key).as_string() {
                    headers.push((name.to_owned(), v));
                }
            }
            match field("body").as_string() {
                Some(body) => Ok(ApiResponse {
                    status,
                    headers,
                    body,
                }),
                None => Err(Error::Parse {
                    status,
                    path: String::new(),
                    message: format!(
                        "the answer has {} characters, more than the {MAX_ANSWER_CHARS} the client reads",
                        field("bodyLength").as_f64().unwrap_or(0.0) as u64
                    ),
                    body: String::new(),
                }),
            }
        })
    }
}
