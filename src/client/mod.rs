//! The client: every action over a [`Transport`], with the policy in one place — the token
//! (single-flight refresh, one refresh and one retry after a 190), retries of what is safe to
//! retry (backoff with full jitter, `Retry-After`), never replaying a send whose fate is unknown,
//! the 24-hour window check and the status store.
//!
//! It takes the clock, the sleep and the random source as a [`Runtime`], so the whole policy is
//! tested natively with a scripted transport and a virtual clock.

pub mod actions;
pub mod task;
pub mod token;

use crate::domain::account::{
    build_list_businesses, build_list_phone_numbers, build_list_wabas, parse_business_page,
    parse_phone_page, parse_waba_page, AccountDiscovery, Business, BusinessAccount,
    DiscoveryProblem, PhoneNumber, Relation,
};
use crate::domain::error::{Error, ErrorKind};
use crate::domain::graph::{parse_doc, parse_error_response, ApiVersion, DEFAULT_BASE_URL};
use crate::domain::json::Json;
use crate::domain::json::RawJson;
use crate::domain::message::{
    parse_created_template, parse_send_response, parse_success, parse_template_page,
    TemplateSummary,
};
pub use crate::domain::message::{CreatedTemplate, SendResult};
use crate::domain::oauth::{self, TokenInfo, TokenResponse};
use crate::domain::page::{next_page, Page};
use crate::domain::request::{ApiRequest, ApiResponse, Method};
use crate::domain::retry::{
    decide, for_idempotency, retry_after_ms, Decision, Idempotency, RetryPolicy,
};
use crate::domain::secret::{AccessToken, AppSecret};
use crate::domain::url::{encode_component, endpoint};
use crate::transport::{FormPart, LocalFuture, Outgoing, Transport};

/// A status record: an object whose `status` is a string.
fn has_status(record: &RawJson) -> bool {
    record.doc().is_some_and(|d| has_status_in(d.root()))
}

fn has_status_in(v: Json<'_>) -> bool {
    v.get("status").is_some_and(|s| s.is_string())
}
use token::{Lease, TokenProvider, TokenSource};

/// The most pages one paged read follows (200 pages of 25 is 5,000 templates or accounts, far
/// beyond any real listing). A Graph, or a proxy, that keeps answering `paging.next` ends here.
pub const MAX_PAGES: usize = 200;

/// The cursors of one paged read: stops it at [`MAX_PAGES`] or at a cursor that comes back (an
/// answer that would be read again forever), with an error rather than a silent partial list.
#[derive(Default)]
struct Pages {
    seen: Vec<String>,
}

impl Pages {
    fn next(&mut self, cursor: String) -> Result<&str, Error> {
        let message = if self.seen.contains(&cursor) {
            "the same page cursor came back: the listing would never end"
        } else if self.seen.len() + 1 >= MAX_PAGES {
            "the listing has more than 200 pages (MAX_PAGES); narrow it with a filter"
        } else {
            self.seen.push(cursor);
            return Ok(self.seen.last().map_or("", String::as_str));
        };
        Err(Error::Parse {
            status: 200,
            path: "paging.cursors.after".to_owned(),
            message: message.to_owned(),
            body: String::new(),
        })
    }
}

/// The customer-service window: 24 hours after the customer's last message.
pub const WINDOW_MS: f64 = 24.0 * 3600.0 * 1000.0;

/// The clock, the sleep and the random source the client uses (JS: `Date.now`, `setTimeout`,
/// `crypto.getRandomValues`; tests: a virtual clock).
pub trait Runtime {
    /// Unix time in milliseconds.
    fn now_ms(&self) -> f64;
    /// Resolves after `ms` milliseconds.
    fn sleep(&self, ms: u64) -> LocalFuture<'static, ()>;
    /// A number in `[0, 1)`.
    fn random(&self) -> f64;
}

