//! `WhatsAppClient`, `runTask`, `toOutputVariables` and `buildAuthorizationUrl`: the asynchronous
//! surface. JS callbacks (token provider, stores, connections) are adapted to the client's Rust
//! traits here; everything else crosses as JSON text.

use crate::client::task::{execute_task, Connections};
use crate::client::token::{StaticToken, Token, TokenProvider};
use crate::client::{Client, ClientConfig, MediaFile, Runtime, StatusStore, WindowStore};
use crate::core::error::{Error, ErrorKind};
use crate::core::graph::ApiVersion;
use crate::core::json::{Obj, RawJson, ToJson};
use crate::core::message::{MarkAsReadInput, SendMediaInput, SendTemplateInput, SendTextInput};
use crate::core::oauth::{build_authorization_url, AuthorizationUrlOptions};
use crate::core::retry::RetryPolicy;
use crate::core::secret::{AccessToken, AppSecret};
use crate::core::task::{output_variables_of, DEFAULT_PREFIX};
use crate::core::task::{parse_task_config_json, ActionName, TaskOutput};
use crate::core::template::{CreateTemplateInput, GetTemplatesInput};
use crate::js::convert::{
    bytes_max, callback_failure, json_text, json_text_max, json_value, opt_string_arg, prop,
    read_prop, read_time, string_arg, string_items, thrown, to_js, to_promise, MAX_OUTPUT_CHARS,
};
use crate::transport::fetch::{call_global, FetchTransport};
use crate::transport::LocalFuture;
use js_sys::{Function, Promise};
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::{future_to_promise, JsFuture};

/// The client type behind `WhatsAppClient` and `runTask`.
pub(crate) type JsClient = Client<FetchTransport, JsRuntime, AnyProvider>;

// ------------------------------------------------------------------ JS helpers

/// `obj[key]` as a function, `None` when it is not one (a throwing getter is an error).
fn method(obj: &JsValue, key: &str, path: &str) -> Result<Option<Function>, Error> {
    Ok(prop(obj, key, path)?.dyn_into::<Function>().ok())
}

/// Calls `f` with `obj` as `this` and waits for its result (a promise or thenable is awaited).
/// A throw, a rejection or a throwing `then` comes back as `Err` with the thrown value.
async fn call_async(obj: &JsValue, f: &Function, args: &[JsValue]) -> Result<JsValue, JsValue> {
    let out = match args {
        [] => f.call0(obj)?,
        [a] => f.call1(obj, a)?,
        [a, b] => f.call2(obj, a, b)?,
        _ => f.call0(obj)?,
    };
    JsFuture::from(to_promise(&out)).await
}

// ------------------------------------------------------------------ runtime

/// `Date.now`, `setTimeout`, `Math.random`.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct JsRuntime;

