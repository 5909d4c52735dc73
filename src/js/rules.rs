//! JS exports of the rules core: validators, request builders, parameter binding and preview.
//!
//! Every export takes a plain object (or, as a fast path, its JSON text — skips one
//! `JSON.stringify`) and returns a plain object. Builders throw `WhatsAppError` (kind
//! `validation`) carrying every issue.

use super::convert::string_arg;
use crate::domain::build::{build_json, Built, JsonBuilder};
use crate::domain::error::Error;
use crate::domain::json::Doc;
use crate::domain::template::binding::{binding, template_values};
use crate::domain::template::preview::preview;
use crate::domain::template::supported_languages;
use crate::domain::url::Post;
use crate::domain::{media, phone};
use wasm_bindgen::prelude::*;

#[wasm_bindgen(module = "/src/js/rules_boundary.js")]
extern "C" {
    #[wasm_bindgen(js_name = fromJsonText)]
    fn from_json_text(text: &str) -> JsValue;
    #[wasm_bindgen(js_name = validResult)]
    fn valid_result() -> JsValue;
    #[wasm_bindgen(js_name = jsonPost)]
    fn json_post(url: &str, body: &str) -> JsValue;

    #[wasm_bindgen(js_name = apiRequest)]
    fn api_request_object(
        method: &str,
        url: &str,
        header_name: Option<String>,
        header_value: Option<String>,
        body: Option<String>,
    ) -> JsValue;
}

/// A builder run on an input (an object, or its JSON text). Not inlined: one copy of the glue
/// for every builder export.
#[inline(never)]
fn build_js(input: &JsValue, kind: JsonBuilder) -> Result<JsValue, JsValue> {
    let text = text_of(input, "input", "an object")?;
    match build_json(kind, &text)? {
        Built::Post(post) => Ok(post_to_js(post)),
        Built::Get(url) => Ok(api_request_object("GET", &url, None, None, None)),
    }
}

/// A built JSON POST as a plain JS object (see `rules_boundary.js`): the constant method and
/// header are made in JS.
fn post_to_js(post: Post) -> JsValue {
    json_post(&post.url, &post.body)
}

/// The JSON text of an argument: a string is taken as JSON text already.
fn text_of(v: &JsValue, path: &str, expected: &str) -> Result<String, Error> {
    super::convert::json_text(v, path, expected)
}

/// A plain JS value of `value` (its JSON text, parsed by one JSON.parse).
fn out(value: &dyn crate::domain::json::ToJson) -> Result<JsValue, JsValue> {
    Ok(from_json_text(&value.to_json()))
}

/// An argument's JSON text (strings are JSON text already) parsed.
fn parse_arg<'t>(text: &'t str, path: &str) -> Result<Doc<'t>, Error> {
    Doc::parse(text).map_err(|e| {
        Error::invalid(
            path,
            "invalid_json",
            format!("{path} is not valid JSON ({}).", e),
        )
    })
}

/// Checks a create-template definition against Meta's rules; returns every issue.
#[wasm_bindgen(js_name = validateTemplate, unchecked_return_type = "Validation")]
pub fn validate_template(
    #[wasm_bindgen(unchecked_param_type = "TemplateDefinition | JsonText")] definition: JsValue,
) -> Result<JsValue, JsValue> {
    let text = text_of(&definition, "definition", "an object")?;
    let v = crate::domain::template::validate_template(&text);
    if v.issues.is_empty() {
        // The common answer is made in JS: no JSON text, no JSON.parse.
        Ok(valid_result())
    } else {
        out(&v)
    }
}

/// The template language codes Meta supports (e.g. `"en_US"`), in Meta's order.
#[wasm_bindgen(js_name = supportedLanguages, unchecked_return_type = "string[]")]
pub fn supported_languages_js() -> Result<JsValue, JsValue> {
    out(&supported_languages())
}

/// Checks a media object (type, link/id, MIME type, size, caption, filename).
#[wasm_bindgen(js_name = validateMedia, unchecked_return_type = "Validation")]
pub fn validate_media(
    #[wasm_bindgen(unchecked_param_type = "MediaInput")] media: JsValue,
) -> Result<JsValue, JsValue> {
    let text = text_of(&media, "media", "an object")?;
    out(&media::media_value(parse_arg(&text, "media")?.root()))
}