/// When a customer last wrote to a business number (JS: `WindowStore.getLastInbound`), fed by the
/// messages webhook.
pub trait WindowStore {
    /// `wa_id` is the phone number's digits, or the business-scoped user id when the send has
    /// only a `recipient`.
    /// Unix time in milliseconds of the last inbound message from `wa_id` to `phone_number_id`,
    /// or `None` if they never wrote.
    fn last_inbound<'a>(
        &'a self,
        phone_number_id: &'a str,
        wa_id: &'a str,
    ) -> LocalFuture<'a, Result<Option<f64>, Error>>;
}

/// Message statuses recorded from webhooks (JS: `StatusStore.get`).
pub trait StatusStore {
    /// The latest status record of `wamid` (`{ status, timestamp, errors?, ... }`), if any.
    fn get<'a>(&'a self, wamid: &'a str) -> LocalFuture<'a, Result<Option<RawJson>, Error>>;
}

/// Client settings.
#[derive(Debug, Clone, PartialEq)]
pub struct ClientConfig {
    /// Graph host (tests and the demo point it at the emulator).
    pub base_url: String,
    /// Graph API version.
    pub api_version: ApiVersion,
    /// Retry bounds.
    pub retry: RetryPolicy,
    /// Per-attempt timeout in milliseconds.
    pub timeout_ms: u32,
}

impl Default for ClientConfig {
    fn default() -> Self {
        ClientConfig {
            base_url: DEFAULT_BASE_URL.to_owned(),
            api_version: ApiVersion::default(),
            retry: RetryPolicy::default(),
            timeout_ms: 30_000,
        }
    }
}

/// A file to upload (JS: `uploadMedia({ phoneNumberId, file, mimeType, filename })`).
#[derive(Clone, PartialEq, Eq)]
pub struct MediaFile {
    /// The bytes.
    pub bytes: Vec<u8>,
    /// MIME type, e.g. `image/jpeg`.
    pub mime_type: String,
    /// File name.
    pub filename: String,
}

impl std::fmt::Debug for MediaFile {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "MediaFile({}, {}, {} bytes)",
            self.filename,
            self.mime_type,
            self.bytes.len()
        )
    }
}

/// The WhatsApp Business Cloud API client: builds each request with the core, adds the token,
/// sends it through a [`Transport`] with the [`RetryPolicy`](crate::RetryPolicy) and parses the
/// answer. In wasm the transport is `fetch`; natively, any [`Transport`] (here a closure that
/// answers like Graph does).
///
/// ```
/// use whatsapp_business::{
///     AccessToken, ApiResponse, Client, ClientConfig, LocalFuture, Outgoing, Runtime,
///     SendTextInput, StaticToken,
/// };
///
/// struct Clock;
/// impl Runtime for Clock {
///     fn now_ms(&self) -> f64 { 1_750_000_000_000.0 }
///     fn sleep(&self, _ms: u64) -> LocalFuture<'static, ()> { Box::pin(async {}) }
///     fn random(&self) -> f64 { 0.5 }
/// }
///
/// let graph = |out: Outgoing<'_>| -> LocalFuture<'static, _> {
///     assert!(out.request.url.ends_with("/1234567890/messages"));
///     Box::pin(async {
///         Ok(ApiResponse {
///             status: 200,
///             headers: vec![],
///             body: r#"{"messaging_product":"whatsapp","contacts":[{"input":"27821234567","wa_id":"27821234567"}],"messages":[{"id":"wamid.A1"}]}"#.into(),
///         })
///     })
/// };
/// let token = StaticToken(AccessToken::new("EAAG..."));
/// let client = Client::new(graph, Clock, token, ClientConfig::default());
/// let sent = futures::executor::block_on(client.send_text(&SendTextInput {
///     phone_number_id: "1234567890".into(),
///     to: "+27 82 123 4567".into(),
///     text: "Your order has shipped.".into(),
///     ..Default::default()
/// }))
/// .unwrap();
/// assert_eq!(sent.message_id, "wamid.A1");
/// ```
pub struct Client<T, R, P> {
    transport: T,
    runtime: R,
    tokens: TokenSource<P>,
    config: ClientConfig,
    window_store: Option<Box<dyn WindowStore>>,
    status_store: Option<Box<dyn StatusStore>>,
}

