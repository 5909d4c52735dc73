//! The one error type of the crate, the validation [`Issue`], and the table that turns a Graph
//! error code into an [`ErrorKind`], a retry decision and a hint a person can act on.
//!
//! Sources: `platform-rules.md` §4 (error envelope, code table, retry policy) and the seed's
//! troubleshooting guide (the hints).

use crate::domain::json::{Obj, ToJson};
use std::fmt;

/// How serious a validation [`Issue`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "lowercase"))]
#[non_exhaustive]
pub enum Severity {
    /// Meta would reject the request (or the template at review).
    Error,
    /// Allowed, but likely to cause trouble (rejection risk, poor delivery, insecure link).
    Warning,
}

/// One problem found by a validator: where (`path`, JSON-path-like, e.g. `components[2].buttons[1].url`),
/// what (`code`, stable snake_case, listed in `docs/issue-codes.md`), and a sentence for a person.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct Issue {
    /// JSON-path-like location of the offending value (`""` for the whole input).
    pub path: String,
    /// Stable snake_case identifier; safe to branch on.
    pub code: &'static str,
    /// What is wrong and what to do about it.
    pub message: String,
    /// Error or warning.
    pub severity: Severity,
}

impl Issue {
    /// An issue of severity [`Severity::Error`].
    pub fn error(path: impl Into<String>, code: &'static str, message: impl Into<String>) -> Self {
        Issue {
            path: path.into(),
            code,
            message: message.into(),
            severity: Severity::Error,
        }
    }

    /// An issue of severity [`Severity::Warning`].
    pub fn warning(
        path: impl Into<String>,
        code: &'static str,
        message: impl Into<String>,
    ) -> Self {
        Issue {
            path: path.into(),
            code,
            message: message.into(),
            severity: Severity::Warning,
        }
    }

    /// True for [`Severity::Error`].
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

/// The result every validator returns: every issue found, not just the first.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct Validation {
    /// `true` when no issue has severity `error` (warnings do not make input invalid).
    pub valid: bool,
    /// All issues, errors and warnings, in the order found.
    pub issues: Vec<Issue>,
}

impl Validation {
    /// Builds the result from a list of issues.
    pub fn from_issues(issues: Vec<Issue>) -> Self {
        Validation {
            valid: !issues.iter().any(Issue::is_error),
            issues,
        }
    }

    /// `Ok(warnings)` when valid, otherwise [`Error::Validation`] carrying every issue.
    pub fn into_result(self) -> Result<Vec<Issue>, Error> {
        if self.valid {
            Ok(self.issues)
        } else {
            Err(Error::Validation {
                issues: self.issues,
            })
        }
    }
}

/// Broad category of an error; the same names as the JS `WhatsAppError.kind`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[non_exhaustive]
pub enum ErrorKind {
    /// The input was rejected locally (or Meta rejected a parameter).
    Validation,
    /// The access token is missing, expired or invalid.
    Auth,
    /// The token lacks a scope or the business lacks access to the asset.
    Permission,
    /// The object (phone number, WABA, media, message) does not exist or is not visible.
    NotFound,
    /// A throughput, pair-rate, spam or API rate limit was hit.
    RateLimit,
    /// Free-form message outside the 24-hour customer-service window.
    WindowClosed,
    /// The template is missing, unapproved, paused, disabled or its parameters do not match.
    Template,
    /// Media could not be uploaded, downloaded or has the wrong type/size.
    Media,
    /// The request did not complete (network, timeout, aborted).
    Transport,
    /// Any other error reported by the Graph API (or an answer we could not understand).
    Graph,
    /// The caller's own code threw: a callback (token provider, store, connections, a file's
    /// `arrayBuffer()`) or its promise rejected. The thrown value is the JS error's `cause`.
    Callback,
}

impl ErrorKind {
    /// The snake_case name used in JS (`"rate_limit"`, ...).
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorKind::Validation => "validation",
            ErrorKind::Auth => "auth",
            ErrorKind::Permission => "permission",
            ErrorKind::NotFound => "not_found",
            ErrorKind::RateLimit => "rate_limit",
            ErrorKind::WindowClosed => "window_closed",
            ErrorKind::Template => "template",
            ErrorKind::Media => "media",
            ErrorKind::Transport => "transport",
            ErrorKind::Graph => "graph",
            ErrorKind::Callback => "callback",
        }
    }
}