/// Checks and normalises a recipient phone number (E.164 digits without `+`).
#[wasm_bindgen(js_name = validateRecipient, unchecked_return_type = "RecipientCheck")]
pub fn validate_recipient(
    #[wasm_bindgen(unchecked_param_type = "string")] phone: JsValue,
) -> Result<JsValue, JsValue> {
    let phone = string_arg(&phone, "phone")?;
    out(&phone::validate_recipient(&phone))
}

/// Builds a template message request (`POST /{phoneNumberId}/messages`).
#[wasm_bindgen(js_name = buildSendTemplate, unchecked_return_type = "ApiRequest")]
pub fn build_send_template_js(
    #[wasm_bindgen(unchecked_param_type = "SendTemplateInput | JsonText")] input: JsValue,
) -> Result<JsValue, JsValue> {
    build_js(&input, JsonBuilder::Template)
}

/// Builds a text message request.
#[wasm_bindgen(js_name = buildSendText, unchecked_return_type = "ApiRequest")]
pub fn build_send_text_js(
    #[wasm_bindgen(unchecked_param_type = "SendTextInput | JsonText")] input: JsValue,
) -> Result<JsValue, JsValue> {
    build_js(&input, JsonBuilder::Text)
}

/// Builds a media message request.
#[wasm_bindgen(js_name = buildSendMedia, unchecked_return_type = "ApiRequest")]
pub fn build_send_media_js(
    #[wasm_bindgen(unchecked_param_type = "SendMediaInput | JsonText")] input: JsValue,
) -> Result<JsValue, JsValue> {
    build_js(&input, JsonBuilder::Media)
}

/// Builds a read receipt (optionally with the typing indicator).
#[wasm_bindgen(js_name = buildMarkAsRead, unchecked_return_type = "ApiRequest")]
pub fn build_mark_as_read_js(
    #[wasm_bindgen(unchecked_param_type = "MarkAsReadInput | JsonText")] input: JsValue,
) -> Result<JsValue, JsValue> {
    build_js(&input, JsonBuilder::MarkAsRead)
}

/// Builds a create-template request after validating the definition.
#[wasm_bindgen(js_name = buildCreateTemplate, unchecked_return_type = "ApiRequest")]
pub fn build_create_template_js(
    #[wasm_bindgen(unchecked_param_type = "CreateTemplateInput | JsonText")] input: JsValue,
) -> Result<JsValue, JsValue> {
    build_js(&input, JsonBuilder::CreateTemplate)
}

/// Builds a template list request.
#[wasm_bindgen(js_name = buildGetTemplates, unchecked_return_type = "ApiRequest")]
pub fn build_get_templates_js(
    #[wasm_bindgen(unchecked_param_type = "GetTemplatesInput | JsonText")] input: JsValue,
) -> Result<JsValue, JsValue> {
    build_js(&input, JsonBuilder::GetTemplates)
}

/// Checks values against an approved template and produces the send components.
#[wasm_bindgen(js_name = bindTemplateParameters, unchecked_return_type = "TemplateBinding")]
pub fn bind_template_parameters_js(
    #[wasm_bindgen(unchecked_param_type = "ApprovedTemplate")] template: JsValue,
    #[wasm_bindgen(unchecked_param_type = "TemplateValues")] values: JsValue,
) -> Result<JsValue, JsValue> {
    let template = text_of(&template, "template", "a template object")?;
    let template = parse_arg(&template, "template")?;
    let values = text_of(&values, "values", "template values")?;
    match template_values(parse_arg(&values, "values")?.root(), "values") {
        Ok(values) => out(&binding(template.root(), &values)),
        Err(issues) => out(&crate::domain::template::Binding {
            valid: false,
            issues,
            components: Vec::new(),
        }),
    }
}