impl<T, R, P> std::fmt::Debug for Client<T, R, P> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Client")
            .field("config", &self.config)
            .field("window_store", &self.window_store.is_some())
            .field("status_store", &self.status_store.is_some())
            .finish_non_exhaustive()
    }
}

impl<T: Transport, R: Runtime, P: TokenProvider> Client<T, R, P> {
    /// A client over `transport`, with tokens from `provider`.
    pub fn new(transport: T, runtime: R, provider: P, config: ClientConfig) -> Self {
        Client {
            transport,
            runtime,
            tokens: TokenSource::new(provider),
            config,
            window_store: None,
            status_store: None,
        }
    }

    /// Consults `store` before free-form sends (text, media).
    pub fn with_window_store(mut self, store: Box<dyn WindowStore>) -> Self {
        self.window_store = Some(store);
        self
    }

    /// Reads message statuses from `store` instead of asking Meta.
    pub fn with_status_store(mut self, store: Box<dyn StatusStore>) -> Self {
        self.status_store = Some(store);
        self
    }

    /// The settings.
    pub fn config(&self) -> &ClientConfig {
        &self.config
    }

    /// `{base}/{version}/{path}` for this client.
    pub fn url(&self, path: &str) -> String {
        endpoint(&self.config.base_url, &self.config.api_version, path)
    }

    /// Performs `request` with the client's policy and returns the successful (status < 400)
    /// answer, or the error:
    /// * the token is added (`auth`), refreshed first when known to be expired; a 190 answer
    ///   causes one refresh and one retry of the request;
    /// * retryable errors are retried with backoff and full jitter, `Retry-After` honoured, up to
    ///   `retry.max_attempts`;
    /// * a network failure is retried only for [`Idempotency::Safe`] requests: an unsafe request
    ///   that may have gone out fails with `Transport { ambiguous: true }` and is never replayed.
    pub async fn execute(
        &self,
        request: &ApiRequest,
        form: Option<&[FormPart]>,
        idempotency: Idempotency,
        auth: bool,
    ) -> Result<ApiResponse, Error> {
        let policy = self.config.retry;
        let mut attempt: u32 = 0;
        let mut refreshed = false;
        let mut lease: Option<Lease> = None;
        loop {
            attempt += 1;
            if auth && lease.is_none() {
                lease = Some(self.tokens.lease(self.runtime.now_ms()).await?);
            }
            let mut req = request.clone();
            if let Some(l) = &lease {
                req.headers.push((
                    "Authorization".to_owned(),
                    format!("Bearer {}", l.token.secret()),
                ));
            }
            let out = Outgoing {
                request: &req,
                form,
                timeout_ms: self.config.timeout_ms,
            };
            let (error, retry_after) = match self.transport.call(out).await {
                Ok(resp) if resp.status < 400 => return Ok(resp),
                Ok(resp) => (parse_error_response(&resp), retry_after_ms(&resp)),
                Err(e) => (for_idempotency(e, idempotency), None),
            };
            if let (Error::Graph(g), Some(l)) = (&error, &lease) {
                if g.code == 190 && !refreshed {
                    refreshed = true;
                    if let Some(next) = self.tokens.replace(l, self.runtime.now_ms()).await {
                        lease = Some(next?);
                        attempt -= 1;
                        continue;
                    }
                }
            }
            match decide(&policy, attempt, &error, retry_after, self.runtime.random()) {
                Decision::RetryAfter(ms) => self.runtime.sleep(ms).await,
                Decision::Stop => return Err(error),
            }
        }
    }

    /// Sends a built message request (`POST /{phone_number_id}/messages`). Never replayed once it
    /// may have reached Meta. When `free_form` names the sender and recipient and a window store
    /// is configured, a closed customer-service window is refused locally (kind `window_closed`).
    pub async fn send_message(
        &self,
        request: &ApiRequest,
        free_form: Option<(&str, &str)>,
    ) -> Result<SendResult, Error> {
        if let Some((phone_number_id, to)) = free_form {
            self.check_window(phone_number_id, to).await?;
        }
        let resp = self
            .execute(request, None, Idempotency::Unsafe, true)
            .await?;
        parse_send_response(&resp)
    }

