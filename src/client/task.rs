//! Runs the seed's automation task (`runTask`) over the client: configuration fields in, the
//! seed's output fields out. A failure never escapes as an error: it becomes `run: false` with a
//! `run_text` that says what went wrong and what to do, plus `error_code` and `error_kind`.

use super::{Client, Runtime};
use crate::client::token::TokenProvider;
use crate::domain::error::{Error, ErrorKind};
use crate::domain::input::member;
use crate::domain::json::{Doc, Json, Obj, RawJson};
use crate::domain::message::{
    build_send_template, MarkAsReadInput, SendMediaInput, SendTemplateInput, SendTextInput,
};
use crate::domain::task::{parse_task_config_json, ActionName, TaskAction, TaskOutput};
use crate::domain::template::{CreateTemplateInput, GetTemplatesInput};
use crate::transport::{LocalFuture, Transport};
/// Resolves an `app_connection_id` to a client (one connection per WABA, many per customer).
pub trait Connections {
    /// The client type.
    type Client;
    /// The client for `connection_id`, or `None` when there is no such connection.
    fn client<'a>(
        &'a self,
        connection_id: &'a str,
    ) -> LocalFuture<'a, Result<Option<Self::Client>, Error>>;
}

/// Parses `config` (the task configuration's JSON text), resolves its connection and runs the
/// action. Never fails: see the module docs.
pub async fn run_task<T, R, P, C>(config: &str, connections: &C) -> TaskOutput
where
    T: Transport,
    R: Runtime,
    P: TokenProvider,
    C: Connections<Client = Client<T, R, P>>,
{
    let Ok(doc) = Doc::parse(config) else {
        let e = Error::invalid("", "invalid_json", "The task configuration is not JSON.");
        return TaskOutput::failure(None, "", &e);
    };
    let action_text = member(doc.root(), "action")
        .and_then(Json::as_str)
        .unwrap_or_default()
        .to_owned();
    let action = ActionName::parse(&action_text);
    let request = match parse_task_config_json(doc.root()) {
        Ok(r) => r,
        Err(e) => return TaskOutput::failure(action, &action_text, &e),
    };
    drop(doc);
    let client = match connections.client(&request.connection_id).await {
        Ok(Some(c)) => c,
        Ok(None) => {
            let e = Error::Refused {
                kind: ErrorKind::Auth,
                code: "no_connection",
                message: format!("No app connection \"{}\" was found.", request.connection_id),
            };
            return TaskOutput::failure(action, &action_text, &e);
        }
        Err(e) => return TaskOutput::failure(action, &action_text, &e),
    };
    match execute_task(&client, &request.action).await {
        Ok(out) => out,
        Err(e) => TaskOutput::failure(action, &action_text, &e),
    }
}

/// The task's `recipient` as `(to, recipient)`: a phone number goes in `to`, a business-scoped
/// user id (`US.1349…`, a webhook's `fromUserId`) in `recipient`.
fn split_recipient(recipient: &str) -> (String, Option<String>) {
    if crate::domain::message::is_bsuid(recipient) {
        (String::new(), Some(recipient.to_owned()))
    } else {
        (recipient.to_owned(), None)
    }
}

/// `template_parameters` as the builder takes it: values (array, JSON text, named map, per
/// component), or full send components when given as an array of `{type: ...}` objects. Read with
/// the core's own input reader, so a malformed component is an issue at its path.
fn template_input(
    phone_number_id: &str,
    recipient: &str,
    name: &str,
    language: &str,
    parameters: &RawJson,
) -> Result<SendTemplateInput, Error> {
    // The builder's JS input shape, read by its own reader.
    let mut text = String::with_capacity(128 + parameters.as_str().len());
    let mut o = Obj::new(&mut text);
    o.field("phoneNumberId", &phone_number_id);
    // The task's recipient: a phone number, or a business-scoped user id (sent as `recipient`).
    let key = if crate::domain::message::is_bsuid(recipient) {
        "recipient"
    } else {
        "to"
    };
    o.field(key, &recipient)
        .field("templateName", &name)
        .field("language", &language);
    match parameters.doc().as_ref().map(Doc::root) {
        Some(Json::Array(items)) if items.is_empty() => {}
        Some(Json::Array(items)) if items.iter().all(|i| i.get("type").is_some()) => {
            o.field("components", parameters);
        }
        None | Some(Json::Null) => {}
        Some(_) => {
            o.field("parameters", parameters);
        }
    }
    o.end();
    SendTemplateInput::from_json(&text).map_err(|issues| Error::Validation {
        issues: issues
            .into_iter()
            .map(|mut i| {
                if i.path.starts_with("components") || i.path.starts_with("parameters") {
                    i.path = format!(
                        "template_parameters{}",
                        i.path
                            .strip_prefix("components")
                            .or_else(|| i.path.strip_prefix("parameters"))
                            .unwrap_or(&i.path)
                    );
                }
                i
            })
            .collect(),
    })
}

fn needs_template(e: &Error) -> bool {
    matches!(e, Error::Validation { issues } if issues.iter().any(|i| i.code == "button_values_need_template"))
}