impl fmt::Display for ErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The error object of a Graph API error response (`{"error": {...}}`), every field but `code`
/// optional as Meta documents.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct GraphError {
    /// HTTP status of the response (Meta advises not to branch on it; kept for diagnostics).
    pub http_status: u16,
    /// `error.code`, the field to branch on.
    pub code: i64,
    /// `error.error_subcode` (documented as deprecated, still sent).
    pub subcode: Option<i64>,
    /// `error.type`, e.g. `OAuthException`.
    pub error_type: Option<String>,
    /// `error.message`.
    pub message: String,
    /// `error.error_data.details`.
    pub details: Option<String>,
    /// `error.error_user_title`.
    pub user_title: Option<String>,
    /// `error.error_user_msg`.
    pub user_message: Option<String>,
    /// `error.fbtrace_id`, quote it to Meta support.
    pub fbtrace_id: Option<String>,
    /// `error.is_transient` when Meta sent it.
    pub is_transient: Option<bool>,
}

/// A value thrown by the caller's code, held opaquely: the core never looks into it (no JS types
/// here); the JS layer stores the thrown `JsValue` and reads it back when it builds the error.
#[derive(Clone)]
pub struct Cause(pub std::rc::Rc<dyn std::any::Any>);

impl fmt::Debug for Cause {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Cause(..)")
    }
}

impl PartialEq for Cause {
    fn eq(&self, other: &Self) -> bool {
        std::rc::Rc::ptr_eq(&self.0, &other.0)
    }
}

/// Every failure of this crate.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// Input rejected locally, before anything was sent.
    #[error("{}", validation_summary(issues))]
    Validation {
        /// Every issue found.
        issues: Vec<Issue>,
    },
    /// The Graph API answered with an error envelope.
    #[error("{}", graph_summary(.0))]
    Graph(Box<GraphError>),
    /// The request did not complete.
    #[error("{message}")]
    Transport {
        /// What happened (never contains a token).
        message: String,
        /// `true` when the request may have reached Meta (timeout or connection lost after
        /// sending): a send in this state is never replayed automatically.
        ambiguous: bool,
    },
    /// The Graph API answered something we could not understand.
    #[error("unexpected response from the Graph API (HTTP {status}) at `{path}`: {message}")]
    Parse {
        /// HTTP status of the response.
        status: u16,
        /// JSON path of the value that did not fit (`""` when the body was not JSON at all).
        path: String,
        /// What did not fit.
        message: String,
        /// The start of the raw body, for diagnostics (at most 512 characters).
        body: String,
    },
    /// Something the caller's code threw (a callback, a getter, a proxy trap): `cause` carries the
    /// thrown value, opaquely, to the JS layer, which hands it back as the error's `cause`.
    #[error("{message}")]
    Thrown {
        /// [`ErrorKind::Callback`] for a callback, [`ErrorKind::Validation`] for an argument
        /// that could not be read.
        kind: ErrorKind,
        /// Stable snake_case code, e.g. `callback_failed`, `unreadable_input`.
        code: &'static str,
        /// The argument that could not be read, or the callback that threw
        /// (`statusStore.get()`).
        path: String,
        /// What happened (the thrown error's message, shortened).
        message: String,
        /// The thrown value.
        cause: Cause,
    },
    /// A request refused locally for a reason other than malformed input (closed customer-service
    /// window known from the window store, missing token scope, ...).
    #[error("{message}")]
    Refused {
        /// The kind the refusal belongs to.
        kind: ErrorKind,
        /// Stable snake_case code, e.g. `window_closed`, `missing_scope`.
        code: &'static str,
        /// What happened.
        message: String,
    },
}

fn validation_summary(issues: &[Issue]) -> String {
    let errors: Vec<&Issue> = issues.iter().filter(|i| i.is_error()).collect();
    match errors.as_slice() {
        [] => "invalid input".to_owned(),
        [one] => format_issue(one),
        [first, rest @ ..] => format!("{} (and {} more issue(s))", format_issue(first), rest.len()),
    }
}