    async fn check_window(&self, phone_number_id: &str, to: &str) -> Result<(), Error> {
        let Some(store) = &self.window_store else {
            return Ok(());
        };
        // A phone number's digits, or a business-scoped user id (`US.1349…`) as it is.
        let wa_id: String = if to.contains('.') {
            to.to_owned()
        } else {
            to.chars().filter(char::is_ascii_digit).collect()
        };
        let last = store.last_inbound(phone_number_id, &wa_id).await?;
        let now = self.runtime.now_ms();
        let message = match last {
            Some(t) if now - t < WINDOW_MS => return Ok(()),
            Some(t) => format!(
                "The customer-service window with {wa_id} is closed: their last message was {} hours ago (it stays open 24 hours).",
                ((now - t) / 3_600_000.0) as u64
            ),
            None => format!(
                "The customer-service window with {wa_id} is closed: they have not written to this number."
            ),
        };
        Err(Error::Refused {
            kind: ErrorKind::WindowClosed,
            code: "window_closed",
            message,
        })
    }

    /// Sends a built read receipt (`{"status":"read"}`); safe to repeat.
    pub async fn mark_as_read_request(&self, request: &ApiRequest) -> Result<bool, Error> {
        let resp = self.execute(request, None, Idempotency::Safe, true).await?;
        parse_success(&resp)
    }

    /// Submits a built template creation; not replayed once it may have reached Meta.
    pub async fn create_template_request(
        &self,
        request: &ApiRequest,
    ) -> Result<CreatedTemplate, Error> {
        let resp = self
            .execute(request, None, Idempotency::Unsafe, true)
            .await?;
        parse_created_template(&resp)
    }

    /// Lists templates from a built first-page request, following the `after` cursor until
    /// `limit` templates are collected or the list ends.
    pub async fn get_templates_request(
        &self,
        first: &ApiRequest,
        limit: usize,
    ) -> Result<Vec<TemplateSummary>, Error> {
        let mut out = self.pages(first, parse_template_page, limit).await?;
        out.truncate(limit);
        Ok(out)
    }

    /// The items of a Graph list from its first-page request, following the `after` cursor
    /// until the list ends or at least `limit` items are read.
    async fn pages<D>(
        &self,
        first: &ApiRequest,
        parse: fn(&ApiResponse) -> Result<Page<D>, Error>,
        limit: usize,
    ) -> Result<Vec<D>, Error> {
        let mut out = Vec::new();
        self.walk_pages(first, &mut |resp| {
            let page = parse(resp)?;
            out.extend(page.data);
            Ok(page.after.filter(|_| out.len() < limit))
        })
        .await?;
        Ok(out)
    }

    /// [`Client::pages`] without its item type (one copy in the binary): `each` reads a page and
    /// returns the cursor to follow, if any.
    async fn walk_pages(
        &self,
        first: &ApiRequest,
        each: &mut dyn FnMut(&ApiResponse) -> Result<Option<String>, Error>,
    ) -> Result<(), Error> {
        let mut req = first.clone();
        let mut pages = Pages::default();
        loop {
            let resp = self.execute(&req, None, Idempotency::Safe, true).await?;
            match each(&resp)? {
                Some(after) => req = next_page(first, pages.next(after)?),
                None => return Ok(()),
            }
        }
    }

    /// The phone numbers of a WABA with quality rating, messaging limit, throughput and verified
    /// name (every page).
    pub async fn get_phone_numbers(&self, waba_id: &str) -> Result<Vec<PhoneNumber>, Error> {
        let first =
            build_list_phone_numbers(&self.config.base_url, &self.config.api_version, waba_id)?;
        self.pages(&first, parse_phone_page, usize::MAX).await
    }

