//! Facebook Login for the WhatsApp scopes: the dialog URL, the code and long-lived token
//! exchanges, and `debug_token` (validity, expiry, scopes and the WABA ids a token was granted).
//!
//! Sources: `platform-rules.md` §7.1–7.3. There is no OAuth refresh token at Meta: a short-lived
//! user token is exchanged for a ~60-day one (`fb_exchange_token`), system-user tokens never
//! expire or last 60 days.

use crate::domain::error::{Error, ErrorKind, Issue, Validation};
use crate::domain::graph::{parse_doc, parse_failure, ApiVersion};
use crate::domain::json::Json;
use crate::domain::json::{Obj, ToJson};
use crate::domain::request::{ApiRequest, ApiResponse};
use crate::domain::secret::{AccessToken, AppSecret};
use crate::domain::url::{endpoint, with_query};
use serde::{Deserialize, Serialize};

/// Scope to manage WABAs, templates and phone numbers.
pub const SCOPE_MANAGEMENT: &str = "whatsapp_business_management";
/// Scope to send messages and media.
pub const SCOPE_MESSAGING: &str = "whatsapp_business_messaging";
/// The scopes asked for when none are given.
pub const DEFAULT_SCOPES: [&str; 2] = [SCOPE_MANAGEMENT, SCOPE_MESSAGING];
/// Where the login dialog lives.
pub const DEFAULT_DIALOG_BASE_URL: &str = "https://www.facebook.com";

/// Options of [`build_authorization_url`] (JS: `AuthorizationUrlOptions`).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AuthorizationUrlOptions {
    /// The Meta app id.
    #[serde(default)]
    pub app_id: String,
    /// Where Meta sends the user back; must match the app settings exactly.
    #[serde(default)]
    pub redirect_uri: String,
    /// CSRF state; a random one is used when absent.
    pub state: Option<String>,
    /// Scopes (default: both WhatsApp scopes). Ignored by Meta when `config_id` is given.
    pub scopes: Option<Vec<String>>,
    /// Facebook Login for Business configuration id (replaces `scope`).
    pub config_id: Option<String>,
    /// Graph API version of the dialog (default: the client default).
    pub api_version: Option<String>,
    /// Dialog host (default `https://www.facebook.com`).
    pub dialog_base_url: Option<String>,
}

/// The dialog URL and the `state` to check when the user comes back.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AuthorizationUrl {
    /// Send the user here.
    pub url: String,
    /// Compare with the `state` query parameter of the redirect (CSRF protection).
    pub state: String,
}

/// Builds the login dialog URL. `random_state` is used when `opts.state` is absent (the caller
/// draws it from a CSPRNG; the core stays pure).
pub fn build_authorization_url(
    opts: &AuthorizationUrlOptions,
    random_state: &str,
) -> Result<AuthorizationUrl, Error> {
    let mut issues = Vec::new();
    if !crate::domain::url::is_graph_id(&opts.app_id) {
        issues.push(Issue::error(
            "appId",
            "app_id_invalid",
            "appId must be the numeric Meta app id (App Dashboard → Settings → Basic).",
        ));
    }
    let r = opts.redirect_uri.as_str();
    if !(r.starts_with("https://")
        || r.starts_with("http://localhost")
        || r.starts_with("http://127.0.0.1"))
    {
        issues.push(Issue::error(
            "redirectUri",
            "redirect_uri_invalid",
            "redirectUri must be an https URL (http only for localhost) registered in the app's Valid OAuth Redirect URIs.",
        ));
    }
    let state = opts
        .state
        .clone()
        .unwrap_or_else(|| random_state.to_owned());
    if state.len() < 8 {
        issues.push(Issue::error(
            "state",
            "state_too_short",
            "state must be at least 8 characters of unguessable data (omit it to get a random one).",
        ));
    }
    let version = match &opts.api_version {
        Some(v) => ApiVersion::parse(v)?,
        None => ApiVersion::default(),
    };
    Validation::from_issues(issues).into_result()?;
    let scopes = opts
        .scopes
        .clone()
        .unwrap_or_else(|| DEFAULT_SCOPES.iter().map(|s| (*s).to_owned()).collect())
        .join(",");
    let base = opts
        .dialog_base_url
        .as_deref()
        .unwrap_or(DEFAULT_DIALOG_BASE_URL);
    let url = with_query(
        &endpoint(base, &version, "dialog/oauth"),
        &[
            ("client_id", Some(&opts.app_id)),
            ("redirect_uri", Some(r)),
            ("state", Some(&state)),
            ("response_type", Some("code")),
            ("scope", opts.config_id.is_none().then_some(scopes.as_str())),
            ("config_id", opts.config_id.as_deref()),
        ],
    );
    Ok(AuthorizationUrl { url, state })
}