/// Renders a template as the recipient sees it (examples or values substituted, formatting as spans).
#[wasm_bindgen(js_name = renderTemplatePreview, unchecked_return_type = "TemplatePreview")]
pub fn render_template_preview_js(
    #[wasm_bindgen(unchecked_param_type = "TemplateDefinition | ApprovedTemplate")]
    definition: JsValue,
    #[wasm_bindgen(unchecked_optional_param_type = "TemplateValues")] values: JsValue,
) -> Result<JsValue, JsValue> {
    let definition = text_of(&definition, "definition", "a template object")?;
    let definition = parse_arg(&definition, "definition")?;
    let values = if values.is_undefined() || values.is_null() {
        None
    } else {
        let v = text_of(&values, "values", "template values")?;
        Some(
            template_values(parse_arg(&v, "values")?.root(), "values")
                .map_err(|issues| Error::Validation { issues })?,
        )
    };
    out(&preview(definition.root(), values.as_ref()))
}

#[wasm_bindgen(typescript_custom_section)]
const TS_RULES: &'static str = r#"
/** Graph API version and host for a built request (defaults `v25.0`, `https://graph.facebook.com`). */
export interface BuildOptions {
  apiVersion?: string;
  baseUrl?: string;
}

/** A request ready to send; the client adds `Authorization`. */
export interface ApiRequest {
  method: "GET" | "POST" | "DELETE";
  url: string;
  headers: Record<string, string>;
  /** Exact JSON text of the body (absent for GET). */
  body?: string;
}

export type TemplateCategory = "MARKETING" | "UTILITY" | "AUTHENTICATION";
export type TemplateParameterFormat = "positional" | "named";

/** A sample for a named variable. */
export interface NamedExample { param_name: string; example: string; }

export interface TemplateHeaderComponent {
  type: "HEADER";
  format: "TEXT" | "IMAGE" | "VIDEO" | "DOCUMENT" | "LOCATION";
  text?: string;
  example?: { header_text?: string[]; header_text_named_params?: NamedExample[]; header_handle?: string[] };
}
export interface TemplateBodyComponent {
  type: "BODY";
  /** Absent in AUTHENTICATION templates (Meta's fixed body). */
  text?: string;
  add_security_recommendation?: boolean;
  example?: { body_text?: string[][]; body_text_named_params?: NamedExample[] };
}
export interface TemplateFooterComponent {
  type: "FOOTER";
  text?: string;
  /** AUTHENTICATION only: 1–90. */
  code_expiration_minutes?: number;
}
export interface SupportedApp { package_name: string; signature_hash: string; }
export interface TemplateButton {
  type: "QUICK_REPLY" | "URL" | "PHONE_NUMBER" | "COPY_CODE" | "OTP" | "FLOW" | "VOICE_CALL" | "MPM" | "SPM" | "CATALOG";
  text?: string;
  url?: string;
  phone_number?: string;
  /** URL button: `["<full sample URL>"]`; COPY_CODE: the sample code. */
  example?: string | string[];
  otp_type?: "COPY_CODE" | "ONE_TAP" | "ZERO_TAP";
  supported_apps?: SupportedApp[];
  autofill_text?: string;
  zero_tap_terms_accepted?: boolean;
  package_name?: string;
  signature_hash?: string;
  flow_id?: string | number;
  flow_name?: string;
  flow_json?: string;
  flow_action?: "navigate" | "data_exchange";
  navigate_screen?: string;
}
export interface TemplateButtonsComponent { type: "BUTTONS"; buttons: TemplateButton[]; }
/** Component types passed through unchecked (a warning says so). */
export interface TemplateOtherComponent {
  type: "CAROUSEL" | "LIMITED_TIME_OFFER" | "CALL_PERMISSION_REQUEST";
  [key: string]: unknown;
}
export type TemplateComponent =
  | TemplateHeaderComponent | TemplateBodyComponent | TemplateFooterComponent
  | TemplateButtonsComponent | TemplateOtherComponent;

/** A create-template definition. `components` may be the seed's JSON string. */
export interface TemplateDefinition {
  name: string;
  category: TemplateCategory;
  language: string;
  parameter_format?: TemplateParameterFormat;
  components: TemplateComponent[] | string;
}

/** A template as `GET /{waba_id}/message_templates` returns it. */
export interface ApprovedTemplate {
  id?: string;
  name: string;
  status?: string;
  category?: string;
  language?: string;
  parameter_format?: string;
  components: TemplateComponent[];
}