    /// Walks businesses (or the one given) → owned and client WABAs → phone numbers, following
    /// paging. A WABA or edge the token cannot read is reported in `problems` and the walk goes on;
    /// only a failure to list the businesses themselves is an error.
    pub async fn discover_accounts(
        &self,
        business_id: Option<&str>,
    ) -> Result<AccountDiscovery, Error> {
        let (base, version) = (&self.config.base_url, &self.config.api_version);
        let businesses: Vec<Business> = match business_id {
            Some(id) => {
                // Validates the id the same way the listing requests do.
                build_list_wabas(base, version, id, Relation::Owned)?;
                vec![Business {
                    id: id.to_owned(),
                    name: None,
                    verification_status: None,
                }]
            }
            None => {
                self.pages(
                    &build_list_businesses(base, version),
                    parse_business_page,
                    usize::MAX,
                )
                .await?
            }
        };
        let mut found = AccountDiscovery {
            businesses,
            ..AccountDiscovery::default()
        };
        let ids: Vec<String> = found.businesses.iter().map(|b| b.id.clone()).collect();
        for bid in &ids {
            for (relation, listing) in [
                (Relation::Owned, "owned_wabas"),
                (Relation::Client, "client_wabas"),
            ] {
                let req = build_list_wabas(base, version, bid, relation)?;
                match self.pages(&req, parse_waba_page, usize::MAX).await {
                    Ok(wabas) => {
                        for w in wabas {
                            if !found.accounts.iter().any(|a| a.id == w.id()) {
                                found
                                    .accounts
                                    .push(BusinessAccount::from_raw(w, bid, relation));
                            }
                        }
                    }
                    Err(e) if is_partial(&e) => found.problems.push(problem(bid, listing, &e)),
                    Err(e) => return Err(e),
                }
            }
        }
        for i in 0..found.accounts.len() {
            let Some(id) = found.accounts.get(i).map(|a| a.id.clone()) else {
                continue;
            };
            match self.get_phone_numbers(&id).await {
                Ok(numbers) => {
                    if let Some(a) = found.accounts.get_mut(i) {
                        a.phone_numbers = numbers;
                    }
                }
                Err(e) if is_partial(&e) => found.problems.push(problem(&id, "phone_numbers", &e)),
                Err(e) => return Err(e),
            }
        }
        Ok(found)
    }

    /// The delivery status of a sent message: from the status store when configured (fed by the
    /// status webhooks); otherwise `GET /{wamid}` as the seed describes — which Meta does not
    /// support, so its answer becomes an error whose hint explains that status comes from webhooks.
    pub async fn get_message_status(&self, wamid: &str) -> Result<RawJson, Error> {
        if wamid.trim().is_empty() || wamid.len() > 256 {
            return Err(Error::invalid(
                "messageId",
                "message_id_invalid",
                "messageId must be the wamid returned by a send (wamid.…).",
            ));
        }
        if let Some(store) = &self.status_store {
            return match store.get(wamid).await? {
                Some(record) if has_status(&record) => Ok(record),
                Some(_) => Err(Error::invalid(
                    "statusStore",
                    "status_record_invalid",
                    "statusStore.get() must resolve to an object with a string status, or null.",
                )),
                None => Err(Error::Refused {
                    kind: ErrorKind::NotFound,
                    code: "status_from_webhooks",
                    message: format!("No status has been recorded for {wamid} yet."),
                }),
            };
        }
        let req = ApiRequest::get(self.url(&encode_component(wamid)));
        match self.execute(&req, None, Idempotency::Safe, true).await {
            Ok(resp) => {
                let doc = parse_doc(&resp)?;
                if has_status_in(doc.root()) {
                    Ok(RawJson::of(doc.root()))
                } else {
                    Err(crate::domain::graph::parse_failure(&resp, "status", "no status in the answer"))
                }
            }
            Err(Error::Graph(g)) if g.code == 100 || g.code == 33 => Err(Error::Refused {
                kind: ErrorKind::NotFound,
                code: "status_from_webhooks",
                message: format!(
                    "Meta has no endpoint that returns a message's status (GET /{{message_id}} answered Graph error {}: {}).",
                    g.code, g.message
                ),
            }),
            Err(e) => Err(e),
        }
    }

