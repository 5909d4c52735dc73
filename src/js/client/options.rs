//! Reading the caller's options and inputs: client settings (`apiVersion`, `baseUrl`, `retry`,
//! `timeoutMs`, stores) and the fields of a method's argument.

use super::callbacks::{method, AnyProvider, JsStatusStore, JsWindowStore};
use super::{JsClient, JsRuntime};
use crate::client::{Client, ClientConfig};
use crate::domain::error::Error;
use crate::domain::graph::ApiVersion;
use crate::domain::retry::RetryPolicy;
use crate::js::convert::{json_text, opt_string_arg, prop, string_arg};
use crate::transport::fetch::FetchTransport;
use js_sys::Function;
use wasm_bindgen::prelude::*;

// ------------------------------------------------------------------ options

/// A numeric option from 0 to 2^31 − 1: a duration in ms cannot be longer, since a JS timer
/// (`setTimeout`) fires a longer one after 1 ms instead.
pub(super) fn opt_number(obj: &JsValue, key: &str, path: &str) -> Result<Option<u32>, Error> {
    let v = prop(obj, key, path)?;
    if v.is_undefined() || v.is_null() {
        return Ok(None);
    }
    match v.as_f64() {
        Some(n) if (0.0..=2_147_483_647.0).contains(&n) => Ok(Some(n as u32)),
        _ => Err(Error::invalid(
            path,
            "invalid_number",
            format!("{path} must be a number from 0 to 2147483647 (for a time in ms: the longest a JS timer waits, about 24.8 days)."),
        )),
    }
}

/// Reads `apiVersion`, `baseUrl`, `retry` and `timeoutMs` of client options.
pub(super) fn client_config(options: &JsValue) -> Result<ClientConfig, Error> {
    let mut config = ClientConfig::default();
    let version = prop(options, "apiVersion", "apiVersion")?;
    if !version.is_undefined() {
        config.api_version = ApiVersion::parse(&string_arg(&version, "apiVersion")?)?;
    }
    let base = prop(options, "baseUrl", "baseUrl")?;
    if !base.is_undefined() {
        let b = string_arg(&base, "baseUrl")?;
        config.base_url = crate::domain::url::check_base_url(&b)?.to_owned();
    }
    let retry = prop(options, "retry", "retry")?;
    if !retry.is_undefined() && !retry.is_null() {
        let d = RetryPolicy::default();
        let n = |key: &str| opt_number(&retry, key, &format!("retry.{key}"));
        config.retry = RetryPolicy {
            max_attempts: n("maxAttempts")?.map_or(d.max_attempts, |v| v.max(1)),
            base_delay_ms: n("baseDelayMs")?.map_or(d.base_delay_ms, u64::from),
            max_delay_ms: n("maxDelayMs")?.map_or(d.max_delay_ms, u64::from),
            max_retry_after_ms: n("maxRetryAfterMs")?.map_or(d.max_retry_after_ms, u64::from),
        };
    }
    if let Some(t) = opt_number(options, "timeoutMs", "timeoutMs")? {
        config.timeout_ms = t.max(1);
    }
    Ok(config)
}

/// Builds a client from options whose token part is `token` (already resolved).
pub(crate) fn client_from(options: &JsValue, provider: AnyProvider) -> Result<JsClient, Error> {
    // Everything is read before the client is made (one exit path that drops it, not one each).
    let config = client_config(options)?;
    let window_store = store(
        options,
        "windowStore",
        "getLastInboundMs",
        "window_store_invalid",
    )?;
    let status_store = store(options, "statusStore", "get", "status_store_invalid")?;
    let mut client = Client::new(FetchTransport, JsRuntime, provider, config);
    if let Some((obj, f)) = window_store {
        client = client.with_window_store(Box::new(JsWindowStore { obj, f }));
    }
    if let Some((obj, f)) = status_store {
        client = client.with_status_store(Box::new(JsStatusStore { obj, f }));
    }
    Ok(client)
}

/// A store option (`key`): the object and its method `name`, `None` when not given.
pub(super) fn store(
    options: &JsValue,
    key: &str,
    name: &str,
    code: &'static str,
) -> Result<Option<(JsValue, Function)>, Error> {
    let obj = prop(options, key, key)?;
    if obj.is_undefined() || obj.is_null() {
        return Ok(None);
    }
    match method(&obj, name, key)? {
        Some(f) => Ok(Some((obj, f))),
        None => Err(Error::invalid(
            key,
            code,
            format!("{key} must have a {name}() method."),
        )),
    }
}

/// A builder input object read with the core's hand-written reader (`baseUrl`/`apiVersion` in it
/// are ignored: the client's settings apply).
pub(super) fn typed_input<T>(
    input: &JsValue,
    read: fn(&str) -> Result<T, Vec<crate::domain::error::Issue>>,
) -> Result<T, Error> {
    let text = json_text(input, "input", "an object")?;
    read(&text).map_err(|issues| Error::Validation { issues })
}

/// The largest file `uploadMedia` reads (Meta's largest media, a 100 MB document); the limit of
/// the file's type is checked after.
pub(super) const MAX_UPLOAD_BYTES: u32 = 100 << 20;

pub(super) fn opt_string(obj: &JsValue, key: &str) -> Result<Option<String>, Error> {
    Ok(opt_string_arg(&prop(obj, key, key)?, key)?.filter(|s| !s.is_empty()))
}

pub(super) fn missing(key: &str) -> Error {
    Error::invalid(
        key,
        "field_required",
        format!("{key} is required (a non-empty string)."),
    )
}

pub(super) fn req_string(obj: &JsValue, key: &str) -> Result<String, Error> {
    opt_string(obj, key)?.ok_or_else(|| missing(key))
}
