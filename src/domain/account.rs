//! Account discovery: businesses → owned and client WhatsApp Business Accounts → phone numbers
//! with quality rating, messaging limit, throughput and verified name (each list read a page at a
//! time by `domain::page`).
//!
//! Sources: `platform-rules.md` §5 (phone-number fields), §7.5 (discovery endpoints).

use crate::domain::error::Error;
use crate::domain::graph::{parse_failure, ApiVersion};
use crate::domain::json::Json;
use crate::domain::json::{Obj, ToJson};
use crate::domain::page::{parse_page, Page};
use crate::domain::request::{ApiRequest, ApiResponse};
use crate::domain::url::{endpoint, is_graph_id, with_query};
use serde::Serialize;

/// Fields asked for on businesses.
pub const BUSINESS_FIELDS: &str = "id,name,verification_status";
/// Fields asked for on WABAs.
pub const WABA_FIELDS: &str =
    "id,name,currency,timezone_id,message_template_namespace,account_review_status,business_verification_status,ownership_type";
/// Fields asked for on phone numbers.
pub const PHONE_FIELDS: &str = "id,display_phone_number,verified_name,quality_rating,code_verification_status,name_status,status,platform_type,throughput,messaging_limit_tier,whatsapp_business_manager_messaging_limit,account_mode";

/// How a WABA relates to the business.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
#[non_exhaustive]
pub enum Relation {
    /// `owned_whatsapp_business_accounts`
    Owned,
    /// `client_whatsapp_business_accounts` (shared with a partner).
    Client,
}

fn text(v: Json<'_>, key: &str) -> Option<String> {
    match v.get(key)? {
        Json::String(s) => Some(s.to_owned()),
        // Integers only: ids are digits (formatting floats would pull in float printing).
        Json::Number(n) => n.as_u64().map(|n| n.to_string()),
        _ => None,
    }
}

fn id_of(v: Json<'_>, i: usize, resp: &ApiResponse, what: &str) -> Result<String, Error> {
    text(v, "id").ok_or_else(|| {
        parse_failure(
            resp,
            &format!("data[{i}].id"),
            &format!("a listed {what} has no id"),
        )
    })
}

fn id_arg(id: &str, path: &str) -> Result<(), Error> {
    if is_graph_id(id) {
        Ok(())
    } else {
        Err(Error::invalid(
            path,
            "id_invalid",
            format!("{path} must be a numeric Graph id (the ID, not a phone number or name)."),
        ))
    }
}

/// `GET /me/businesses`.
pub fn build_list_businesses(base_url: &str, version: &ApiVersion) -> ApiRequest {
    ApiRequest::get(with_query(
        &endpoint(base_url, version, "me/businesses"),
        &[("fields", Some(BUSINESS_FIELDS))],
    ))
}

/// `GET /{business_id}/owned_whatsapp_business_accounts` or `client_whatsapp_business_accounts`.
pub fn build_list_wabas(
    base_url: &str,
    version: &ApiVersion,
    business_id: &str,
    relation: Relation,
) -> Result<ApiRequest, Error> {
    id_arg(business_id, "businessId")?;
    let edge = match relation {
        Relation::Owned => "owned_whatsapp_business_accounts",
        Relation::Client => "client_whatsapp_business_accounts",
    };
    Ok(ApiRequest::get(with_query(
        &endpoint(base_url, version, &format!("{business_id}/{edge}")),
        &[("fields", Some(WABA_FIELDS))],
    )))
}

/// `GET /{waba_id}/phone_numbers`.
pub fn build_list_phone_numbers(
    base_url: &str,
    version: &ApiVersion,
    waba_id: &str,
) -> Result<ApiRequest, Error> {
    id_arg(waba_id, "businessAccountId")?;
    Ok(ApiRequest::get(with_query(
        &endpoint(base_url, version, &format!("{waba_id}/phone_numbers")),
        &[("fields", Some(PHONE_FIELDS))],
    )))
}

/// A business portfolio (JS: `Business`).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Business {
    /// Business id.
    pub id: String,
    /// Name.
    pub name: Option<String>,
    /// `verified`, `unverified`, ...
    pub verification_status: Option<String>,
}

/// Reads one page of `/me/businesses`.
pub fn parse_business_page(resp: &ApiResponse) -> Result<Page<Business>, Error> {
    parse_page(resp, |v, i| {
        Ok(Business {
            id: id_of(v, i, resp, "business")?,
            name: text(v, "name"),
            verification_status: text(v, "verification_status"),
        })
    })
}

/// A WhatsApp Business Account as Graph lists it (before its phone numbers are read).
#[derive(Debug, Clone, PartialEq)]
pub struct RawWaba(BusinessAccount);

impl RawWaba {
    /// The WABA id.
    pub fn id(&self) -> String {
        self.0.id.clone()
    }
}