    /// Uploads media (`POST /{phone_number_id}/media`, multipart); returns the media id. Not
    /// replayed once it may have reached Meta. The caller validates type and size first.
    pub async fn upload_media(
        &self,
        phone_number_id: &str,
        file: &MediaFile,
    ) -> Result<String, Error> {
        if !crate::domain::url::is_graph_id(phone_number_id) {
            return Err(Error::invalid(
                "phoneNumberId",
                "id_invalid",
                "phoneNumberId must be the numeric phone number ID.",
            ));
        }
        let req = ApiRequest {
            method: Method::Post,
            url: self.url(&format!("{phone_number_id}/media")),
            headers: vec![],
            body: None,
        };
        let form = [
            FormPart::Text {
                name: "messaging_product".into(),
                value: "whatsapp".into(),
            },
            FormPart::Text {
                name: "type".into(),
                value: file.mime_type.clone(),
            },
            FormPart::File {
                name: "file".into(),
                filename: file.filename.clone(),
                mime_type: file.mime_type.clone(),
                bytes: file.bytes.clone(),
            },
        ];
        let resp = self
            .execute(&req, Some(&form), Idempotency::Unsafe, true)
            .await?;
        let doc = parse_doc(&resp)?;
        doc.root()
            .get("id")
            .and_then(Json::as_str)
            .map(str::to_owned)
            .ok_or_else(|| {
                crate::domain::graph::parse_failure(&resp, "id", "no media id in the answer")
            })
    }

    /// Exchanges an authorization code (single use, never replayed) for a token.
    pub async fn exchange_code(
        &self,
        app_id: &str,
        app_secret: &AppSecret,
        redirect_uri: Option<&str>,
        code: &str,
    ) -> Result<TokenResponse, Error> {
        let (base, v) = (&self.config.base_url, &self.config.api_version);
        let req = oauth::build_exchange_code(base, v, app_id, app_secret, redirect_uri, code);
        let resp = self.execute(&req, None, Idempotency::Unsafe, false).await?;
        oauth::parse_token_response(&resp, self.runtime.now_ms())
    }

    /// Exchanges a short-lived token for a long-lived (~60-day) one.
    pub async fn exchange_long_lived_token(
        &self,
        app_id: &str,
        app_secret: &AppSecret,
        token: &AccessToken,
    ) -> Result<TokenResponse, Error> {
        let (base, v) = (&self.config.base_url, &self.config.api_version);
        let req = oauth::build_exchange_long_lived(base, v, app_id, app_secret, token);
        let resp = self.execute(&req, None, Idempotency::Safe, false).await?;
        oauth::parse_token_response(&resp, self.runtime.now_ms())
    }

    /// Inspects `input` (default: the client's own token) with `debug_token`, authenticated with
    /// the app token when app credentials are given, else with the client's token.
    pub async fn debug_token(
        &self,
        input: Option<&AccessToken>,
        app: Option<(&str, &AppSecret)>,
    ) -> Result<TokenInfo, Error> {
        let own;
        let input = match input {
            Some(t) => t,
            None => {
                own = self.tokens.lease(self.runtime.now_ms()).await?.token;
                &own
            }
        };
        let (base, v) = (&self.config.base_url, &self.config.api_version);
        let req = oauth::build_debug_token(base, v, input, app);
        let resp = self
            .execute(&req, None, Idempotency::Safe, app.is_none())
            .await?;
        oauth::parse_debug_token(&resp)
    }

    /// Checks with `debug_token` that the client's token has every scope in `required`
    /// (kind `permission`, code `missing_scope`, naming the scope, when not).
    pub async fn require_scopes(&self, required: &[&str]) -> Result<TokenInfo, Error> {
        let info = self.debug_token(None, None).await?;
        info.require_scopes(required)?;
        Ok(info)
    }
}

fn is_partial(e: &Error) -> bool {
    matches!(e.kind(), ErrorKind::Permission | ErrorKind::NotFound)
}

fn problem(object_id: &str, listing: &'static str, e: &Error) -> DiscoveryProblem {
    DiscoveryProblem {
        object_id: object_id.to_owned(),
        listing,
        kind: e.kind().as_str(),
        code: e.code(),
        message: e.to_string(),
    }
}
