//! The automation-task contract of the seed (BaseCloud task type 58, prefix `task_58001`): the
//! configuration fields of the seven actions, the output fields, the success texts and the
//! troubleshooting advice a failed run carries in `run_text`.
//!
//! Where the platform contradicts the seed the contract is kept where it can live: the Graph
//! version is a setting (v18.0 is retired), `get_message_status` reads a status store fed by
//! webhooks (Meta has no `GET /{wamid}`), and tokens are refreshed through the connection's token
//! provider (Meta has no refresh tokens).

use crate::domain::error::{Error, ErrorKind, Issue, Validation};
use crate::domain::json::{dyn_opt, Obj, RawJson, ToJson};
use crate::domain::json::{Doc, Json, Object};

/// The default output prefix of the seed.
pub const DEFAULT_PREFIX: &str = "task_58001";

/// The seven actions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ActionName {
    /// `send_template`
    SendTemplate,
    /// `create_template`
    CreateTemplate,
    /// `get_templates`
    GetTemplates,
    /// `send_text`
    SendText,
    /// `send_media`
    SendMedia,
    /// `get_message_status`
    GetMessageStatus,
    /// `mark_as_read`
    MarkAsRead,
}

impl ActionName {
    /// Parses the `action` field.
    pub fn parse(s: &str) -> Option<Self> {
        Some(match s.trim() {
            "send_template" => ActionName::SendTemplate,
            "create_template" => ActionName::CreateTemplate,
            "get_templates" => ActionName::GetTemplates,
            "send_text" => ActionName::SendText,
            "send_media" => ActionName::SendMedia,
            "get_message_status" => ActionName::GetMessageStatus,
            "mark_as_read" => ActionName::MarkAsRead,
            _ => return None,
        })
    }

    /// The field value (`"send_template"`, ...).
    pub fn as_str(self) -> &'static str {
        match self {
            ActionName::SendTemplate => "send_template",
            ActionName::CreateTemplate => "create_template",
            ActionName::GetTemplates => "get_templates",
            ActionName::SendText => "send_text",
            ActionName::SendMedia => "send_media",
            ActionName::GetMessageStatus => "get_message_status",
            ActionName::MarkAsRead => "mark_as_read",
        }
    }

    /// The seed's `run_text` on success.
    pub fn success_text(self) -> &'static str {
        match self {
            ActionName::SendTemplate => "Template sent successfully.",
            ActionName::CreateTemplate => "Template created successfully.",
            ActionName::GetTemplates => "Successfully retrieved templates.",
            ActionName::SendText => "Text message sent successfully.",
            ActionName::SendMedia => "Media sent successfully.",
            ActionName::GetMessageStatus => "Message status retrieved.",
            ActionName::MarkAsRead => "Message marked as read.",
        }
    }

    fn failure_prefix(self) -> &'static str {
        match self {
            ActionName::SendTemplate => "Template not sent",
            ActionName::CreateTemplate => "Template not created",
            ActionName::GetTemplates => "Templates not retrieved",
            ActionName::SendText => "Text message not sent",
            ActionName::SendMedia => "Media not sent",
            ActionName::GetMessageStatus => "Message status not retrieved",
            ActionName::MarkAsRead => "Message not marked as read",
        }
    }
}

/// A validated task configuration: which connection, and the action with its fields.
#[derive(Debug, Clone, PartialEq)]
pub struct TaskRequest {
    /// `app_connection_id`.
    pub connection_id: String,
    /// The action and its fields.
    pub action: TaskAction,
}

/// The fields of each action, read from the seed's configuration names.
#[derive(Debug, Clone, PartialEq)]
#[allow(missing_docs)]
pub enum TaskAction {
    SendTemplate {
        business_account_id: Option<String>,
        phone_number_id: String,
        recipient: String,
        template_name: String,
        template_language: String,
        /// `template_parameters`: body values in placeholder order ({{1}}, {{2}}, ...), or full send
        /// components when given as an array of objects.
        template_parameters: RawJson,
    },
    CreateTemplate {
        business_account_id: String,
        template_name: String,
        template_category: String,
        template_language: String,
        template_components: RawJson,
    },
    GetTemplates {
        business_account_id: String,
        status_filter: Option<String>,
        limit: u32,
    },
    SendText {
        phone_number_id: String,
        recipient: String,
        message_text: String,
        preview_url: bool,
    },
    SendMedia {
        phone_number_id: String,
        recipient: String,
        media_type: String,
        media_url: Option<String>,
        media_id: Option<String>,
        caption: Option<String>,
        filename: Option<String>,
    },
    GetMessageStatus {
        message_id: String,
    },
    MarkAsRead {
        phone_number_id: String,
        message_id: String,
    },
}