fn format_issue(issue: &Issue) -> String {
    if issue.path.is_empty() {
        issue.message.clone()
    } else {
        format!("{}: {}", issue.path, issue.message)
    }
}

fn graph_summary(e: &GraphError) -> String {
    let mut s = format!("Graph API error {}", e.code);
    if let Some(sub) = e.subcode {
        s.push_str(&format!("/{sub}"));
    }
    s.push_str(": ");
    s.push_str(&e.message);
    if let Some(d) = &e.details {
        // A byte-window search: `str::contains(&str)` would link the two-way string searcher.
        let repeated = d.is_empty()
            || e.message
                .as_bytes()
                .windows(d.len())
                .any(|w| w == d.as_bytes());
        if !repeated {
            s.push_str(" — ");
            s.push_str(d);
        }
    }
    s
}

/// What the code table says about one Graph error code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CodeInfo {
    /// The kind the code belongs to.
    pub kind: ErrorKind,
    /// Whether the request can be retried automatically (with backoff).
    pub retryable: bool,
}

/// Classifies a Graph error code (and subcode, HTTP status) per `platform-rules.md` §4.2.
///
/// Retryable: 1, 2, 4, 80007, 130429, 131016, 131056, 131057, 133004 and any unknown code on an
/// HTTP 5xx. Never retried: 131047, 131026, 131050, 131049, 132xxx, 368, 190.
pub fn classify(code: i64, subcode: Option<i64>, http_status: u16) -> CodeInfo {
    use ErrorKind::*;
    let (kind, retryable) = match code {
        0 | 190 => (Auth, false),
        1 | 2 => (Graph, true),
        3 | 10 | 200..=299 | 368 => (Permission, false),
        4 | 80007 | 130429 | 131056 => (RateLimit, true),
        131048 | 133008 | 133016 => (RateLimit, false),
        33 => (NotFound, false),
        100 => match subcode {
            Some(33) => (NotFound, false),
            Some(s) if (2_388_000..2_389_000).contains(&s) => (Template, false),
            _ => (Validation, false),
        },
        130497 | 131005 | 131030 | 131031 => (Permission, false),
        131008 | 131009 | 135000 => (Validation, false),
        131016 | 131057 | 133004 => (Graph, true),
        131047 => (WindowClosed, false),
        131051..=131053 => (Media, false),
        131064 | 132000..=132999 => (Template, false),
        // Documented as not retryable (fix the request or wait for the user).
        130403
        | 130472
        | 131021
        | 131026
        | 131037
        | 131042
        | 131045
        | 131049
        | 131050
        | 131055
        | 131063
        | 133000..=133003
        | 133005..=133015
        | 134011
        | 136024
        | 137000 => (Graph, false),
        _ => (Graph, http_status >= 500),
    };
    CodeInfo { kind, retryable }
}