/// `GET /oauth/access_token` exchanging an authorization code (single use) for a token.
/// `redirect_uri` must be the one used in the dialog (absent for Login-for-Business codes).
pub fn build_exchange_code(
    base_url: &str,
    version: &ApiVersion,
    app_id: &str,
    app_secret: &AppSecret,
    redirect_uri: Option<&str>,
    code: &str,
) -> ApiRequest {
    ApiRequest::get(with_query(
        &endpoint(base_url, version, "oauth/access_token"),
        &[
            ("client_id", Some(app_id)),
            ("client_secret", Some(app_secret.secret())),
            ("redirect_uri", redirect_uri),
            ("code", Some(code)),
        ],
    ))
}

/// `GET /oauth/access_token?grant_type=fb_exchange_token` (short-lived → ~60-day token; also
/// renews a 60-day system-user token).
pub fn build_exchange_long_lived(
    base_url: &str,
    version: &ApiVersion,
    app_id: &str,
    app_secret: &AppSecret,
    token: &AccessToken,
) -> ApiRequest {
    ApiRequest::get(with_query(
        &endpoint(base_url, version, "oauth/access_token"),
        &[
            ("grant_type", Some("fb_exchange_token")),
            ("client_id", Some(app_id)),
            ("client_secret", Some(app_secret.secret())),
            ("fb_exchange_token", Some(token.secret())),
        ],
    ))
}

/// `GET /debug_token?input_token=…`. With app credentials the app token `{app_id}|{app_secret}`
/// authenticates the call; without them the caller adds a bearer token.
pub fn build_debug_token(
    base_url: &str,
    version: &ApiVersion,
    input_token: &AccessToken,
    app: Option<(&str, &AppSecret)>,
) -> ApiRequest {
    let app_token = app.map(|(id, secret)| format!("{id}|{}", secret.secret()));
    ApiRequest::get(with_query(
        &endpoint(base_url, version, "debug_token"),
        &[
            ("input_token", Some(input_token.secret())),
            ("access_token", app_token.as_deref()),
        ],
    ))
}

/// A token obtained from an exchange (JS: `TokenResponse`).
#[derive(Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TokenResponse {
    /// The new access token.
    pub access_token: String,
    /// `bearer`.
    pub token_type: String,
    /// Seconds until expiry, when Meta says (absent: does not expire).
    pub expires_in: Option<u64>,
    /// Unix time in milliseconds of the expiry (computed by the client from `expires_in`).
    pub expires_at_ms: Option<f64>,
}

impl std::fmt::Debug for TokenResponse {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TokenResponse")
            .field("access_token", &"[redacted]")
            .field("expires_in", &self.expires_in)
            .finish()
    }
}

