//! The caller's callbacks adapted to the client's Rust traits: the token provider (`getToken`,
//! `refresh`), the window and status stores. Each call is caught: a throw, a rejection or a value
//! whose reading throws becomes an error of kind `callback` with the thrown value as `cause`.

use crate::client::token::{StaticToken, Token, TokenProvider};
use crate::client::{StatusStore, WindowStore};
use crate::domain::error::{Error, ErrorKind};
use crate::domain::json::RawJson;
use crate::domain::secret::AccessToken;
use crate::js::convert::{
    callback_failure, json_text, opt_string_arg, prop, read_prop, read_time, thrown, to_promise,
};
use crate::transport::LocalFuture;
use js_sys::Function;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

// ------------------------------------------------------------------ JS helpers

/// `obj[key]` as a function, `None` when it is not one (a throwing getter is an error).
pub(super) fn method(obj: &JsValue, key: &str, path: &str) -> Result<Option<Function>, Error> {
    Ok(prop(obj, key, path)?.dyn_into::<Function>().ok())
}

/// Calls `f` with `obj` as `this` and waits for its result (a promise or thenable is awaited).
/// A throw, a rejection or a throwing `then` comes back as `Err` with the thrown value.
pub(super) async fn call_async(
    obj: &JsValue,
    f: &Function,
    args: &[JsValue],
) -> Result<JsValue, JsValue> {
    let out = match args {
        [] => f.call0(obj)?,
        [a] => f.call1(obj, a)?,
        [a, b] => f.call2(obj, a, b)?,
        _ => f.call0(obj)?,
    };
    JsFuture::from(to_promise(&out)).await
}

// ------------------------------------------------------------------ tokens

/// A JS `TokenProvider`: `{ getToken(), refresh?() }` resolving to a string or
/// `{ accessToken, expiresAtMs? }` (Unix milliseconds, or a `Date`).
pub(crate) struct JsTokenProvider {
    obj: JsValue,
    get_token: Function,
    refresh: Option<Function>,
}

impl JsTokenProvider {
    fn from_js(obj: JsValue, path: &str) -> Result<Self, Error> {
        let Some(get_token) = method(&obj, "getToken", path)? else {
            return Err(Error::invalid(
                path,
                "token_provider_invalid",
                format!("{path} must have a getToken() method returning the access token (or a Promise of it)."),
            ));
        };
        let refresh = method(&obj, "refresh", path)?;
        Ok(JsTokenProvider {
            obj,
            get_token,
            refresh,
        })
    }

    /// The token from `getToken()` or `refresh()` (`what`). A throw, a rejection or a value whose
    /// reading throws is kind `callback` with the thrown value as `cause`.
    async fn token_from(&self, f: &Function, what: &str) -> Result<Token, Error> {
        let failed = |e: JsValue| {
            let what = format!("The token provider's {what}");
            thrown(
                ErrorKind::Callback,
                "token_provider_failed",
                &what,
                "failed",
                e,
            )
        };
        let v = call_async(&self.obj, f, &[]).await.map_err(failed)?;
        token_value(&v)
            .map_err(failed)?
            .ok_or_else(|| Error::Refused {
                kind: ErrorKind::Auth,
                code: "token_provider_failed",
                message: format!("The token provider's {what} must resolve to a non-empty string or {{ accessToken, expiresAtMs? }}."),
            })
    }
}

/// A provider's answer as a token; `Err` holds what reading it threw.
pub(super) fn token_value(v: &JsValue) -> Result<Option<Token>, JsValue> {
    // A token is a non-empty string of at most MAX_STRING_CHARS (a longer one is not a token).
    let text = |x: &JsValue| {
        opt_string_arg(x, "token")
            .ok()
            .flatten()
            .filter(|s| !s.is_empty())
    };
    if v.is_string() {
        return Ok(text(v).map(Token::new));
    }
    let read = |key: &str| read_prop(v, key);
    let Some(token) = text(&read("accessToken")?) else {
        return Ok(None);
    };
    let expires = read("expiresAtMs")?;
    let expires_at_ms = match expires.as_f64() {
        Some(n) => Some(n),
        None => read_time(&expires)?,
    }
    .filter(|f| f.is_finite());
    Ok(Some(Token {
        access_token: AccessToken::new(token),
        expires_at_ms,
    }))
}