/** A media object for `validateMedia`. */
export interface MediaInput {
  type: "image" | "video" | "audio" | "document" | "sticker";
  link?: string;
  id?: string;
  mimeType?: string;
  /** Bytes. */
  size?: number;
  caption?: string;
  filename?: string;
  /** Stickers: animated (≤ 500 KB) or static (≤ 100 KB). */
  animated?: boolean;
}

/** `validateRecipient`: issues plus the E.164 digits without `+` (null when invalid). */
export interface RecipientCheck extends Validation {
  normalized: string | null;
}

export interface SendMediaRef { id?: string; link?: string; filename?: string; }
/** A `type`/`sub_type` string in Meta's lower case or in upper case (`"HEADER"`, `"CATALOG"`). */
export type AnyCase<T extends string> = T | Uppercase<T>;
/** One parameter of a send component, in Meta's shape. Numbers that are forwarded (coordinates,
 *  `expiration_time_ms`, `ttl_minutes`, anything in an `action`) are sent exactly as given. */
export type SendParameter =
  | { type: "text"; text: string; parameter_name?: string }
  | { type: "currency"; currency: { fallback_value: string; code: string; amount_1000: number }; parameter_name?: string }
  | { type: "date_time"; date_time: { fallback_value: string }; parameter_name?: string }
  | { type: "image"; image: SendMediaRef }
  | { type: "video"; video: SendMediaRef }
  | { type: "document"; document: SendMediaRef }
  | { type: "location"; location: { latitude: number; longitude: number; name?: string; address?: string } }
  /** Single-product templates and product carousel cards. */
  | { type: "product"; product: { product_retailer_id: string; catalog_id: string } }
  | { type: "payload"; payload: string }
  | { type: "coupon_code"; coupon_code: string }
  /** Flow (`flow_token`, `flow_action_data`), catalog and multi-product (`thumbnail_product_retailer_id`, `sections`) buttons. */
  | { type: "action"; action: Record<string, unknown> }
  /** Voice-call button: minutes the button stays active, 1–43200. */
  | { type: "ttl_minutes"; ttl_minutes: number }
  | { type: "limited_time_offer"; limited_time_offer: { expiration_time_ms?: number } }
  | { type: "tap_target_configuration"; tap_target_configuration: { url: string; title: string }[] };

export interface SendHeaderComponent { type: AnyCase<"header">; parameters: SendParameter[]; }
export interface SendBodyComponent { type: AnyCase<"body">; parameters: SendParameter[]; }
export interface SendButtonComponent {
  type: AnyCase<"button">;
  sub_type: AnyCase<"quick_reply" | "url" | "copy_code" | "flow" | "voice_call" | "catalog" | "mpm">;
  /** The button's position in the template, 0–9 (sent as a string). Optional for `voice_call`. */
  index?: number | string;
  parameters: SendParameter[];
}
/** A carousel card: its header (image, video or product), body and buttons. */
export interface SendCarouselCard {
  /** 0–9. */
  card_index: number;
  components: Array<SendHeaderComponent | SendBodyComponent | SendButtonComponent>;
}
/** Media or product card carousel templates: 1–10 cards. */
export interface SendCarouselComponent { type: AnyCase<"carousel">; cards: SendCarouselCard[]; }
/** Limited-time offer templates: `[{type: "limited_time_offer", limited_time_offer: {expiration_time_ms}}]`. */
export interface SendLimitedTimeOfferComponent { type: AnyCase<"limited_time_offer">; parameters: SendParameter[]; }
/** Tap-target title URL override: `[{type: "tap_target_configuration", tap_target_configuration: [{url, title}]}]`. */
export interface SendTapTargetComponent { type: AnyCase<"tap_target_configuration">; parameters: SendParameter[]; }
export type SendComponent =
  | SendHeaderComponent | SendBodyComponent | SendButtonComponent | SendCarouselComponent
  | SendLimitedTimeOfferComponent | SendTapTargetComponent;

/** Who a message goes to: `to` (a phone number; a group id with `recipientType: "group"`),
 *  `recipient` (a business-scoped user id, webhook `fromUserId`), or both (Meta sends to `to`). */