/// Reads the answer of a code or long-lived exchange. The token never appears in a parse error.
pub fn parse_token_response(resp: &ApiResponse, now_ms: f64) -> Result<TokenResponse, Error> {
    let redacted = ApiResponse {
        body: String::new(),
        ..resp.clone()
    };
    let doc = parse_doc(resp).map_err(|e| match e {
        Error::Parse { .. } => parse_failure(&redacted, "", "the answer is not JSON"),
        other => other,
    })?;
    let v = doc.root();
    let Some(access_token) = v
        .get("access_token")
        .and_then(Json::as_str)
        .filter(|t| !t.is_empty())
    else {
        return Err(parse_failure(
            &redacted,
            "access_token",
            "no access_token in the answer",
        ));
    };
    let expires_in = v.get("expires_in").and_then(Json::as_u64);
    Ok(TokenResponse {
        access_token: access_token.to_owned(),
        token_type: v
            .get("token_type")
            .and_then(Json::as_str)
            .unwrap_or("bearer")
            .to_owned(),
        expires_in,
        expires_at_ms: expires_in.map(|s| now_ms + (s as f64) * 1000.0),
    })
}

/// One `granular_scopes` entry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct GranularScope {
    /// The scope name.
    pub scope: String,
    /// The assets (WABA ids, business ids) the scope was granted on; empty = all.
    pub target_ids: Vec<String>,
}

/// What `debug_token` says about a token (JS: `TokenInfo`).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TokenInfo {
    /// `is_valid`.
    pub valid: bool,
    /// The app the token belongs to.
    pub app_id: Option<String>,
    /// `USER`, `SYSTEM_USER`, `PAGE`, `APP`.
    #[serde(rename = "type")]
    pub token_type: Option<String>,
    /// App name.
    pub application: Option<String>,
    /// Unix time in milliseconds of expiry; `None` when the token never expires (Graph's
    /// `expires_at: 0`). Graph answers in seconds; every time the crate returns is in ms.
    pub expires_at_ms: Option<i64>,
    /// Unix time in milliseconds when data access ends.
    pub data_access_expires_at_ms: Option<i64>,
    /// Unix time in milliseconds of issue.
    pub issued_at_ms: Option<i64>,
    /// Granted scopes.
    pub scopes: Vec<String>,
    /// Scopes with their target assets.
    pub granular_scopes: Vec<GranularScope>,
    /// The WABA ids granted to the WhatsApp scopes (newest first after Embedded Signup), deduplicated.
    pub waba_ids: Vec<String>,
    /// User (or system user) id.
    pub user_id: Option<String>,
}

fn strings(v: Option<Json<'_>>) -> Vec<String> {
    v.and_then(Json::as_array)
        .map(|a| {
            a.iter()
                .filter_map(Json::as_str)
                .map(str::to_owned)
                .collect()
        })
        .unwrap_or_default()
}

/// Reads a `debug_token` answer.
pub fn parse_debug_token(resp: &ApiResponse) -> Result<TokenInfo, Error> {
    let doc = parse_doc(resp)?;
    let v = doc.root();
    let Some(d) = v.get("data").filter(|d| d.is_object()) else {
        return Err(parse_failure(
            resp,
            "data",
            "no data object in the debug_token answer",
        ));
    };
    let text = |k: &str| d.get(k).and_then(Json::as_str).map(str::to_owned);
    // Graph answers in unix seconds; the crate returns milliseconds.
    let ms = |k: &str| {
        d.get(k)
            .and_then(Json::as_i64)
            .map(|s| s.saturating_mul(1000))
    };
    let granular_scopes: Vec<GranularScope> = d
        .get("granular_scopes")
        .and_then(Json::as_array)
        .map(|a| {
            a.iter()
                .filter_map(|g| {
                    Some(GranularScope {
                        scope: g.get("scope")?.as_str()?.to_owned(),
                        target_ids: strings(g.get("target_ids")),
                    })
                })
                .collect()
        })
        .unwrap_or_default();
    let mut waba_ids: Vec<String> = Vec::new();
    for g in &granular_scopes {
        if g.scope == SCOPE_MANAGEMENT || g.scope == SCOPE_MESSAGING {
            for id in &g.target_ids {
                if !waba_ids.contains(id) {
                    waba_ids.push(id.clone());
                }
            }
        }
    }
    Ok(TokenInfo {
        valid: d.get("is_valid").and_then(Json::as_bool).unwrap_or(false),
        app_id: text("app_id"),
        token_type: text("type"),
        application: text("application"),
        expires_at_ms: ms("expires_at").filter(|t| *t != 0),
        data_access_expires_at_ms: ms("data_access_expires_at"),
        issued_at_ms: ms("issued_at"),
        scopes: strings(d.get("scopes")),
        granular_scopes,
        waba_ids,
        user_id: text("user_id"),
    })
}