/// Reads one page of `owned_`/`client_whatsapp_business_accounts`.
pub fn parse_waba_page(resp: &ApiResponse) -> Result<Page<RawWaba>, Error> {
    parse_page(resp, |v, i| {
        Ok(RawWaba(BusinessAccount {
            id: id_of(v, i, resp, "WhatsApp Business Account")?,
            name: text(v, "name"),
            relation: Relation::Owned,
            business_id: String::new(),
            currency: text(v, "currency"),
            timezone_id: text(v, "timezone_id"),
            message_template_namespace: text(v, "message_template_namespace"),
            account_review_status: text(v, "account_review_status"),
            business_verification_status: text(v, "business_verification_status"),
            ownership_type: text(v, "ownership_type"),
            phone_numbers: Vec::new(),
        }))
    })
}

/// A WhatsApp Business Account with its phone numbers (JS: `BusinessAccount`).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct BusinessAccount {
    /// WABA id (`business_account_id` in the task).
    pub id: String,
    /// Name.
    pub name: Option<String>,
    /// Owned by the business or shared with it as a client.
    pub relation: Relation,
    /// The business it was found under.
    pub business_id: String,
    /// Currency.
    pub currency: Option<String>,
    /// Time zone id.
    pub timezone_id: Option<String>,
    /// Template namespace.
    pub message_template_namespace: Option<String>,
    /// `PENDING` / `APPROVED` / `REJECTED`.
    pub account_review_status: Option<String>,
    /// Business verification status.
    pub business_verification_status: Option<String>,
    /// Ownership type.
    pub ownership_type: Option<String>,
    /// Its phone numbers.
    pub phone_numbers: Vec<PhoneNumber>,
}

impl BusinessAccount {
    /// Combines a listed WABA with where it was found.
    pub fn from_raw(raw: RawWaba, business_id: &str, relation: Relation) -> Self {
        BusinessAccount {
            relation,
            business_id: business_id.to_owned(),
            ..raw.0
        }
    }
}

/// A business phone number (JS: `PhoneNumber`).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PhoneNumber {
    /// Phone number id (`phone_number_id` in the task) — not the number itself.
    pub id: String,
    /// The number as shown, e.g. `+1 555-010-0001`.
    pub display_phone_number: Option<String>,
    /// Approved display name.
    pub verified_name: Option<String>,
    /// `GREEN`, `YELLOW`, `RED`, `NA`, `UNKNOWN`.
    pub quality_rating: Option<String>,
    /// The messaging limit (`whatsapp_business_manager_messaging_limit`, else the deprecated
    /// `messaging_limit_tier`), e.g. `TIER_2K`.
    pub messaging_limit: Option<String>,
    /// Throughput level: `STANDARD`, `HIGH`, `NOT_APPLICABLE`.
    pub throughput: Option<String>,
    /// `VERIFIED`, `NOT_VERIFIED`, `EXPIRED`.
    pub code_verification_status: Option<String>,
    /// Display-name review status.
    pub name_status: Option<String>,
    /// `CONNECTED`, `FLAGGED`, `RESTRICTED`, ...
    pub status: Option<String>,
    /// `CLOUD_API`, `ON_PREMISE`, `NOT_APPLICABLE`.
    pub platform_type: Option<String>,
    /// `LIVE` / `SANDBOX`.
    pub account_mode: Option<String>,
}

/// Reads one page of `/{waba_id}/phone_numbers`.
pub fn parse_phone_page(resp: &ApiResponse) -> Result<Page<PhoneNumber>, Error> {
    parse_page(resp, |v, i| {
        Ok(PhoneNumber {
            id: id_of(v, i, resp, "phone number")?,
            display_phone_number: text(v, "display_phone_number"),
            verified_name: text(v, "verified_name"),
            quality_rating: text(v, "quality_rating"),
            messaging_limit: text(v, "whatsapp_business_manager_messaging_limit")
                .or_else(|| text(v, "messaging_limit_tier")),
            throughput: v.get("throughput").and_then(|t| text(t, "level")),
            code_verification_status: text(v, "code_verification_status"),
            name_status: text(v, "name_status"),
            status: text(v, "status"),
            platform_type: text(v, "platform_type"),
            account_mode: text(v, "account_mode"),
        })
    })
}

/// Something discovery could not read (JS: `DiscoveryProblem`); the rest of the walk goes on.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DiscoveryProblem {
    /// The business or WABA id whose listing failed.
    pub object_id: String,
    /// What was being listed: `owned_wabas`, `client_wabas`, `phone_numbers`.
    pub listing: &'static str,
    /// The error kind (`permission`, `not_found`, ...).
    pub kind: &'static str,
    /// The error code.
    pub code: String,
    /// The error message.
    pub message: String,
}

