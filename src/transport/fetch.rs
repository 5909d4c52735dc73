//! The fetch transport (wasm only): gloo-net over the global `fetch`, so it runs in Node,
//! browsers and workerd alike. It sets only method, headers, body and an abort signal — never
//! `mode`, `credentials` or `cache`, which workerd rejects — and aborts after the timeout.

use super::{FormPart, LocalFuture, Outgoing, Transport};
use crate::core::error::Error;
use crate::core::request::{ApiResponse, Method};
use gloo_net::http::RequestBuilder;
use std::cell::Cell;
use std::rc::Rc;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};

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
            let method = match req.method {
                Method::Get => gloo_net::http::Method::GET,
                Method::Post => gloo_net::http::Method::POST,
                Method::Delete => gloo_net::http::Method::DELETE,
            };
            let controller = web_sys::AbortController::new()
                .map_err(|_| not_sent("AbortController is not available".to_owned()))?;
            let mut builder = RequestBuilder::new(&req.url)
                .method(method)
                .abort_signal(Some(&controller.signal()));
            for (k, v) in &req.headers {
                builder = builder.header(k, v);
            }
            let body: Option<JsValue> = match (out.form, &req.body) {
                (Some(parts), _) => Some(
                    form_data(parts)
                        .map_err(|_| not_sent("could not build the multipart body".to_owned()))?
                        .into(),
                ),
                (None, Some(text)) => Some(JsValue::from_str(text)),
                (None, None) => None,
            };
            let request = match body {
                Some(b) => builder.body(b),
                None => builder.build(),
            }
            .map_err(|e| not_sent(format!("the request could not be built: {e}")))?;

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
            // From here on the request may reach the server: failures are ambiguous.
            let result = async {
                let resp = request.send().await.map_err(|e| e.to_string())?;
                let status = resp.status();
                let headers = resp
                    .headers()
                    .entries()
                    .map(|(k, v)| (k.to_ascii_lowercase(), v))
                    .collect();
                let body = resp.text().await.map_err(|e| e.to_string())?;
                Ok::<ApiResponse, String>(ApiResponse {
                    status,
                    headers,
                    body,
                })
            }
            .await;
            if let Some(t) = &timer {
                let _ = call_global("clearTimeout", &[t]);
            }
            drop(on_timeout);
            result.map_err(|message| Error::Transport {
                message: if timed_out.get() {
                    format!(
                        "no answer within {} ms (the request was aborted)",
                        out.timeout_ms
                    )
                } else {
                    format!("the connection failed: {message}")
                },
                ambiguous: true,
            })
        })
    }
}