impl TaskAction {
    /// Which action this is.
    pub fn name(&self) -> ActionName {
        match self {
            TaskAction::SendTemplate { .. } => ActionName::SendTemplate,
            TaskAction::CreateTemplate { .. } => ActionName::CreateTemplate,
            TaskAction::GetTemplates { .. } => ActionName::GetTemplates,
            TaskAction::SendText { .. } => ActionName::SendText,
            TaskAction::SendMedia { .. } => ActionName::SendMedia,
            TaskAction::GetMessageStatus { .. } => ActionName::GetMessageStatus,
            TaskAction::MarkAsRead { .. } => ActionName::MarkAsRead,
        }
    }
}

/// Reads the configuration as a CRM passes it: values may be strings even when they hold JSON
/// (`template_parameters`, `template_components`), numbers (`limit`) or booleans (`preview_url`).
struct Fields<'a> {
    map: Object<'a>,
    issues: Vec<Issue>,
}

impl Fields<'_> {
    fn text(&self, key: &str) -> Option<String> {
        match self.map.get(key)? {
            Json::String(s) if !s.trim().is_empty() => Some(s.trim().to_owned()),
            // Integers only (ids, limits); formatting floats would pull in float printing.
            Json::Number(n) => n.as_i64().map(|n| n.to_string()),
            _ => None,
        }
    }

    fn required(&mut self, key: &str, what: &str) -> String {
        self.text(key).unwrap_or_else(|| {
            self.issues.push(Issue::error(
                key,
                "field_required",
                format!("{key} is required: {what}."),
            ));
            String::new()
        })
    }

    fn json(&mut self, key: &str) -> Option<RawJson> {
        match self.map.get(key)? {
            Json::String(s) if s.trim().is_empty() => None,
            Json::String(s) => match RawJson::parse(s.to_owned()) {
                Ok(v) => Some(v),
                Err(e) => {
                    self.issues.push(Issue::error(
                        key,
                        "invalid_json",
                        format!("{key} is not valid JSON ({e}); give a JSON array such as [\"John\", \"12345\"]."),
                    ));
                    None
                }
            },
            Json::Null => None,
            v => Some(RawJson::of(v)),
        }
    }

    fn boolean(&self, key: &str) -> bool {
        match self.map.get(key) {
            Some(Json::Bool(b)) => b,
            Some(Json::String(s)) => {
                matches!(s.trim().to_ascii_lowercase().as_str(), "true" | "1" | "yes")
            }
            Some(Json::Number(n)) => n.as_f64().is_some_and(|f| f != 0.0),
            _ => false,
        }
    }

    fn limit(&mut self) -> u32 {
        let raw = match self.map.get("limit") {
            None | Some(Json::Null) => return 100,
            Some(Json::String(s)) if s.trim().is_empty() => return 100,
            Some(Json::String(s)) => {
                crate::domain::json::parse_u64(s.trim()).and_then(|n| u32::try_from(n).ok())
            }
            Some(Json::Number(n)) => n.as_u64().and_then(|v| u32::try_from(v).ok()),
            Some(_) => None,
        };
        match raw {
            Some(n) if n >= 1 => n,
            _ => {
                self.issues.push(Issue::error(
                    "limit",
                    "limit_invalid",
                    "limit must be a whole number of at least 1 (default 100).",
                ));
                100
            }
        }
    }
}

/// Parses and checks a task configuration. A missing `app_connection_id` is the seed's
/// "No app connection selected" (kind `auth`, code `no_connection`); missing or malformed fields
/// are validation issues named by their configuration field. `config` is its JSON text.
pub fn parse_task_config(config: &str) -> Result<TaskRequest, Error> {
    match Doc::parse(config) {
        Ok(doc) => parse_task_config_json(doc.root()),
        Err(_) => Err(Error::invalid(
            "",
            "invalid_json",
            "The task configuration is not JSON.",
        )),
    }
}