/// The advice for a Graph error code: the seed's troubleshooting guide, corrected by the platform
/// rules where they disagree (tokens have no 30-minute/90-day refresh cycle; status comes from
/// webhooks).
pub fn graph_hint(code: i64, subcode: Option<i64>) -> &'static str {
    match (code, subcode) {
        (190, Some(463)) => "The access token has expired. Refresh it (exchange for a long-lived token or use a system-user token) or re-authorize the app connection in Settings → App Connections.",
        (190, _) | (0, _) => "The access token is invalid or expired. Re-authorize the app connection (Settings → App Connections → Re-authorize) and check it has the whatsapp_business_management and whatsapp_business_messaging scopes.",
        (3 | 10 | 200..=299, _) => "Insufficient permissions: check the token has the whatsapp_business_management and whatsapp_business_messaging scopes, that your Business Manager role is Admin or Editor, and that the token was granted this WhatsApp Business Account; then re-authorize the connection.",
        (100, Some(33)) | (33, _) => "Object not found: check you used the phone number ID (not the phone number itself), that it belongs to the selected WhatsApp Business Account, and that the token has access to that account; reload the phone numbers list.",
        (100, Some(2_388_019)) => "The account has reached its template limit (250 unverified, 6,000 verified). Delete unused templates or complete business verification.",
        (100, Some(2_388_299)) => "A template variable sits at the very start or end of the body. Add text before the first and after the last variable.",
        (100, Some(2_388_293)) => "Too many variables for the length of the text. Add more words between variables or use fewer variables.",
        (100, Some(s)) if (2_388_000..2_389_000).contains(&s) => "Meta rejected the template definition. Run validateTemplate on it to see every problem, fix them and submit again.",
        (4 | 80007, _) => "Rate limit reached for the app or WhatsApp Business Account. Slow down and retry with exponential backoff; spread bulk jobs over time.",
        (130429, _) => "Throughput limit for this phone number reached (80 messages/second by default). Retry with backoff and pace bulk sends.",
        (131056, _) => "Too many messages to the same recipient in a short time (about 1 per 6 seconds). Wait before messaging this user again.",
        (131048, _) => "Spam rate limit: too many of your messages were blocked or reported. Reduce volume, message only engaged, opted-in customers and check the quality rating.",
        (131047, _) => "More than 24 hours have passed since the customer last wrote, so free-form messages are not allowed. Use send_template with an approved template instead; the window reopens when the customer messages you.",
        (131026, _) => "Message undeliverable: the recipient may not be on WhatsApp, may use an old app version or may not have accepted the terms. Check the number (country code, no leading zeros) before retrying later.",
        (131030, _) => "The recipient is not in the allowed list of this test number. Add it in the app dashboard or use a production number.",
        (131050, _) => "The recipient has stopped marketing messages from your business. Do not retry; respect the opt-out.",
        (131049, _) => "Meta held back this marketing message to protect the user experience. Do not retry within 24 hours.",
        (131051, _) => "Unsupported message type.",
        (131052 | 131053, _) => "Media could not be processed: make sure the URL is public HTTPS, the MIME type matches the file and the size is within the limits (images 5 MB, video/audio 16 MB, documents 100 MB), or upload it first and send the media_id.",
        (132000, _) => "Template parameter mismatch: the number of parameters must equal the placeholders ({{1}}, {{2}}, ...) of the approved template, in order. Check the template with get_templates.",
        (132001, _) => "Template not found in that language: check the exact name (lowercase, underscores), that it is APPROVED (get_templates) and that template_language matches an approved translation. New templates can take 24-48 hours to be reviewed.",
        (132005, _) => "The text is too long once the parameters are filled in. Shorten the parameter values.",
        (132007, _) => "The template content violates a WhatsApp policy or format rule.",
        (132012, _) => "Template parameter format mismatch: the parameter types (text, currency, date_time, media) must match the approved template.",
        (132015, _) => "The template is paused because of low quality. Wait for the pause to end or use another template.",
        (132016, _) => "The template is disabled because of low quality. Create a new template with different content.",
        (131064, _) => "Template classification violations on this account. Review the category of your templates.",
        (368, _) => "The account is temporarily blocked for policy violations. Check WhatsApp Manager for details.",
        (131057, _) => "The account is in maintenance mode (for example during a throughput upgrade). Retry in a minute.",
        (1 | 2 | 131016 | 133004, _) => "Temporary problem at Meta. Retry with exponential backoff.",
        (131000, _) => "Something went wrong at Meta. Retry once; if it persists, contact Meta support with the fbtrace_id.",
        _ => "See Meta's error code reference for this code and contact Meta support with the fbtrace_id if it persists.",
    }
}

impl Error {
    /// The broad category, the same string as JS `WhatsAppError.kind`.
    pub fn kind(&self) -> ErrorKind {
        match self {
            Error::Validation { .. } => ErrorKind::Validation,
            Error::Graph(g) => classify(g.code, g.subcode, g.http_status).kind,
            Error::Transport { .. } => ErrorKind::Transport,
            Error::Parse { .. } => ErrorKind::Graph,
            Error::Refused { kind, .. } | Error::Thrown { kind, .. } => *kind,
        }
    }

    /// Whether retrying the same request later can succeed without changing it.
    ///
    /// An ambiguous transport failure is not retryable: the message may already have been sent.
    pub fn retryable(&self) -> bool {
        match self {
            Error::Graph(g) => classify(g.code, g.subcode, g.http_status).retryable,
            Error::Transport { ambiguous, .. } => !ambiguous,
            Error::Parse { status, .. } => *status >= 500,
            Error::Validation { .. } | Error::Refused { .. } | Error::Thrown { .. } => false,
        }
    }