/// A static token or a JS provider.
pub(crate) enum AnyProvider {
    Static(StaticToken),
    Js(JsTokenProvider),
}

impl TokenProvider for AnyProvider {
    fn get_token(&self) -> LocalFuture<'_, Result<Token, Error>> {
        match self {
            AnyProvider::Static(s) => s.get_token(),
            AnyProvider::Js(p) => Box::pin(p.token_from(&p.get_token, "getToken()")),
        }
    }
    fn can_refresh(&self) -> bool {
        matches!(self, AnyProvider::Js(p) if p.refresh.is_some())
    }
    fn refresh(&self) -> LocalFuture<'_, Result<Token, Error>> {
        match self {
            AnyProvider::Js(p) => match &p.refresh {
                Some(f) => Box::pin(p.token_from(f, "refresh()")),
                None => Box::pin(async { Err(crate::client::token::no_refresh()) }),
            },
            AnyProvider::Static(s) => s.refresh(),
        }
    }
}

/// A token option: a string, or a provider object.
pub(super) fn provider_from(v: &JsValue, path: &str) -> Result<AnyProvider, Error> {
    if let Some(s) = opt_string_arg(v, path)? {
        if s.trim().is_empty() {
            return Err(Error::invalid(
                path,
                "token_empty",
                format!("{path} is empty."),
            ));
        }
        return Ok(AnyProvider::Static(StaticToken(AccessToken::new(s))));
    }
    Ok(AnyProvider::Js(JsTokenProvider::from_js(v.clone(), path)?))
}

// ------------------------------------------------------------------ stores

pub(super) struct JsWindowStore {
    pub(super) obj: JsValue,
    pub(super) f: Function,
}

impl WindowStore for JsWindowStore {
    fn last_inbound<'a>(
        &'a self,
        phone_number_id: &'a str,
        wa_id: &'a str,
    ) -> LocalFuture<'a, Result<Option<f64>, Error>> {
        Box::pin(async move {
            let v = call_async(
                &self.obj,
                &self.f,
                &[JsValue::from_str(phone_number_id), JsValue::from_str(wa_id)],
            )
            .await
            .map_err(|e| callback_failure("windowStore.getLastInboundMs()", e))?;
            if v.is_null() || v.is_undefined() {
                return Ok(None);
            }
            let time = match v.as_f64() {
                Some(n) => Some(n),
                None => read_time(&v)
                    .map_err(|e| callback_failure("windowStore.getLastInboundMs()", e))?,
            };
            time.filter(|f| f.is_finite())
                .map(Some)
                .ok_or_else(|| {
                    Error::invalid(
                        "windowStore",
                        "window_store_invalid",
                        "windowStore.getLastInboundMs() must resolve to a Unix time (ms), a Date, or null.",
                    )
                })
        })
    }
}

pub(super) struct JsStatusStore {
    pub(super) obj: JsValue,
    pub(super) f: Function,
}

impl StatusStore for JsStatusStore {
    fn get<'a>(&'a self, wamid: &'a str) -> LocalFuture<'a, Result<Option<RawJson>, Error>> {
        Box::pin(async move {
            let v = call_async(&self.obj, &self.f, &[JsValue::from_str(wamid)])
                .await
                .map_err(|e| callback_failure("statusStore.get()", e))?;
            if v.is_null() || v.is_undefined() {
                return Ok(None);
            }
            let text = json_text(&v, "statusStore.get()", "a status record")?;
            RawJson::parse(text).map(Some).map_err(|e| {
                Error::invalid(
                    "statusStore.get()",
                    "invalid_json",
                    format!("statusStore.get() returned something that is not JSON ({e})."),
                )
            })
        })
    }
}