/// [`parse_task_config`] of a parsed configuration (what `runTask` reads from JS).
pub(crate) fn parse_task_config_json(config: Json<'_>) -> Result<TaskRequest, Error> {
    let Some(map) = config.as_object() else {
        return Err(Error::invalid(
            "",
            "invalid_type",
            "The task configuration must be an object with an action field.",
        ));
    };
    let mut f = Fields {
        map,
        issues: Vec::new(),
    };
    let action_text = f.text("action").unwrap_or_default();
    let Some(action) = ActionName::parse(&action_text) else {
        return Err(Error::invalid(
            "action",
            "action_invalid",
            format!("action must be one of send_template, create_template, get_templates, send_text, send_media, get_message_status, mark_as_read (got \"{action_text}\")."),
        ));
    };
    let Some(connection_id) = f.text("app_connection_id") else {
        return Err(Error::Refused {
            kind: ErrorKind::Auth,
            code: "no_connection",
            message: "No app connection selected.".to_owned(),
        });
    };
    let language = f
        .text("template_language")
        .unwrap_or_else(|| "en_US".to_owned());
    let parsed = match action {
        ActionName::SendTemplate => TaskAction::SendTemplate {
            business_account_id: f.text("business_account_id"),
            phone_number_id: f.required("phone_number_id", "the sender's phone number ID"),
            recipient: f.required(
                "recipient",
                "the customer's WhatsApp number, digits with country code",
            ),
            template_name: f.required("template_name", "an approved template name"),
            template_language: language,
            template_parameters: f
                .json("template_parameters")
                .unwrap_or_else(|| RawJson::trusted("[]".to_owned())),
        },
        ActionName::CreateTemplate => {
            let business_account_id =
                f.required("business_account_id", "the WhatsApp Business Account ID");
            let template_name = f.required(
                "template_name",
                "a new template name (lowercase, digits, underscores)",
            );
            let template_category = f
                .required("template_category", "MARKETING, UTILITY or AUTHENTICATION")
                .to_ascii_uppercase();
            let template_components = f.json("template_components");
            if template_components.is_none()
                && !f.issues.iter().any(|i| i.path == "template_components")
            {
                f.issues.push(Issue::error(
                    "template_components",
                    "field_required",
                    "template_components is required: the JSON array of HEADER/BODY/FOOTER/BUTTONS components.",
                ));
            }
            TaskAction::CreateTemplate {
                business_account_id,
                template_name,
                template_category,
                template_language: language,
                template_components: template_components.unwrap_or_else(RawJson::null),
            }
        }
        ActionName::GetTemplates => TaskAction::GetTemplates {
            business_account_id: f
                .required("business_account_id", "the WhatsApp Business Account ID"),
            status_filter: f.text("status_filter").map(|s| s.to_ascii_uppercase()),
            limit: f.limit(),
        },
        ActionName::SendText => TaskAction::SendText {
            phone_number_id: f.required("phone_number_id", "the sender's phone number ID"),
            recipient: f.required(
                "recipient",
                "the customer's WhatsApp number, digits with country code",
            ),
            message_text: match f.map.get("message_text") {
                Some(Json::String(s)) if !s.trim().is_empty() => s.to_owned(),
                _ => f.required("message_text", "the text to send"),
            },
            preview_url: f.boolean("preview_url"),
        },
        ActionName::SendMedia => {
            let media_url = f.text("media_url");
            let media_id = f.text("media_id");
            if media_url.is_none() && media_id.is_none() {
                f.issues.push(Issue::error(
                    "media_url",
                    "media_source_required",
                    "Either media_url (public HTTPS URL) or media_id (uploaded media) is required.",
                ));
            }
            TaskAction::SendMedia {
                phone_number_id: f.required("phone_number_id", "the sender's phone number ID"),
                recipient: f.required(
                    "recipient",
                    "the customer's WhatsApp number, digits with country code",
                ),
                media_type: f
                    .required("media_type", "image, video, document or audio")
                    .to_ascii_lowercase(),
                media_url,
                media_id,
                caption: f.text("caption"),
                filename: f.text("filename"),
            }
        }
        ActionName::GetMessageStatus => TaskAction::GetMessageStatus {
            message_id: f.required("message_id", "the wamid returned by a send"),
        },
        ActionName::MarkAsRead => TaskAction::MarkAsRead {
            phone_number_id: f.required("phone_number_id", "your phone number ID"),
            message_id: f.required("message_id", "the wamid of the incoming message"),
        },
    };
    Validation::from_issues(f.issues).into_result()?;
    Ok(TaskRequest {
        connection_id,
        action: parsed,
    })
}