impl TokenInfo {
    /// `Ok` when every scope in `required` was granted; otherwise a `permission` error naming the
    /// missing scope(s). An invalid token is an `auth` error.
    pub fn require_scopes(&self, required: &[&str]) -> Result<(), Error> {
        if !self.valid {
            return Err(Error::Refused {
                kind: ErrorKind::Auth,
                code: "token_invalid",
                message:
                    "The access token is invalid or expired (debug_token says is_valid: false)."
                        .to_owned(),
            });
        }
        let missing: Vec<&str> = required
            .iter()
            .copied()
            .filter(|r| !self.scopes.iter().any(|s| s == r))
            .collect();
        if missing.is_empty() {
            return Ok(());
        }
        Err(Error::Refused {
            kind: ErrorKind::Permission,
            code: "missing_scope",
            message: format!(
                "The access token lacks the {} scope{}.",
                crate::domain::input::join_strs(&missing, " and "),
                if missing.len() > 1 { "s" } else { "" }
            ),
        })
    }
}

impl ToJson for AuthorizationUrl {
    fn write_json(&self, out: &mut String) {
        Obj::new(out)
            .field("url", &self.url)
            .field("state", &self.state)
            .end();
    }
}

impl ToJson for TokenResponse {
    fn write_json(&self, out: &mut String) {
        Obj::new(out)
            .field("accessToken", &self.access_token)
            .field("tokenType", &self.token_type)
            .field("expiresIn", &self.expires_in)
            .field("expiresAtMs", &self.expires_at_ms)
            .end();
    }
}

impl ToJson for GranularScope {
    fn write_json(&self, out: &mut String) {
        Obj::new(out)
            .field("scope", &self.scope)
            .field("targetIds", &self.target_ids)
            .end();
    }
}

