// Helpers for wasm tests against a real wa-emulator (URL from WA_GRAPH_EMULATOR_URL at compile
// time; scripts/with-emulator.sh sets it).
#![allow(dead_code)]

use js_sys::{Function, Reflect};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

pub fn url() -> &'static str {
    option_env!("WA_GRAPH_EMULATOR_URL").unwrap_or("http://127.0.0.1:8089")
}

pub fn get(v: &JsValue, key: &str) -> JsValue {
    Reflect::get(v, &JsValue::from_str(key)).unwrap_or(JsValue::UNDEFINED)
}

pub fn s(v: &JsValue, key: &str) -> String {
    get(v, key).as_string().unwrap_or_default()
}

pub fn parse(json: &str) -> JsValue {
    js_sys::JSON::parse(json).expect("valid JSON")
}

pub fn json(v: &JsValue) -> String {
    js_sys::JSON::stringify(v)
        .map(String::from)
        .unwrap_or_default()
}

/// Options for a client on the emulator with a static token, plus `extra` JSON fields.
pub fn options(token: &str, extra: &str) -> JsValue {
    let extra = if extra.is_empty() {
        String::new()
    } else {
        format!(",{extra}")
    };
    parse(&format!(
        r#"{{"accessToken":"{token}","baseUrl":"{}","retry":{{"baseDelayMs":20,"maxDelayMs":200}}{extra}}}"#,
        url()
    ))
}

/// Evaluates a JS function body (e.g. to build an object with methods) and returns its value.
pub fn js(body: &str) -> JsValue {
    Function::new_no_args(body)
        .call0(&JsValue::NULL)
        .expect("js ran")
}

pub async fn await_promise(p: js_sys::Promise) -> Result<JsValue, JsValue> {
    JsFuture::from(p).await
}

/// Calls the emulator's control API.
pub async fn control(method: &str, path: &str, body: Option<&str>) -> JsValue {
    let url = format!("{}{path}", url());
    let b = match method {
        "POST" => gloo_net::http::Request::post(&url),
        "DELETE" => gloo_net::http::Request::delete(&url),
        _ => gloo_net::http::Request::get(&url),
    };
    let resp = match body {
        Some(text) => {
            b.header("content-type", "application/json")
                .body(text)
                .unwrap()
                .send()
                .await
        }
        None => b.send().await,
    }
    .expect("emulator reachable");
    let text = resp.text().await.unwrap_or_default();
    js_sys::JSON::parse(&text).unwrap_or(JsValue::from_str(&text))
}

pub async fn reset() {
    control("POST", "/_emulator/reset", None).await;
}

pub fn err_kind(e: &JsValue) -> (String, String) {
    (s(e, "kind"), s(e, "code"))
}

pub fn assert_whatsapp_error(e: &JsValue) {
    assert!(e.is_instance_of::<js_sys::Error>(), "an Error: {}", json(e));
    assert_eq!(s(e, "name"), "WhatsAppError");
    assert!(!s(e, "hint").is_empty());
}

pub fn as_fn(v: JsValue) -> Function {
    v.dyn_into().expect("function")
}