/// The outputs of a run, named as the seed's `task_58001_*` variables (JS: `TaskOutput`).
#[derive(Debug, Clone, PartialEq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct TaskOutput {
    /// `true` when the action succeeded.
    pub run: bool,
    /// The seed's success text, or what went wrong and what to do.
    pub run_text: String,
    /// The action that ran (the configured value, even when unknown).
    pub action: String,
    /// `wamid` of a sent message (send actions) or the message acted on.
    #[cfg_attr(feature = "serde", serde(skip_serializing_if = "Option::is_none"))]
    pub message_id: Option<String>,
    /// Recipient as sent.
    #[cfg_attr(feature = "serde", serde(skip_serializing_if = "Option::is_none"))]
    pub recipient: Option<String>,
    /// Template used or created.
    #[cfg_attr(feature = "serde", serde(skip_serializing_if = "Option::is_none"))]
    pub template_name: Option<String>,
    /// Meta template id (create_template).
    #[cfg_attr(feature = "serde", serde(skip_serializing_if = "Option::is_none"))]
    pub template_id: Option<String>,
    /// Template status (create_template: `PENDING`, ...).
    #[cfg_attr(feature = "serde", serde(skip_serializing_if = "Option::is_none"))]
    pub status: Option<String>,
    /// Template objects (get_templates).
    #[cfg_attr(feature = "serde", serde(skip_serializing_if = "Option::is_none"))]
    pub templates: Option<RawJson>,
    /// Number of templates returned.
    #[cfg_attr(feature = "serde", serde(skip_serializing_if = "Option::is_none"))]
    pub count: Option<usize>,
    /// The status object (get_message_status): `status`, `timestamp`, `errors`.
    #[cfg_attr(feature = "serde", serde(skip_serializing_if = "Option::is_none"))]
    pub data: Option<RawJson>,
    /// Media type sent.
    #[cfg_attr(feature = "serde", serde(skip_serializing_if = "Option::is_none"))]
    pub media_type: Option<String>,
    /// mark_as_read result.
    #[cfg_attr(feature = "serde", serde(skip_serializing_if = "Option::is_none"))]
    pub success: Option<bool>,
    /// On failure: the error code (Graph code or snake_case local code).
    #[cfg_attr(feature = "serde", serde(skip_serializing_if = "Option::is_none"))]
    pub error_code: Option<String>,
    /// On failure: the error kind (`auth`, `window_closed`, ...).
    #[cfg_attr(feature = "serde", serde(skip_serializing_if = "Option::is_none"))]
    pub error_kind: Option<&'static str>,
}

impl TaskOutput {
    /// A successful run of `action` with the seed's text.
    pub fn success(action: ActionName) -> Self {
        TaskOutput {
            run: true,
            run_text: action.success_text().to_owned(),
            action: action.as_str().to_owned(),
            ..TaskOutput::default()
        }
    }

    /// A failed run: `run_text` says what went wrong and what to do (the seed's troubleshooting
    /// advice for the case), with `error_code` and `error_kind`.
    pub fn failure(action: Option<ActionName>, action_text: &str, error: &Error) -> Self {
        let prefix = action.map_or("Task not run", ActionName::failure_prefix);
        let mut message = error.to_string();
        if !message.ends_with('.') {
            message.push('.');
        }
        let mut run_text = format!("{prefix}: {message} {}", error.hint());
        if let Error::Validation { issues } = error {
            let extra: Vec<String> = issues
                .iter()
                .filter(|i| i.is_error())
                .skip(1)
                .map(|i| format!("{}: {}", i.path, i.message))
                .collect();
            if !extra.is_empty() {
                run_text = format!(
                    "{prefix}: {message} {} {}",
                    crate::domain::input::join_strs(&extra, " "),
                    error.hint()
                );
            }
        }
        TaskOutput {
            run: false,
            run_text,
            action: action.map_or_else(|| action_text.to_owned(), |a| a.as_str().to_owned()),
            error_code: Some(error.code()),
            error_kind: Some(error.kind().as_str()),
            ..TaskOutput::default()
        }
    }
}

