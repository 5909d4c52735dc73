//! `WhatsAppClient`, `runTask`, `toOutputVariables` and `buildAuthorizationUrl`: the asynchronous
//! surface — the runtime (`Date.now`, `setTimeout`), the one dispatch of every async method and the
//! task runner. The caller's callbacks are in `callbacks`, option and input reading in `options`,
//! the TypeScript declarations in `typescript`; everything else crosses as JSON text.

use crate::client::task::{execute_task, Connections};
use crate::client::{Client, MediaFile, Runtime};
use crate::domain::error::{Error, ErrorKind};
use crate::domain::json::{Obj, ToJson};
use crate::domain::message::{MarkAsReadInput, SendMediaInput, SendTemplateInput, SendTextInput};
use crate::domain::oauth::{build_authorization_url, AuthorizationUrlOptions};
use crate::domain::secret::{AccessToken, AppSecret};
use crate::domain::task::{output_variables_of, DEFAULT_PREFIX};
use crate::domain::task::{parse_task_config_json, ActionName, TaskOutput};
use crate::domain::template::{CreateTemplateInput, GetTemplatesInput};
use crate::js::convert::{
    bytes_max, callback_failure, json_text, json_text_max, opt_string_arg, prop, string_arg,
    string_items, to_js, MAX_OUTPUT_CHARS,
};
use crate::transport::fetch::FetchTransport;
use crate::transport::LocalFuture;
use js_sys::{Function, Promise};
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::{future_to_promise, JsFuture};

mod callbacks;
mod options;
mod typescript;

use callbacks::{call_async, method, provider_from, AnyProvider};
use options::{client_from, opt_string, req_string, typed_input, MAX_UPLOAD_BYTES};

/// The client type behind `WhatsAppClient` and `runTask`.
pub(crate) type JsClient = Client<FetchTransport, JsRuntime, AnyProvider>;

// ------------------------------------------------------------------ runtime

/// Calls a global function (`setTimeout`) without an import declaration.
fn call_global(name: &str, args: &[&JsValue]) -> Result<JsValue, JsValue> {
    let global = js_sys::global();
    let f: js_sys::Function =
        js_sys::Reflect::get(&global, &JsValue::from_str(name))?.dyn_into()?;
    match args {
        [a] => f.call1(&global, a),
        [a, b] => f.call2(&global, a, b),
        _ => f.call0(&global),
    }
}

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
    let doc = crate::domain::json::Doc::parse(&text).map_err(|e| {
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
    // Parsed from its own text (`to_js` would copy it first).
    js_sys::JSON::parse(output_variables_of(value, &prefix).as_str())
}

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
    let request = match crate::domain::json::Doc::parse(&text) {
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