    /// What to do next, in words a person can act on.
    pub fn hint(&self) -> String {
        match self {
            Error::Validation { .. } => "Fix the listed issues (each names the field in `path`) and try again; nothing was sent.".to_owned(),
            Error::Graph(g) => graph_hint(g.code, g.subcode).to_owned(),
            Error::Transport { ambiguous: true, .. } => "The connection failed after the request was sent, so Meta may have acted on it. It was not retried automatically, to avoid doing it twice: for a send, check the status webhooks for this recipient before sending again; for a code exchange, the code may be spent (start the login again).".to_owned(),
            Error::Transport { .. } => "The Graph API could not be reached. Check the network and base URL, then retry.".to_owned(),
            Error::Parse { .. } => "The Graph API answered something unexpected. Check the base URL and API version; if it persists, report it with the response body.".to_owned(),
            Error::Refused { code: "window_closed", .. } => graph_hint(131047, None).to_owned(),
            Error::Refused { code: "missing_scope", .. } => "Re-authorize the app connection with both whatsapp_business_management and whatsapp_business_messaging scopes.".to_owned(),
            Error::Refused { code: "token_invalid" | "token_expired" | "token_provider_failed", .. } => graph_hint(190, None).to_owned(),
            Error::Refused { code: "status_from_webhooks", .. } => "Meta does not return a message's status on request: delivery, read and failure arrive as `statuses` in the messages webhook. Store them by wamid (for example with parseWebhook) and pass a statusStore to the client or runTask; the status object then comes from there.".to_owned(),
            Error::Refused { code: "template_not_found", .. } => graph_hint(132001, None).to_owned(),
            Error::Refused { code: "no_connection", .. } => "No app connection selected: create a WhatsApp Business connection in Settings → Integrations → App Connections, complete the authorization and select it in the task.".to_owned(),
            Error::Refused { .. } => "See the error message.".to_owned(),
            Error::Thrown { kind: ErrorKind::Callback, .. } => "Your callback threw or its promise rejected (see `cause`); nothing was sent for this call. Fix the callback, then retry.".to_owned(),
            Error::Thrown { .. } => "Reading this argument threw (a getter, a proxy trap or toJSON; see `cause`): pass plain data.".to_owned(),
        }
    }

    /// A stable code: the Graph code as a string for Graph errors, otherwise a snake_case name
    /// (the first error issue's code for validation errors).
    pub fn code(&self) -> String {
        match self {
            Error::Validation { issues } => issues
                .iter()
                .find(|i| i.is_error())
                .map_or("invalid_input", |i| i.code)
                .to_owned(),
            Error::Graph(g) => g.code.to_string(),
            Error::Transport {
                ambiguous: true, ..
            } => "ambiguous_send".to_owned(),
            Error::Transport { .. } => "network".to_owned(),
            Error::Parse { .. } => "unexpected_response".to_owned(),
            Error::Refused { code, .. } | Error::Thrown { code, .. } => (*code).to_owned(),
        }
    }

    /// Shorthand for a validation error with one issue.
    pub fn invalid(
        path: impl Into<String>,
        code: &'static str,
        message: impl Into<String>,
    ) -> Self {
        Error::Validation {
            issues: vec![Issue::error(path, code, message)],
        }
    }
}

impl ToJson for Severity {
    fn write_json(&self, out: &mut String) {
        out.push_str(match self {
            Severity::Error => "\"error\"",
            Severity::Warning => "\"warning\"",
        });
    }
}

impl ToJson for Issue {
    fn write_json(&self, out: &mut String) {
        Obj::new(out)
            .field("path", &self.path)
            .field("code", &self.code)
            .field("message", &self.message)
            .field("severity", &self.severity)
            .end();
    }
}