/// The flat variable map of an output: `{prefix}_{field}` for every field. Nested values (the
/// `data` status object, `templates`) stay objects so `{{task_58001_data.status}}` resolves.
/// Returns the map as JSON text.
pub fn to_output_variables(output: &TaskOutput, prefix: &str) -> RawJson {
    let text = crate::domain::json::ToJson::to_json(output);
    match crate::domain::json::Doc::parse(&text) {
        Ok(doc) => output_variables_of(doc.root(), prefix),
        Err(_) => RawJson::null(),
    }
}

/// [`to_output_variables`] of any JSON object (what `toOutputVariables` receives from JS): `{}`
/// when `output` is not an object.
pub(crate) fn output_variables_of(output: Json<'_>, prefix: &str) -> RawJson {
    // The output's own text with `{prefix}_` before each key: sized once (a 4 MiB list of
    // templates would otherwise grow the text by doubling to 8 MiB, copying it each time).
    let fields = output.as_object();
    let size = fields.map_or(0, |f| f.text().len() + f.len() * (prefix.len() + 1));
    let mut text = String::with_capacity(size + 2);
    let mut o = Obj::new(&mut text);
    if let Some(fields) = fields {
        for (k, v) in fields.iter() {
            o.field_escaped(&format!("{prefix}_{k}"), &v);
        }
    }
    o.end();
    RawJson::trusted(text)
}