/// The template `name` in `language` as `get_templates` returns it (for binding button values).
async fn approved_template<T: Transport, R: Runtime, P: TokenProvider>(
    client: &Client<T, R, P>,
    waba: &str,
    name: &str,
    language: &str,
) -> Result<RawJson, Error> {
    let input = GetTemplatesInput {
        business_account_id: waba.to_owned(),
        name: Some(name.to_owned()),
        limit: 100,
        ..GetTemplatesInput::default()
    };
    let found = client
        .get_templates(&input)
        .await?
        .into_iter()
        .find(|t| t.name == name && t.language.as_deref() == Some(language));
    match found {
        Some(t) => Ok(RawJson::written(&t)),
        None => Err(Error::Refused {
            kind: ErrorKind::Template,
            code: "template_not_found",
            message: format!("No template \"{name}\" in {language} was found in WhatsApp Business Account {waba}."),
        }),
    }
}

/// Runs one parsed action with `client`.
pub async fn execute_task<T: Transport, R: Runtime, P: TokenProvider>(
    client: &Client<T, R, P>,
    action: &TaskAction,
) -> Result<TaskOutput, Error> {
    let mut out = TaskOutput::success(action.name());
    match action {
        TaskAction::SendTemplate {
            business_account_id,
            phone_number_id,
            recipient,
            template_name,
            template_language,
            template_parameters,
        } => {
            let mut input = template_input(
                phone_number_id,
                recipient,
                template_name,
                template_language,
                template_parameters,
            )?;
            if let Err(e) = build_send_template(&input, &client.build_options()) {
                // Button values given as plain values need the approved template to know each
                // button's type: look it up in the WABA (one extra read, only in this case).
                match (needs_template(&e), business_account_id) {
                    (true, Some(waba)) => {
                        input.template = Some(
                            approved_template(client, waba, template_name, template_language)
                                .await?,
                        );
                    }
                    _ => return Err(e),
                }
            }
            let sent = client.send_template(&input).await?;
            out.message_id = Some(sent.message_id);
            out.recipient = Some(recipient.clone());
            out.template_name = Some(template_name.clone());
        }
        TaskAction::CreateTemplate {
            business_account_id,
            template_name,
            template_category,
            template_language,
            template_components,
        } => {
            let input = CreateTemplateInput {
                business_account_id: business_account_id.clone(),
                name: template_name.clone(),
                category: template_category.clone(),
                language: Some(template_language.clone()),
                components: template_components.clone(),
                parameter_format: None,
                extra: Vec::new(),
            };
            let created = client.create_template(&input).await?;
            out.template_id = Some(created.id);
            out.template_name = Some(template_name.clone());
            out.status = Some(created.status.unwrap_or_else(|| "PENDING".to_owned()));
        }
        TaskAction::GetTemplates {
            business_account_id,
            status_filter,
            limit,
        } => {
            let input = GetTemplatesInput {
                business_account_id: business_account_id.clone(),
                status: status_filter.clone(),
                limit: *limit,
                ..GetTemplatesInput::default()
            };
            let templates = client.get_templates(&input).await?;
            out.count = Some(templates.len());
            out.templates = Some(RawJson::written(&templates));
        }
        TaskAction::SendText {
            phone_number_id,
            recipient,
            message_text,
            preview_url,
        } => {
            let (to, bsuid) = split_recipient(recipient);
            let input = SendTextInput {
                phone_number_id: phone_number_id.clone(),
                to,
                recipient: bsuid,
                text: message_text.clone(),
                preview_url: *preview_url,
                ..Default::default()
            };
            let sent = client.send_text(&input).await?;
            out.message_id = Some(sent.message_id);
            out.recipient = Some(recipient.clone());
        }
        TaskAction::SendMedia {
            phone_number_id,
            recipient,
            media_type,
            media_url,
            media_id,
            caption,
            filename,
        } => {
            let (to, bsuid) = split_recipient(recipient);
            let input = SendMediaInput {
                phone_number_id: phone_number_id.clone(),
                to,
                recipient: bsuid,
                media_type: media_type.clone(),
                link: media_url.clone(),
                media_id: media_id.clone(),
                caption: caption.clone(),
                filename: filename.clone(),
                ..SendMediaInput::default()
            };
            let sent = client.send_media(&input).await?;
            out.message_id = Some(sent.message_id);
            out.recipient = Some(recipient.clone());
            out.media_type = Some(media_type.clone());
        }
        TaskAction::GetMessageStatus { message_id } => {
            out.data = Some(client.get_message_status(message_id).await?);
            out.message_id = Some(message_id.clone());
        }
        TaskAction::MarkAsRead {
            phone_number_id,
            message_id,
        } => {
            let input = MarkAsReadInput {
                phone_number_id: phone_number_id.clone(),
                message_id: message_id.clone(),
                ..MarkAsReadInput::default()
            };
            out.success = Some(client.mark_as_read(&input).await?);
            out.message_id = Some(message_id.clone());
        }
    }
    Ok(out)
}