impl ToJson for TokenInfo {
    fn write_json(&self, out: &mut String) {
        Obj::new(out)
            .field("valid", &self.valid)
            .field("appId", &self.app_id)
            .field("type", &self.token_type)
            .field("application", &self.application)
            .field("expiresAtMs", &self.expires_at_ms)
            .field("dataAccessExpiresAtMs", &self.data_access_expires_at_ms)
            .field("issuedAtMs", &self.issued_at_ms)
            .field("scopes", &self.scopes)
            .field("granularScopes", &self.granular_scopes)
            .field("wabaIds", &self.waba_ids)
            .field("userId", &self.user_id)
            .end();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dialog_url_with_defaults_and_validation() {
        let opts = AuthorizationUrlOptions {
            app_id: "900000000000001".into(),
            redirect_uri: "https://crm.example/oauth/cb".into(),
            ..Default::default()
        };
        let u = build_authorization_url(&opts, "r4nd0m-state-123").unwrap();
        assert_eq!(u.state, "r4nd0m-state-123");
        assert_eq!(u.url, "https://www.facebook.com/v25.0/dialog/oauth?client_id=900000000000001&redirect_uri=https%3A%2F%2Fcrm.example%2Foauth%2Fcb&state=r4nd0m-state-123&response_type=code&scope=whatsapp_business_management%2Cwhatsapp_business_messaging");
        let cfg = AuthorizationUrlOptions {
            config_id: Some("777".into()),
            state: Some("given-state-xyz".into()),
            ..opts.clone()
        };
        let u = build_authorization_url(&cfg, "unused").unwrap();
        assert!(u.url.ends_with("&config_id=777") && !u.url.contains("scope="));
        assert_eq!(u.state, "given-state-xyz");
        let bad = AuthorizationUrlOptions {
            app_id: "my app".into(),
            redirect_uri: "http://evil.example".into(),
            state: Some("x".into()),
            ..Default::default()
        };
        let Err(Error::Validation { issues }) = build_authorization_url(&bad, "") else {
            panic!()
        };
        let codes: Vec<_> = issues.iter().map(|i| i.code).collect();
        assert_eq!(
            codes,
            ["app_id_invalid", "redirect_uri_invalid", "state_too_short"]
        );
    }

    #[test]
    fn exchanges_and_debug_token_requests() {
        let v = ApiVersion::default();
        let s = AppSecret::new("test-app-secret");
        let r = build_exchange_code("http://e", &v, "9", &s, Some("https://a/cb"), "c 1");
        assert_eq!(r.url, "http://e/v25.0/oauth/access_token?client_id=9&client_secret=test-app-secret&redirect_uri=https%3A%2F%2Fa%2Fcb&code=c%201");
        let r = build_exchange_long_lived("http://e", &v, "9", &s, &AccessToken::new("short"));
        assert!(
            r.url.contains("grant_type=fb_exchange_token")
                && r.url.ends_with("fb_exchange_token=short")
        );
        let r = build_debug_token("http://e", &v, &AccessToken::new("t"), Some(("9", &s)));
        assert_eq!(
            r.url,
            "http://e/v25.0/debug_token?input_token=t&access_token=9%7Ctest-app-secret"
        );
    }

    #[test]
    fn token_response_and_its_errors_never_show_the_token() {
        let t = parse_token_response(
            &ApiResponse::of(
                200,
                r#"{"access_token":"EAAsecret","token_type":"bearer","expires_in":5184000}"#,
            ),
            1000.0,
        )
        .unwrap();
        assert_eq!(t.expires_at_ms, Some(1000.0 + 5_184_000_000.0));
        assert!(!format!("{t:?}").contains("EAAsecret"));
        let e = parse_token_response(&ApiResponse::of(200, r#"{"token":"EAAsecret"}"#), 0.0)
            .unwrap_err();
        assert!(!format!("{e:?}").contains("EAAsecret"));
        let e = parse_token_response(
            &ApiResponse::of(
                400,
                r#"{"error":{"code":100,"error_subcode":36007,"message":"code used"}}"#,
            ),
            0.0,
        )
        .unwrap_err();
        assert_eq!(e.code(), "100");
    }

    #[test]
    fn debug_token_scopes_and_wabas() {
        let info = parse_debug_token(&ApiResponse::of(200, r#"{"data":{"app_id":"9","type":"SYSTEM_USER","is_valid":true,"expires_at":0,"scopes":["whatsapp_business_management"],"granular_scopes":[{"scope":"whatsapp_business_management","target_ids":["2","1"]},{"scope":"business_management"}]}}"#)).unwrap();
        assert_eq!(info.expires_at_ms, None);
        assert_eq!(info.waba_ids, ["2", "1"]);
        assert!(info.require_scopes(&[SCOPE_MANAGEMENT]).is_ok());
        let e = info.require_scopes(&DEFAULT_SCOPES).unwrap_err();
        assert_eq!(
            (e.kind(), e.code().as_str()),
            (ErrorKind::Permission, "missing_scope")
        );
        assert!(e.to_string().contains("whatsapp_business_messaging"));
    }

    proptest::proptest! {
        #[test]
        fn parsers_never_panic(status in 0u16..600, body in ".{0,200}") {
            let _ = parse_debug_token(&ApiResponse::of(status, &body));
            let _ = parse_token_response(&ApiResponse::of(status, &body), 0.0);
        }
    }
}