impl Runtime for JsRuntime {
    fn now_ms(&self) -> f64 {
        js_sys::Date::now()
    }
    fn sleep(&self, ms: u64) -> LocalFuture<'static, ()> {
        let promise = Promise::new(&mut |resolve, _reject| {
            let timer = call_global(
                "setTimeout",
                &[resolve.as_ref(), &JsValue::from_f64(ms as f64)],
            );
            // Without a working setTimeout, go on at once rather than never.
            if timer.is_err() {
                let _ = resolve.call0(&JsValue::UNDEFINED);
            }
        });
        Box::pin(async move {
            let _ = JsFuture::from(promise).await;
        })
    }
    fn random(&self) -> f64 {
        js_sys::Math::random()
    }
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
fn token_value(v: &JsValue) -> Result<Option<Token>, JsValue> {
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
fn provider_from(v: &JsValue, path: &str) -> Result<AnyProvider, Error> {
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

struct JsWindowStore {
    obj: JsValue,
    f: Function,
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

struct JsStatusStore {
    obj: JsValue,
    f: Function,
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

// ------------------------------------------------------------------ options

/// A numeric option from 0 to 2^31 − 1: a duration in ms cannot be longer, since a JS timer
/// (`setTimeout`) fires a longer one after 1 ms instead.
fn opt_number(obj: &JsValue, key: &str, path: &str) -> Result<Option<u32>, Error> {
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
fn client_config(options: &JsValue) -> Result<ClientConfig, Error> {
    let mut config = ClientConfig::default();
    let version = prop(options, "apiVersion", "apiVersion")?;
    if !version.is_undefined() {
        config.api_version = ApiVersion::parse(&string_arg(&version, "apiVersion")?)?;
    }
    let base = prop(options, "baseUrl", "baseUrl")?;
    if !base.is_undefined() {
        let b = string_arg(&base, "baseUrl")?;
        config.base_url = crate::core::url::check_base_url(&b)?.to_owned();
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
fn store(
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

/// The asynchronous `WhatsAppClient` methods: every one runs through [`run`], so the wasm has
/// one state machine and one `future_to_promise` for all of them instead of one each.
#[derive(Clone, Copy, Debug)]
enum Op {
    SendTemplate,
    SendText,
    SendMedia,
    MarkAsRead,
    CreateTemplate,
    GetTemplates,
    GetPhoneNumbers,
    DiscoverAccounts,
    GetMessageStatus,
    ExchangeCode,
    ExchangeLongLivedToken,
    DebugToken,
    UploadMedia,
}

/// What a returned promise runs: a client method or a task. Both go through this one
/// `future_to_promise`, so the wasm holds one copy of the promise glue, not one per kind.
enum Job {
    Client(Rc<JsClient>, Op, JsValue),
    Task(JsValue, JsValue),
}

fn op_promise(c: Rc<JsClient>, op: Op, arg: JsValue) -> Promise {
    job_promise(Job::Client(c, op, arg))
}

fn job_promise(job: Job) -> Promise {
    future_to_promise(async move {
        match job {
            Job::Client(c, op, arg) => run(c, op, arg).await.map_err(JsValue::from),
            Job::Task(config, options) => to_js(&run_task_inner(&config, options).await),
        }
    })
}

/// The body of each async `WhatsAppClient` method; `arg` is the method's one JS argument.
async fn run(c: Rc<JsClient>, op: Op, arg: JsValue) -> Result<JsValue, Error> {
    match op {
        Op::SendTemplate => {
            let input = typed_input(&arg, SendTemplateInput::from_json)?;
            json_to_js(&c.send_template(&input).await?)
        }
        Op::SendText => {
            let input = typed_input(&arg, SendTextInput::from_json)?;
            json_to_js(&c.send_text(&input).await?)
        }
        Op::SendMedia => {
            let input = typed_input(&arg, SendMediaInput::from_json)?;
            json_to_js(&c.send_media(&input).await?)
        }
        Op::MarkAsRead => {
            let input = typed_input(&arg, MarkAsReadInput::from_json)?;
            Ok(JsValue::from_bool(c.mark_as_read(&input).await?))
        }
        Op::CreateTemplate => {
            let input = typed_input(&arg, CreateTemplateInput::from_json)?;
            json_to_js(&c.create_template(&input).await?)
        }
        Op::GetTemplates => {
            let input = typed_input(&arg, GetTemplatesInput::from_json)?;
            json_to_js(&c.get_templates(&input).await?)
        }
        Op::GetPhoneNumbers => {
            let id = string_arg(&arg, "businessAccountId")?;
            json_to_js(&c.get_phone_numbers(&id).await?)
        }
        Op::DiscoverAccounts => {
            let options = &arg;
            let business = opt_string(options, "businessId")?;
            json_to_js(&c.discover_accounts(business.as_deref()).await?)
        }
        Op::GetMessageStatus => {
            let id = string_arg(&arg, "messageId")?;
            json_to_js(&c.get_message_status(&id).await?)
        }
        Op::ExchangeCode => {
            let options = &arg;
            let app_id = req_string(options, "appId")?;
            let secret = AppSecret::new(req_string(options, "appSecret")?);
            let code = req_string(options, "code")?;
            let redirect = opt_string(options, "redirectUri")?;
            json_to_js(
                &c.exchange_code(&app_id, &secret, redirect.as_deref(), &code)
                    .await?,
            )
        }
        Op::ExchangeLongLivedToken => {
            let options = &arg;
            let app_id = req_string(options, "appId")?;
            let secret = AppSecret::new(req_string(options, "appSecret")?);
            let token = AccessToken::new(req_string(options, "accessToken")?);
            json_to_js(
                &c.exchange_long_lived_token(&app_id, &secret, &token)
                    .await?,
            )
        }
        Op::DebugToken => {
            let options = &arg;
            let input = opt_string(options, "inputToken")?.map(AccessToken::new);
            let app_id = opt_string(options, "appId")?;
            let secret = opt_string(options, "appSecret")?.map(AppSecret::new);
            let app = match (&app_id, &secret) {
                (Some(id), Some(s)) => Some((id.as_str(), s)),
                (None, None) => None,
                _ => {
                    return Err(Error::invalid(
                        "appSecret",
                        "app_credentials_incomplete",
                        "Give both appId and appSecret, or neither.",
                    ))
                }
            };
            let info = c.debug_token(input.as_ref(), app).await?;
            let required = prop(options, "requiredScopes", "requiredScopes")?;
            if !required.is_undefined() {
                let Some(scopes) = string_items(&required, "requiredScopes")? else {
                    return Err(Error::invalid(
                        "requiredScopes",
                        "invalid_type",
                        "requiredScopes must be an array of strings.",
                    ));
                };
                let refs: Vec<&str> = scopes.iter().map(String::as_str).collect();
                info.require_scopes(&refs)?;
            }
            json_to_js(&info)
        }
        Op::UploadMedia => {
            let input = &arg;
            let phone_number_id = req_string(input, "phoneNumberId")?;
            let mime_type = req_string(input, "mimeType")?;
            let filename = opt_string(input, "filename")?.unwrap_or_else(|| "upload".to_owned());
            let file = prop(input, "file", "file")?;
            const EXPECTED: &str = "a Uint8Array, ArrayBuffer or Blob";
            let blob_read = method(&file, "arrayBuffer", "file")?;
            let bytes = match blob_read {
                Some(read) => {
                    // A Blob: its size is checked before its bytes are read.
                    let size = prop(&file, "size", "file.size")?.as_f64().unwrap_or(0.0);
                    if size > f64::from(MAX_UPLOAD_BYTES) {
                        return Err(Error::invalid(
                            "file",
                            "input_too_large",
                            format!("file is {} bytes; the limit is {MAX_UPLOAD_BYTES} bytes (100 MB, Meta's largest media).", size as u64),
                        ));
                    }
                    let ab = call_async(&file, &read, &[])
                        .await
                        .map_err(|e| callback_failure("file.arrayBuffer()", e))?;
                    bytes_max(&ab, "file", EXPECTED, MAX_UPLOAD_BYTES)?
                }
                None => bytes_max(&file, "file", EXPECTED, MAX_UPLOAD_BYTES)?,
            };
            let file = MediaFile {
                bytes,
                mime_type,
                filename,
            };
            crate::client::actions::check_upload(&file)?;
            let id = c.upload_media(&phone_number_id, &file).await?;
            /// `{ id }` of an upload.
            struct Uploaded(String);
            impl ToJson for Uploaded {
                fn write_json(&self, out: &mut String) {
                    Obj::new(out).field("id", &self.0).end();
                }
            }
            json_to_js(&Uploaded(id))
        }
    }
}

fn json_to_js(v: &dyn ToJson) -> Result<JsValue, Error> {
    to_js(v).map_err(|_| Error::Parse {
        status: 0,
        path: String::new(),
        message: "could not convert the result".to_owned(),
        body: String::new(),
    })
}

/// A builder input object read with the core's hand-written reader (`baseUrl`/`apiVersion` in it
/// are ignored: the client's settings apply).
fn typed_input<T>(
    input: &JsValue,
    read: fn(&serde_json::Value) -> Result<T, Vec<crate::core::error::Issue>>,
) -> Result<T, Error> {
    let value = json_value(input, "input", "an object")?;
    read(&value).map_err(|issues| Error::Validation { issues })
}

/// The largest file `uploadMedia` reads (Meta's largest media, a 100 MB document); the limit of
/// the file's type is checked after.
const MAX_UPLOAD_BYTES: u32 = 100 << 20;

fn opt_string(obj: &JsValue, key: &str) -> Result<Option<String>, Error> {
    Ok(opt_string_arg(&prop(obj, key, key)?, key)?.filter(|s| !s.is_empty()))
}

fn missing(key: &str) -> Error {
    Error::invalid(
        key,
        "field_required",
        format!("{key} is required (a non-empty string)."),
    )
}

fn req_string(obj: &JsValue, key: &str) -> Result<String, Error> {
    opt_string(obj, key)?.ok_or_else(|| missing(key))
}

// ------------------------------------------------------------------ WhatsAppClient

/// The WhatsApp Business Cloud API client: every action through `fetch`, with token refresh,
/// safe retries and the 24-hour window check. Results are plain objects.
#[wasm_bindgen(js_name = WhatsAppClient)]
pub struct WhatsAppClient {
    inner: Rc<JsClient>,
}

impl std::fmt::Debug for WhatsAppClient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.inner.fmt(f)
    }
}

impl WhatsAppClient {
    pub(crate) fn inner(&self) -> Rc<JsClient> {
        self.inner.clone()
    }
}

#[wasm_bindgen(js_class = WhatsAppClient)]
impl WhatsAppClient {
    /// `new WhatsAppClient({ accessToken | tokenProvider, apiVersion?, baseUrl?, retry?, timeoutMs?,
    /// statusStore?, windowStore? })`.
    #[wasm_bindgen(constructor)]
    pub fn new(
        #[wasm_bindgen(unchecked_param_type = "WhatsAppClientOptions")] options: JsValue,
    ) -> Result<WhatsAppClient, JsValue> {
        if !options.is_object() {
            return Err(crate::js::convert::wrong_type(&options, "options", "an object").into());
        }
        let token = prop(&options, "accessToken", "accessToken")?;
        let provider = prop(&options, "tokenProvider", "tokenProvider")?;
        let provider = match (token.is_undefined(), provider.is_undefined()) {
            (false, true) => provider_from(&token, "accessToken")?,
            (true, false) => provider_from(&provider, "tokenProvider")?,
            _ => {
                return Err(Error::invalid(
                    "accessToken",
                    "token_required",
                    "Give exactly one of accessToken (a string) or tokenProvider ({ getToken(), refresh?() }).",
                )
                .into())
            }
        };
        Ok(WhatsAppClient {
            inner: Rc::new(client_from(&options, provider)?),
        })
    }

    /// Sends an approved template (works outside the 24-hour window).
    #[wasm_bindgen(js_name = sendTemplate, unchecked_return_type = "Promise<SendResult>")]
    pub fn send_template(
        &self,
        #[wasm_bindgen(unchecked_param_type = "SendTemplateInput")] input: JsValue,
    ) -> Promise {
        op_promise(self.inner(), Op::SendTemplate, input)
    }

    /// Sends a text message (refused with kind `window_closed` when the window store says the
    /// 24-hour window is closed).
    #[wasm_bindgen(js_name = sendText, unchecked_return_type = "Promise<SendResult>")]
    pub fn send_text(
        &self,
        #[wasm_bindgen(unchecked_param_type = "SendTextInput")] input: JsValue,
    ) -> Promise {
        op_promise(self.inner(), Op::SendText, input)
    }

    /// Sends media by link or media id (window checked as for text).
    #[wasm_bindgen(js_name = sendMedia, unchecked_return_type = "Promise<SendResult>")]
    pub fn send_media(
        &self,
        #[wasm_bindgen(unchecked_param_type = "SendMediaInput")] input: JsValue,
    ) -> Promise {
        op_promise(self.inner(), Op::SendMedia, input)
    }

    /// Marks an inbound message as read; resolves to `true` on success.
    #[wasm_bindgen(js_name = markAsRead, unchecked_return_type = "Promise<boolean>")]
    pub fn mark_as_read(
        &self,
        #[wasm_bindgen(unchecked_param_type = "MarkAsReadInput")] input: JsValue,
    ) -> Promise {
        op_promise(self.inner(), Op::MarkAsRead, input)
    }

    /// Submits a template for review.
    #[wasm_bindgen(js_name = createTemplate, unchecked_return_type = "Promise<CreatedTemplate>")]
    pub fn create_template(
        &self,
        #[wasm_bindgen(unchecked_param_type = "CreateTemplateInput")] input: JsValue,
    ) -> Promise {
        op_promise(self.inner(), Op::CreateTemplate, input)
    }

    /// Lists templates, following paging until `limit` (default 100) are collected.
    #[wasm_bindgen(js_name = getTemplates, unchecked_return_type = "Promise<TemplateInfo[]>")]
    pub fn get_templates(
        &self,
        #[wasm_bindgen(unchecked_param_type = "GetTemplatesInput")] input: JsValue,
    ) -> Promise {
        op_promise(self.inner(), Op::GetTemplates, input)
    }

    /// The phone numbers of a WABA with quality rating, messaging limit, throughput and verified
    /// name.
    #[wasm_bindgen(js_name = getPhoneNumbers, unchecked_return_type = "Promise<PhoneNumber[]>")]
    pub fn get_phone_numbers(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] business_account_id: JsValue,
    ) -> Promise {
        op_promise(self.inner(), Op::GetPhoneNumbers, business_account_id)
    }

    /// Walks businesses → owned and client WABAs → phone numbers (all pages).
    #[wasm_bindgen(js_name = discoverAccounts, unchecked_return_type = "Promise<AccountDiscovery>")]
    pub fn discover_accounts(
        &self,
        #[wasm_bindgen(unchecked_optional_param_type = "DiscoverAccountsOptions")] options: JsValue,
    ) -> Promise {
        op_promise(self.inner(), Op::DiscoverAccounts, options)
    }

    /// The status of a sent message: from `statusStore` (fed by webhooks) when configured, else
    /// `GET /{wamid}`, which Meta does not support (the error's hint explains).
    #[wasm_bindgen(js_name = getMessageStatus, unchecked_return_type = "Promise<StatusRecord>")]
    pub fn get_message_status(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] message_id: JsValue,
    ) -> Promise {
        op_promise(self.inner(), Op::GetMessageStatus, message_id)
    }

    /// Exchanges an OAuth code for a token.
    #[wasm_bindgen(js_name = exchangeCode, unchecked_return_type = "Promise<TokenResponse>")]
    pub fn exchange_code(
        &self,
        #[wasm_bindgen(unchecked_param_type = "ExchangeCodeOptions")] options: JsValue,
    ) -> Promise {
        op_promise(self.inner(), Op::ExchangeCode, options)
    }

    /// Exchanges a short-lived token for a long-lived (~60-day) one.
    #[wasm_bindgen(js_name = exchangeLongLivedToken, unchecked_return_type = "Promise<TokenResponse>")]
    pub fn exchange_long_lived_token(
        &self,
        #[wasm_bindgen(unchecked_param_type = "ExchangeLongLivedOptions")] options: JsValue,
    ) -> Promise {
        op_promise(self.inner(), Op::ExchangeLongLivedToken, options)
    }

    /// Inspects a token (default: the client's own) with `debug_token`; with `requiredScopes`,
    /// fails with kind `permission` naming a missing scope.
    #[wasm_bindgen(js_name = debugToken, unchecked_return_type = "Promise<TokenInfo>")]
    pub fn debug_token(
        &self,
        #[wasm_bindgen(unchecked_optional_param_type = "DebugTokenOptions")] options: JsValue,
    ) -> Promise {
        op_promise(self.inner(), Op::DebugToken, options)
    }

    /// Uploads media (multipart) after checking it against the media limits; resolves to
    /// `{ id }`.
    #[wasm_bindgen(js_name = uploadMedia, unchecked_return_type = "Promise<UploadedMedia>")]
    pub fn upload_media(
        &self,
        #[wasm_bindgen(unchecked_param_type = "UploadMediaInput")] input: JsValue,
    ) -> Promise {
        op_promise(self.inner(), Op::UploadMedia, input)
    }
}

// ------------------------------------------------------------------ free functions

/// Fills `buf` from `crypto.getRandomValues` (Node ≥ 19, browsers, workerd).
pub(crate) fn random_bytes(buf: &mut [u8]) -> Result<(), Error> {
    let crypto = prop(&js_sys::global(), "crypto", "crypto")?;
    let f = method(&crypto, "getRandomValues", "crypto")?.ok_or_else(|| Error::Refused {
        kind: ErrorKind::Validation,
        code: "no_crypto",
        message: "crypto.getRandomValues is not available: pass an explicit state.".to_owned(),
    })?;
    let array = js_sys::Uint8Array::new_with_length(u32::try_from(buf.len()).unwrap_or(32));
    f.call1(&crypto, &array)
        .map_err(|e| callback_failure("crypto.getRandomValues()", e))?;
    array.copy_to(buf);
    Ok(())
}

/// The Facebook Login dialog URL for the WhatsApp scopes, with a random CSRF `state` when none is
/// given (from `crypto.getRandomValues`).
#[wasm_bindgen(js_name = buildAuthorizationUrl, unchecked_return_type = "AuthorizationUrl")]
pub fn build_authorization_url_js(
    #[wasm_bindgen(unchecked_param_type = "AuthorizationUrlOptions")] options: JsValue,
) -> Result<JsValue, JsValue> {
    Ok(authorization_url(&options)?)
}

fn authorization_url(options: &JsValue) -> Result<JsValue, Error> {
    if !options.is_object() {
        return Err(crate::js::convert::wrong_type(
            options,
            "options",
            "an object",
        ));
    }
    // Every field is read, the first failure kept: one exit instead of one per field.
    let mut failed = None;
    let mut text = |key: &str| {
        opt_string(options, key).unwrap_or_else(|e| {
            failed.get_or_insert(e);
            None
        })
    };
    let mut opts = AuthorizationUrlOptions {
        app_id: text("appId").unwrap_or_default(),
        redirect_uri: text("redirectUri").unwrap_or_default(),
        state: text("state"),
        scopes: None,
        config_id: text("configId"),
        api_version: text("apiVersion"),
        dialog_base_url: text("dialogBaseUrl"),
    };
    if let Some(e) = failed {
        return Err(e);
    }
    opts.scopes = string_items(&prop(options, "scopes", "scopes")?, "scopes")?;
    let mut state = String::new();
    if opts.state.is_none() {
        let mut bytes = [0u8; 16];
        random_bytes(&mut bytes)?;
        for b in bytes {
            state.push_str(&format!("{b:02x}"));
        }
    }
    json_to_js(&build_authorization_url(&opts, &state)?)
}

/// The flat `task_58001_*` variable map of a task output (nested values stay objects).
#[wasm_bindgen(js_name = toOutputVariables, unchecked_return_type = "Record<string, unknown>")]
pub fn to_output_variables_js(
    #[wasm_bindgen(unchecked_param_type = "TaskOutput")] output: JsValue,
    #[wasm_bindgen(unchecked_optional_param_type = "string")] prefix: JsValue,
) -> Result<JsValue, JsValue> {
    let text = json_text_max(&output, "output", "a task output object", MAX_OUTPUT_CHARS)?;
    let doc = crate::core::json::Doc::parse(&text).map_err(|e| {
        Error::invalid(
            "output",
            "invalid_json",
            format!("output could not be read ({e})."),
        )
    })?;
    let value = doc.root();
    if !value.is_object() {
        return Err(Error::invalid(
            "output",
            "invalid_type",
            "output must be the object runTask returned.",
        )
        .into());
    }
    let prefix = if prefix.is_undefined() || prefix.is_null() {
        DEFAULT_PREFIX.to_owned()
    } else {
        string_arg(&prefix, "prefix")?
    };
    to_js(&output_variables_of(value, &prefix))
}

#[wasm_bindgen(typescript_custom_section)]
const TS_CLIENT: &'static str = r#"
/** What a token provider resolves to: the token, or the token with its expiry (Unix **ms**, or a Date). */
export type TokenValue = string | { accessToken: string; expiresAtMs?: number | Date | null };

/**
 * Supplies access tokens. `refresh()` is called once (shared by all concurrent calls) when the
 * token is known to be expired or the Graph API rejects it with code 190.
 */
export interface TokenProvider {
  getToken(): TokenValue | Promise<TokenValue>;
  refresh?(): TokenValue | Promise<TokenValue>;
}

/** Retry bounds (retryable Graph codes, HTTP 5xx and, for reads, network failures). */
export interface RetryOptions {
  /** Attempts in total, the first included (default 4; 1 = never retry). */
  maxAttempts?: number;
  /** Backoff ceiling of the first retry in ms, doubled per retry (default 500). */
  baseDelayMs?: number;
  /** Largest backoff ceiling in ms (default 30000). */
  maxDelayMs?: number;
  /** Longest Retry-After the client waits for, in ms (default 60000). */
  maxRetryAfterMs?: number;
}

/** When each customer last wrote (fed by the messages webhook); enables the local window check. */
export interface WindowStore {
  /** Unix time in **ms** (or a Date) of the last inbound message from `waId` to `phoneNumberId`, or null.
   *  (A webhook's `timestamp` is in seconds: multiply it by 1000.)
   *  `waId` is the phone number's digits, or the business-scoped user id (`US.1349…`, webhook
   *  `fromUserId`) when the send has `recipient` and no `to`. */
  getLastInboundMs(phoneNumberId: string, waId: string): number | Date | null | Promise<number | Date | null>;
}

/** A message's delivery status, as status webhooks report it. */
export type MessageStatus = "sent" | "delivered" | "read" | "failed" | "played" | "deleted";

/** A phone number's quality rating. */
export type QualityRating = "GREEN" | "YELLOW" | "RED" | "NA" | "UNKNOWN";

/** A template's review status. */
export type TemplateStatus =
  | "APPROVED" | "PENDING" | "REJECTED" | "PAUSED" | "DISABLED" | "IN_APPEAL"
  | "PENDING_DELETION" | "DELETED" | "LIMIT_EXCEEDED" | "ARCHIVED";

/** A message status as recorded from a status webhook. */
export interface StatusRecord {
  status: MessageStatus;
  /** Unix seconds (as sent by Meta). */
  timestamp?: string | number;
  recipient_id?: string;
  errors?: Array<{ code: number; title?: string; message?: string; error_data?: { details?: string } }>;
  [key: string]: unknown;
}

/** Statuses recorded from webhooks, by wamid. */
export interface StatusStore {
  get(messageId: string): StatusRecord | null | Promise<StatusRecord | null>;
}

/** Options common to `WhatsAppClient` and `runTask`. */
export interface ClientSettings {
  /** Graph API version (default `v25.0`; v18.0 and older are retired). */
  apiVersion?: string;
  /** Graph host (default `https://graph.facebook.com`; point it at wa-emulator in tests). */
  baseUrl?: string;
  retry?: RetryOptions;
  /** Per-attempt timeout in ms (default 30000). A send that times out is not replayed. */
  timeoutMs?: number;
  statusStore?: StatusStore;
  windowStore?: WindowStore;
}

export type WhatsAppClientOptions = ClientSettings &
  ({ accessToken: string; tokenProvider?: never } | { tokenProvider: TokenProvider; accessToken?: never });

/** The answer to a send. */
export interface SendResult {
  /** The wamid. */
  messageId: string;
  waId: string | null;
  input: string | null;
  /** The business-scoped user id, when the send named one (`recipient`). */
  userId: string | null;
  /** Template sends only. */
  messageStatus: "accepted" | "held_for_quality_assessment" | "paused" | null;
}

export interface PhoneNumber {
  /** The phone number ID (not the number). */
  id: string;
  displayPhoneNumber: string | null;
  verifiedName: string | null;
  qualityRating: QualityRating | null;
  /** e.g. `TIER_2K` (whatsapp_business_manager_messaging_limit, else messaging_limit_tier). */
  messagingLimit: string | null;
  throughput: "STANDARD" | "HIGH" | "NOT_APPLICABLE" | null;
  codeVerificationStatus: string | null;
  nameStatus: string | null;
  status: string | null;
  platformType: string | null;
  accountMode: string | null;
}

export interface Business {
  id: string;
  name: string | null;
  verificationStatus: string | null;
}

export interface BusinessAccount {
  /** The WABA id (`business_account_id`). */
  id: string;
  name: string | null;
  relation: "owned" | "client";
  businessId: string;
  currency: string | null;
  timezoneId: string | null;
  messageTemplateNamespace: string | null;
  accountReviewStatus: string | null;
  businessVerificationStatus: string | null;
  ownershipType: string | null;
  phoneNumbers: PhoneNumber[];
}

/** A listing discovery could not read; the walk went on. */
export interface DiscoveryProblem {
  objectId: string;
  listing: "owned_wabas" | "client_wabas" | "phone_numbers";
  kind: ErrorKind;
  code: string;
  message: string;
}

export interface AccountDiscovery {
  businesses: Business[];
  accounts: BusinessAccount[];
  problems: DiscoveryProblem[];
}

export interface DiscoverAccountsOptions {
  /** Walk only this business (skips `/me/businesses`). */
  businessId?: string;
}

export interface TokenResponse {
  accessToken: string;
  tokenType: string;
  /** Seconds; null when the token does not expire. */
  expiresIn: number | null;
  /** Unix ms. */
  expiresAt: number | null;
}

export interface GranularScope {
  scope: string;
  targetIds: string[];
}

export interface TokenInfo {
  valid: boolean;
  appId: string | null;
  type: string | null;
  application: string | null;
  /** Unix seconds; null = never expires. */
  expiresAt: number | null;
  dataAccessExpiresAt: number | null;
  issuedAt: number | null;
  scopes: string[];
  granularScopes: GranularScope[];
  /** WABA ids granted to the WhatsApp scopes. */
  wabaIds: string[];
  userId: string | null;
}

export interface ExchangeCodeOptions {
  appId: string;
  appSecret: string;
  code: string;
  /** The redirect URI used in the dialog (omit for Login-for-Business codes). */
  redirectUri?: string;
}

export interface ExchangeLongLivedOptions {
  appId: string;
  appSecret: string;
  accessToken: string;
}

export interface DebugTokenOptions {
  /** Token to inspect (default: the client's). */
  inputToken?: string;
  /** App credentials: authenticate with the app token instead of the client's token. */
  appId?: string;
  appSecret?: string;
  /** Fail with kind `permission` naming the first missing scope. */
  requiredScopes?: string[];
}

export interface AuthorizationUrlOptions {
  appId: string;
  redirectUri: string;
  /** CSRF state (default: 32 random hex characters from crypto.getRandomValues). */
  state?: string;
  /** Default: whatsapp_business_management, whatsapp_business_messaging. */
  scopes?: string[];
  /** Facebook Login for Business configuration (replaces scopes). */
  configId?: string;
  apiVersion?: string;
  /** Default `https://www.facebook.com`. */
  dialogBaseUrl?: string;
}

export interface AuthorizationUrl {
  url: string;
  /** Compare with the `state` the redirect brings back. */
  state: string;
}

export interface UploadMediaInput {
  phoneNumberId: string;
  file: Uint8Array | ArrayBuffer | Blob;
  mimeType: string;
  filename?: string;
}

export interface UploadedMedia {
  id: string;
}

/** A template as Graph lists it. */
export interface TemplateInfo {
  id: string;
  name: string;
  status: TemplateStatus;
  category: TemplateCategory;
  language: string;
  components?: unknown[];
  [key: string]: unknown;
}

export interface CreatedTemplate {
  id: string;
  status: TemplateStatus | null;
  category: TemplateCategory | null;
}

export interface TemplateList {
  templates: TemplateInfo[];
  count: number;
}
"#;

// ------------------------------------------------------------------ runTask

/// `options.connections`: a map or a function from `app_connection_id` to a token (string) or a
/// token provider; the other options (`baseUrl`, `apiVersion`, stores, ...) apply to every client.
struct JsConnections {
    options: JsValue,
}

impl Connections for JsConnections {
    type Client = JsClient;
    fn client<'a>(&'a self, id: &'a str) -> LocalFuture<'a, Result<Option<JsClient>, Error>> {
        Box::pin(async move {
            let conns = prop(&self.options, "connections", "connections")?;
            let found = if let Some(f) = conns.dyn_ref::<Function>() {
                call_async(&JsValue::NULL, f, &[JsValue::from_str(id)])
                    .await
                    .map_err(|e| callback_failure("connections()", e))?
            } else if conns.is_object() {
                prop(&conns, id, "connections")?
            } else {
                return Err(Error::invalid(
                    "connections",
                    "connections_required",
                    "options.connections must map app_connection_id to an access token or a token provider (an object or a function).",
                ));
            };
            if found.is_undefined() || found.is_null() {
                return Ok(None);
            }
            let provider = provider_from(&found, &format!("connections[\"{id}\"]"))?;
            client_from(&self.options, provider).map(Some)
        })
    }
}

/// Runs the seed's automation task. Resolves to the seed's output object; never rejects: a
/// failure has `run: false`, advice in `run_text`, `error_code` and `error_kind`.
#[wasm_bindgen(js_name = runTask, unchecked_return_type = "Promise<TaskOutput>")]
pub fn run_task_js(
    #[wasm_bindgen(unchecked_param_type = "TaskConfig")] config: JsValue,
    #[wasm_bindgen(unchecked_param_type = "TaskOptions")] options: JsValue,
) -> Promise {
    job_promise(Job::Task(config, options))
}

async fn run_task_inner(config: &JsValue, options: JsValue) -> TaskOutput {
    let action_text = prop(config, "action", "config.action")
        .ok()
        .and_then(|a| opt_string_arg(&a, "config.action").ok().flatten())
        .unwrap_or_default();
    let action = ActionName::parse(&action_text);
    let fail = |e: &Error| TaskOutput::failure(action, &action_text, e);
    let text = match json_text(config, "config", "an object") {
        Ok(t) => t,
        Err(e) => return fail(&e),
    };
    let request = match crate::core::json::Doc::parse(&text) {
        Ok(doc) => parse_task_config_json(doc.root()),
        Err(e) => Err(Error::invalid(
            "config",
            "invalid_json",
            format!("config could not be read ({e})."),
        )),
    };
    let request = match request {
        Ok(r) => r,
        Err(e) => return fail(&e),
    };
    let connections = JsConnections { options };
    let client = match connections.client(&request.connection_id).await {
        Ok(Some(c)) => c,
        Ok(None) => {
            return fail(&Error::Refused {
                kind: ErrorKind::Auth,
                code: "no_connection",
                message: format!("No app connection \"{}\" was found.", request.connection_id),
            })
        }
        Err(e) => return fail(&e),
    };
    match execute_task(&client, &request.action).await {
        Ok(o) => o,
        Err(e) => fail(&e),
    }
}

#[wasm_bindgen(typescript_custom_section)]
const TS_TASK: &'static str = r#"
/** The seed's task configuration (BaseCloud task 58); CRM values may be strings. */
export interface TaskConfig {
  action: "send_template" | "create_template" | "get_templates" | "send_text" | "send_media" | "get_message_status" | "mark_as_read";
  app_connection_id?: string | number;
  business_account_id?: string;
  phone_number_id?: string;
  recipient?: string;
  template_name?: string;
  template_language?: string;
  /** JSON array (or its text) of body values in placeholder order, or values per component. */
  template_parameters?: TemplateValues | SendComponent[];
  template_category?: TemplateCategory;
  template_components?: TemplateComponent[] | string;
  status_filter?: string;
  limit?: number | string;
  message_text?: string;
  preview_url?: boolean | string;
  media_type?: "image" | "video" | "document" | "audio" | "sticker";
  media_url?: string;
  media_id?: string;
  caption?: string;
  filename?: string;
  message_id?: string;
}

/** An access token or a token provider for one app connection. */
export type ConnectionToken = string | TokenProvider;

/** How `runTask` finds the token of an `app_connection_id`. */
export type Connections =
  | Record<string, ConnectionToken>
  | ((appConnectionId: string) => ConnectionToken | null | undefined | Promise<ConnectionToken | null | undefined>);

export interface TaskOptions extends ClientSettings {
  connections: Connections;
}

/** The seed's output fields (`task_58001_*` without the prefix), discriminated on `run`. */
export type TaskOutput = TaskSuccess | TaskFailure;

/** A task that ran: `run_text` is the seed's success text; the fields are the action's. */
export interface TaskSuccess {
  run: true;
  run_text: string;
  action: TaskConfig["action"];
  message_id?: string;
  recipient?: string;
  template_name?: string;
  template_id?: string;
  /** create_template: the template's status (`PENDING`, `APPROVED`, …). */
  status?: TemplateStatus;
  templates?: TemplateInfo[];
  count?: number;
  /** get_message_status: the status object (`data.status`, `data.timestamp`, `data.errors`). */
  data?: StatusRecord;
  media_type?: string;
  success?: boolean;
}

/** A task that did not run: what went wrong and what to do. Never a rejection. */
export interface TaskFailure {
  run: false;
  run_text: string;
  /** The configured action, as given (even when it is not one of the seven). */
  action: string;
  /** Graph code or local snake_case code. */
  error_code: string;
  error_kind: ErrorKind;
}
"#;