export interface SendRecipient {
  to?: string;
  /** A business-scoped user id or parent BSUID, e.g. `US.13491208655302741918`. */
  recipient?: string;
  /** Default `individual`; `group` sends to the group id in `to` (Groups API). */
  recipientType?: "individual" | "group";
}

export type ParameterValue = string | number | boolean;
/** Values per component: header value, body values, one value (or null) per button position. */
export interface ComponentValues {
  header?: string | SendParameter | null;
  body?: ParameterValue[] | Record<string, ParameterValue>;
  buttons?: Array<string | SendParameter | null>;
}
/** Positional body values, their JSON array text, named values, or values per component. */
export type TemplateValues = ParameterValue[] | string | ComponentValues | Record<string, ParameterValue>;

export interface SendTemplateInput extends BuildOptions, SendRecipient {
  phoneNumberId: string;
  templateName: string;
  /** Default `en_US`. */
  language?: string;
  /** The seed's `template_parameters`. */
  parameters?: TemplateValues;
  components?: SendComponent[];
  /** The approved template: values are checked against it (bindTemplateParameters). */
  template?: ApprovedTemplate;
  /** Meta's `biz_opaque_callback_data` (≤ 512 characters), echoed in the status webhooks. */
  bizOpaqueCallbackData?: string;
}
export interface SendTextInput extends BuildOptions, SendRecipient {
  phoneNumberId: string;
  /** 1–4096 characters. */
  text: string;
  previewUrl?: boolean;
}
export interface SendMediaInput extends BuildOptions, SendRecipient {
  phoneNumberId: string;
  mediaType: "image" | "video" | "audio" | "document" | "sticker";
  link?: string;
  mediaId?: string;
  caption?: string;
  filename?: string;
  mimeType?: string;
  size?: number;
}
export interface MarkAsReadInput extends BuildOptions {
  phoneNumberId: string;
  messageId: string;
  typingIndicator?: boolean;
}
export interface CreateTemplateInput extends BuildOptions {
  businessAccountId: string;
  name: string;
  category: TemplateCategory;
  /** Default `en_US`. */
  language?: string;
  /** Components, or the seed's `template_components` JSON string. */
  components: TemplateComponent[] | string;
  parameterFormat?: TemplateParameterFormat;
  /** Authentication (and utility/marketing) templates: how long Meta tries to deliver, seconds. */
  message_send_ttl_seconds?: number;
  allow_category_change?: boolean;
  cta_url_link_tracking_opted_out?: boolean;
  sub_category?: string;
  library_template_name?: string;
  library_template_body_inputs?: Record<string, unknown>;
  library_template_button_inputs?: Record<string, unknown>[];
  degrees_of_freedom_spec?: Record<string, unknown>;
}
export interface GetTemplatesInput extends BuildOptions {
  businessAccountId: string;
  status?: "APPROVED" | "PENDING" | "REJECTED" | "PAUSED" | "DISABLED" | "IN_APPEAL" | "FLAGGED"
    | "REINSTATED" | "PENDING_DELETION" | "DELETED" | "LIMIT_EXCEEDED" | "ARCHIVED" | "UNARCHIVED" | "LOCKED";
  /** Default 100. */
  limit?: number;
  after?: string;
  name?: string;
}

/** `bindTemplateParameters`: the send components, or the issues (components empty). */
export interface TemplateBinding extends Validation {
  components: SendComponent[];
}

/** A run of preview text with one style (flags are present only when true). */
export interface PreviewSpan {
  text: string;
  bold?: boolean;
  italic?: boolean;
  strike?: boolean;
  mono?: boolean;
  /** Text that came from a variable. */
  variable?: boolean;
}
export interface PreviewPart {
  /** Header only. */
  format?: "TEXT" | "IMAGE" | "VIDEO" | "DOCUMENT" | "LOCATION";
  /** Plain text shown (formatting markers removed). */
  text: string;
  spans: PreviewSpan[];
}
export interface PreviewButton {
  type: string;
  text: string;
  url?: string;
  phoneNumber?: string;
}
export interface TemplatePreview {
  header?: PreviewPart;
  body: PreviewPart;
  footer?: PreviewPart;
  buttons: PreviewButton[];
}
"#;
