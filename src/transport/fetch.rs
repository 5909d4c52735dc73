//! The fetch transport (wasm only): the global `fetch(url, init)` — like gloo-net, never
//! `window.fetch`, so it runs in Node, browsers and workerd alike. One attempt is one call of
//! `attempt` in fetch_boundary.js, which builds `init` (method, headers, body and an abort signal
//! — never `mode`, `credentials` or `cache`, which workerd rejects), aborts the request after the
//! timeout, reads the answer and resolves to one plain record; this side classifies it.
//!
//! gloo-net's `RequestBuilder` was used first; it builds two `Request` objects, a `URL` and a
//! `Headers` per call, which measured ~130 µs per send in Node (undici), more than everything
//! else the client does. Calling `fetch(url, init)` directly removed that cost (and gloo-net).
//! Building `init` and the timer from Rust (a `Reflect.set` per option, an `AbortController` and
//! a `setTimeout` closure through the glue) then cost about as much as everything else the client
//! does per send, so that part moved into the snippet: the request crosses as its JSON text.

use super::{FormPart, LocalFuture, Outgoing, Transport};
use crate::domain::error::Error;
use crate::domain::json::ToJson;
use crate::domain::request::ApiResponse;
use wasm_bindgen::prelude::wasm_bindgen;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

#[wasm_bindgen(module = "/src/transport/fetch_boundary.js")]
extern "C" {
    /// One attempt (`request`: the request's JSON text; `form`: a FormData or undefined):
    /// resolves, never rejects, to the [`Answer`] record.
    fn attempt(request: &str, form: &JsValue, timeout_ms: u32, max_body: u32) -> js_sys::Promise;

    /// The plain record `attempt` resolves to (see fetch_boundary.js). Its fields are our own
    /// strings, numbers and booleans, so reading them cannot throw.
    type Answer;
    #[wasm_bindgen(method, getter)]
    fn failure(this: &Answer) -> Option<String>;
    #[wasm_bindgen(method, getter)]
    fn connect(this: &Answer) -> bool;
    #[wasm_bindgen(method, getter, js_name = timedOut)]
    fn timed_out(this: &Answer) -> bool;
    #[wasm_bindgen(method, getter)]
    fn status(this: &Answer) -> f64;
    #[wasm_bindgen(method, getter, js_name = retryAfter)]
    fn retry_after(this: &Answer) -> Option<String>;
    #[wasm_bindgen(method, getter, js_name = contentType)]
    fn content_type(this: &Answer) -> Option<String>;
    #[wasm_bindgen(method, getter)]
    fn body(this: &Answer) -> Option<String>;
    #[wasm_bindgen(method, getter, js_name = bodyLength)]
    fn body_length(this: &Answer) -> f64;
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
            let form = match out.form {
                Some(parts) => form_data(parts)
                    .map_err(|_| not_sent("could not build the multipart body".to_owned()))?
                    .into(),
                None => JsValue::UNDEFINED,
            };
            // From here on the request may reach the server: failures are ambiguous unless the
            // connection was never made.
            let promise = attempt(&req.to_json(), &form, out.timeout_ms, MAX_ANSWER_CHARS);
            let answer: Answer = match JsFuture::from(promise).await {
                Ok(a) => a.unchecked_into(),
                // `attempt` catches everything; kept for the type's sake.
                Err(_) => {
                    return Err(Error::Transport {
                        message: "fetch failed".to_owned(),
                        ambiguous: true,
                    })
                }
            };
            // Already redacted (no URL query, header value or body: see fetch_boundary.js).
            if let Some(why) = answer.failure() {
                return Err(if answer.timed_out() {
                    Error::Transport {
                        message: format!(
                            "no answer within {} ms (the request was aborted)",
                            out.timeout_ms
                        ),
                        ambiguous: true,
                    }
                } else if answer.connect() {
                    not_sent(format!("the connection could not be made: {why}"))
                } else {
                    Error::Transport {
                        message: format!("the connection failed: {why}"),
                        ambiguous: true,
                    }
                });
            }
            let status = answer.status() as u16;
            let mut headers = Vec::new();
            for (name, value) in [
                ("retry-after", answer.retry_after()),
                ("content-type", answer.content_type()),
            ] {
                if let Some(v) = value {
                    headers.push((name.to_owned(), v));
                }
            }
            match answer.body() {
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
                        answer.body_length() as u64
                    ),
                    body: String::new(),
                }),
            }
        })
    }
}