impl ToJson for Validation {
    fn write_json(&self, out: &mut String) {
        Obj::new(out)
            .field("valid", &self.valid)
            .field("issues", &self.issues)
            .end();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn code_table_matches_platform_rules() {
        use ErrorKind::*;
        // (code, subcode, http, kind, retryable) — platform-rules.md §4.2 and the retry policy.
        let table: &[(i64, Option<i64>, u16, ErrorKind, bool)] = &[
            (0, None, 401, Auth, false),
            (1, None, 400, Graph, true),
            (2, None, 503, Graph, true),
            (3, None, 500, Permission, false),
            (4, None, 429, RateLimit, true),
            (10, None, 403, Permission, false),
            (33, None, 400, NotFound, false),
            (100, None, 400, Validation, false),
            (100, Some(33), 400, NotFound, false),
            (100, Some(2_388_299), 400, Template, false),
            (100, Some(2_388_019), 400, Template, false),
            (190, Some(463), 401, Auth, false),
            (190, Some(467), 401, Auth, false),
            (200, None, 403, Permission, false),
            (299, None, 403, Permission, false),
            (368, None, 403, Permission, false),
            (80007, None, 429, RateLimit, true),
            (130429, None, 429, RateLimit, true),
            (131000, None, 500, Graph, true),
            (131005, None, 403, Permission, false),
            (131008, None, 400, Validation, false),
            (131009, None, 400, Validation, false),
            (131016, None, 503, Graph, true),
            (131026, None, 400, Graph, false),
            (131030, None, 400, Permission, false),
            (131047, None, 400, WindowClosed, false),
            (131048, None, 429, RateLimit, false),
            (131049, None, 400, Graph, false),
            (131050, None, 400, Graph, false),
            (131052, None, 400, Media, false),
            (131053, None, 400, Media, false),
            (131056, None, 400, RateLimit, true),
            (131057, None, 503, Graph, true),
            (131064, None, 400, Template, false),
            (132000, None, 400, Template, false),
            (132001, None, 404, Template, false),
            (132012, None, 400, Template, false),
            (132015, None, 400, Template, false),
            (132016, None, 400, Template, false),
            (133004, None, 503, Graph, true),
            (133010, None, 400, Graph, false),
            (999_999, None, 502, Graph, true),
            (999_999, None, 400, Graph, false),
        ];
        for &(code, sub, http, kind, retry) in table {
            let got = classify(code, sub, http);
            assert_eq!(got.kind, kind, "kind of {code}/{sub:?}");
            // 131000 is "retry once" in Meta's table: it is retryable on a 5xx only.
            assert_eq!(
                got.retryable, retry,
                "retryable of {code}/{sub:?} (HTTP {http})"
            );
        }
    }

    #[test]
    fn never_retried_codes_are_never_retryable_whatever_the_status() {
        for code in [
            131047, 131026, 131050, 131049, 132000, 132001, 132015, 368, 190,
        ] {
            for http in [400, 401, 403, 404, 429, 500, 503] {
                assert!(!classify(code, None, http).retryable, "{code} at {http}");
            }
        }
    }

    #[test]
    fn error_accessors() {
        let e = Error::Graph(Box::new(GraphError {
            http_status: 400,
            code: 131047,
            message: "Re-engagement message".into(),
            ..GraphError::default()
        }));
        assert_eq!(e.kind(), ErrorKind::WindowClosed);
        assert!(!e.retryable());
        assert!(e.hint().contains("send_template"));
        assert_eq!(e.code(), "131047");
        assert_eq!(
            e.to_string(),
            "Graph API error 131047: Re-engagement message"
        );

        let v = Error::Validation {
            issues: vec![
                Issue::warning("a", "w", "just a warning"),
                Issue::error("name", "name_invalid_chars", "bad"),
                Issue::error("x", "other", "bad too"),
            ],
        };
        assert_eq!(v.kind(), ErrorKind::Validation);
        assert_eq!(v.code(), "name_invalid_chars");
        assert_eq!(v.to_string(), "name: bad (and 1 more issue(s))");

        let t = Error::Transport {
            message: "timed out".into(),
            ambiguous: true,
        };
        assert!(!t.retryable());
        assert_eq!(t.code(), "ambiguous_send");
    }

    #[test]
    fn validation_result() {
        let ok = Validation::from_issues(vec![Issue::warning("p", "w", "m")]);
        assert!(ok.valid);
        assert_eq!(ok.into_result().map(|w| w.len()), Ok(1));
        let bad = Validation::from_issues(vec![Issue::error("p", "e", "m")]);
        assert!(!bad.valid);
        assert!(bad.into_result().is_err());
    }
}