/// The result of `discoverAccounts` (JS: `AccountDiscovery`).
#[derive(Debug, Clone, PartialEq, Serialize, Default)]
#[serde(rename_all = "camelCase")]
pub struct AccountDiscovery {
    /// The businesses walked.
    pub businesses: Vec<Business>,
    /// Every WABA found (owned first, then client, per business), each with its phone numbers.
    pub accounts: Vec<BusinessAccount>,
    /// Listings that failed (e.g. a WABA the token was not granted); the walk continued.
    pub problems: Vec<DiscoveryProblem>,
}

impl ToJson for Relation {
    fn write_json(&self, out: &mut String) {
        out.push_str(match self {
            Relation::Owned => "\"owned\"",
            Relation::Client => "\"client\"",
        });
    }
}

impl ToJson for Business {
    fn write_json(&self, out: &mut String) {
        Obj::new(out)
            .field("id", &self.id)
            .field("name", &self.name)
            .field("verificationStatus", &self.verification_status)
            .end();
    }
}

impl ToJson for PhoneNumber {
    fn write_json(&self, out: &mut String) {
        Obj::new(out)
            .field("id", &self.id)
            .field("displayPhoneNumber", &self.display_phone_number)
            .field("verifiedName", &self.verified_name)
            .field("qualityRating", &self.quality_rating)
            .field("messagingLimit", &self.messaging_limit)
            .field("throughput", &self.throughput)
            .field("codeVerificationStatus", &self.code_verification_status)
            .field("nameStatus", &self.name_status)
            .field("status", &self.status)
            .field("platformType", &self.platform_type)
            .field("accountMode", &self.account_mode)
            .end();
    }
}

impl ToJson for BusinessAccount {
    fn write_json(&self, out: &mut String) {
        Obj::new(out)
            .field("id", &self.id)
            .field("name", &self.name)
            .field("relation", &self.relation)
            .field("businessId", &self.business_id)
            .field("currency", &self.currency)
            .field("timezoneId", &self.timezone_id)
            .field("messageTemplateNamespace", &self.message_template_namespace)
            .field("accountReviewStatus", &self.account_review_status)
            .field(
                "businessVerificationStatus",
                &self.business_verification_status,
            )
            .field("ownershipType", &self.ownership_type)
            .field("phoneNumbers", &self.phone_numbers)
            .end();
    }
}

impl ToJson for DiscoveryProblem {
    fn write_json(&self, out: &mut String) {
        Obj::new(out)
            .field("objectId", &self.object_id)
            .field("listing", &self.listing)
            .field("kind", &self.kind)
            .field("code", &self.code)
            .field("message", &self.message)
            .end();
    }
}

impl ToJson for AccountDiscovery {
    fn write_json(&self, out: &mut String) {
        Obj::new(out)
            .field("businesses", &self.businesses)
            .field("accounts", &self.accounts)
            .field("problems", &self.problems)
            .end();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn resp(body: &str) -> ApiResponse {
        ApiResponse::of(200, body)
    }

    #[test]
    fn pages_follow_the_after_cursor_only_when_next_exists() {
        let p = parse_business_page(&resp(r#"{"data":[{"id":"1","name":"B","verification_status":"verified"}],"paging":{"cursors":{"before":"a","after":"b"},"next":"https://graph.facebook.com/x?after=b"}}"#)).unwrap();
        assert_eq!(p.after.as_deref(), Some("b"));
        assert_eq!(p.data[0].verification_status.as_deref(), Some("verified"));
        let last = parse_business_page(&resp(r#"{"data":[],"paging":{"cursors":{"after":"b"}}}"#))
            .unwrap();
        assert_eq!(last.after, None);
        let req = build_list_businesses("http://e", &ApiVersion::default());
        assert_eq!(
            crate::domain::page::next_page(&req, "b").url,
            "http://e/v25.0/me/businesses?fields=id%2Cname%2Cverification_status&after=b"
        );
    }

    #[test]
    fn phone_numbers_flatten_limit_and_throughput() {
        let p = parse_phone_page(&resp(r#"{"data":[{"id":"3","quality_rating":"RED","throughput":{"level":"STANDARD"},"messaging_limit_tier":"TIER_250"},{"id":"4","messaging_limit_tier":"TIER_250","whatsapp_business_manager_messaging_limit":"TIER_2K"}]}"#)).unwrap();
        assert_eq!(p.data[0].throughput.as_deref(), Some("STANDARD"));
        assert_eq!(p.data[0].messaging_limit.as_deref(), Some("TIER_250"));
        assert_eq!(p.data[1].messaging_limit.as_deref(), Some("TIER_2K"));
        assert!(build_list_phone_numbers("http://e", &ApiVersion::default(), "+2782").is_err());
        assert!(
            build_list_wabas("http://e", &ApiVersion::default(), "1/x", Relation::Owned).is_err()
        );
    }

    proptest::proptest! {
        #[test]
        fn page_parsers_never_panic(body in ".{0,200}") {
            let _ = parse_phone_page(&resp(&body));
            let _ = parse_business_page(&resp(&body));
            let _ = parse_waba_page(&resp(&body));
        }
    }
}