impl ToJson for TaskOutput {
    fn write_json(&self, out: &mut String) {
        Obj::new(out)
            .field("run", &self.run)
            .field("run_text", &self.run_text)
            .field("action", &self.action)
            .opt("message_id", dyn_opt(&self.message_id))
            .opt("recipient", dyn_opt(&self.recipient))
            .opt("template_name", dyn_opt(&self.template_name))
            .opt("template_id", dyn_opt(&self.template_id))
            .opt("status", dyn_opt(&self.status))
            .opt("templates", dyn_opt(&self.templates))
            .opt("count", dyn_opt(&self.count))
            .opt("data", dyn_opt(&self.data))
            .opt("media_type", dyn_opt(&self.media_type))
            .opt("success", dyn_opt(&self.success))
            .opt("error_code", dyn_opt(&self.error_code))
            .opt("error_kind", dyn_opt(&self.error_kind))
            .end();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn parses_every_action_with_crm_style_values() {
        let t = parse_task_config(&json!({"action":"send_template","app_connection_id":"c1","business_account_id":"200000000000001","phone_number_id":"300000000000001","recipient":"27821234567","template_name":"order_confirmation","template_parameters":"[\"John\",\"12345\",\"R500\",\"Dec 25\"]"}).to_string()).unwrap();
        assert_eq!(t.connection_id, "c1");
        let TaskAction::SendTemplate {
            template_language,
            template_parameters,
            ..
        } = &t.action
        else {
            panic!()
        };
        assert_eq!(template_language, "en_US");
        assert_eq!(
            serde_json::from_str::<serde_json::Value>(template_parameters.as_str()).unwrap(),
            json!(["John", "12345", "R500", "Dec 25"])
        );

        let t = parse_task_config(&json!({"action":"get_templates","app_connection_id":7,"business_account_id":"200000000000001","limit":"50","status_filter":"approved"}).to_string()).unwrap();
        assert_eq!(
            t.action,
            TaskAction::GetTemplates {
                business_account_id: "200000000000001".into(),
                status_filter: Some("APPROVED".into()),
                limit: 50
            }
        );
        assert_eq!(t.connection_id, "7");

        let t = parse_task_config(&json!({"action":"send_text","app_connection_id":"c","phone_number_id":"3","recipient":"2782","message_text":"  hi  ","preview_url":"true"}).to_string()).unwrap();
        assert_eq!(
            t.action,
            TaskAction::SendText {
                phone_number_id: "3".into(),
                recipient: "2782".into(),
                message_text: "  hi  ".into(),
                preview_url: true
            }
        );
        for (action, extra) in [
            (
                "send_media",
                json!({"phone_number_id":"3","recipient":"2782","media_type":"IMAGE","media_id":"9"}),
            ),
            ("get_message_status", json!({"message_id":"wamid.X"})),
            (
                "mark_as_read",
                json!({"phone_number_id":"3","message_id":"wamid.X"}),
            ),
            (
                "create_template",
                json!({"business_account_id":"2","template_name":"a","template_category":"utility","template_components":[{"type":"BODY","text":"hi"}]}),
            ),
        ] {
            let mut cfg = extra.as_object().unwrap().clone();
            cfg.insert("action".into(), json!(action));
            cfg.insert("app_connection_id".into(), json!("c"));
            let t = parse_task_config(&serde_json::Value::Object(cfg).to_string()).unwrap();
            assert_eq!(t.action.name().as_str(), action);
        }
    }

    #[test]
    fn reports_every_missing_field_and_the_missing_connection() {
        let e = parse_task_config(&json!({"action":"send_template"}).to_string()).unwrap_err();
        assert_eq!(
            (e.kind(), e.code().as_str()),
            (ErrorKind::Auth, "no_connection")
        );
        assert!(e.to_string().contains("No app connection selected"));
        let e =
            parse_task_config(&json!({"action":"send_media","app_connection_id":"c"}).to_string())
                .unwrap_err();
        let Error::Validation { issues } = &e else {
            panic!()
        };
        let paths: Vec<_> = issues.iter().map(|i| i.path.as_str()).collect();
        assert_eq!(
            paths,
            ["media_url", "phone_number_id", "recipient", "media_type"]
        );
        let e = parse_task_config(&json!({"action":"send_template","app_connection_id":"c","phone_number_id":"3","recipient":"1","template_name":"t","template_parameters":"[John"}).to_string()).unwrap_err();
        assert_eq!(e.code(), "invalid_json");
        let e = parse_task_config(
            &json!({"action":"delete_everything","app_connection_id":"c"}).to_string(),
        )
        .unwrap_err();
        assert_eq!(e.code(), "action_invalid");
        let e = parse_task_config(&json!({"action":"get_templates","app_connection_id":"c","business_account_id":"2","limit":"0"}).to_string()).unwrap_err();
        assert_eq!(e.code(), "limit_invalid");
    }

    #[test]
    fn outputs_and_variables() {
        let mut out = TaskOutput::success(ActionName::GetMessageStatus);
        out.data = Some(
            RawJson::parse(json!({"status":"delivered","timestamp":"1700000000"}).to_string())
                .unwrap(),
        );
        let value: serde_json::Value = serde_json::from_str(&out.to_json()).unwrap();
        let to_value = |r: RawJson| serde_json::from_str::<serde_json::Value>(r.as_str()).unwrap();
        assert_eq!(
            value,
            json!({"run":true,"run_text":"Message status retrieved.","action":"get_message_status","data":{"status":"delivered","timestamp":"1700000000"}})
        );
        let text = value.to_string();
        let doc = crate::domain::json::Doc::parse(&text).unwrap();
        let vars = to_value(output_variables_of(doc.root(), DEFAULT_PREFIX));
        assert_eq!(to_value(to_output_variables(&out, DEFAULT_PREFIX)), vars);
        assert_eq!(vars["task_58001_run"], json!(true));
        assert_eq!(vars["task_58001_data"]["status"], json!("delivered"));
        let nine = to_value(output_variables_of(doc.root(), "task_9"));
        assert_eq!(nine.as_object().unwrap().len(), 4);

        let e = Error::Refused {
            kind: ErrorKind::Auth,
            code: "no_connection",
            message: "No app connection selected.".into(),
        };
        let f = TaskOutput::failure(Some(ActionName::SendText), "send_text", &e);
        assert!(!f.run);
        assert!(f.run_text.starts_with(
            "Text message not sent: No app connection selected. No app connection selected: create"
        ));
        assert_eq!(
            (f.error_code.as_deref(), f.error_kind),
            (Some("no_connection"), Some("auth"))
        );
    }

    proptest::proptest! {
        #[test]
        fn config_parser_never_panics(action in "[a-z_]{0,20}", v in ".{0,40}", limit in ".{0,6}") {
            let cfg = json!({"action": action, "app_connection_id": v, "limit": limit, "template_parameters": v, "template_components": v, "recipient": v});
            let _ = parse_task_config(&cfg.to_string());
        }
    }
}
