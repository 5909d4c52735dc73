//! Every builder by name on its input as JSON text — what the JS builders run, and
//! [`build_request_json`] natively. The input is parsed once ([`Doc`]) and read borrowed.

use crate::domain::error::Error;
use crate::domain::input::Reader;
use crate::domain::json::Doc;
use crate::domain::message::{
    mark_as_read, send_media, send_template, send_text, MarkAsReadInput, SendMediaInput,
    SendTemplateParts, SendTextInput,
};
use crate::domain::request::ApiRequest;
use crate::domain::template::{
    create_template, get_templates, CreateTemplateInput, GetTemplatesInput,
};
use crate::domain::url::{BuildOptions, Post};

/// The builders the JS API runs on the input's JSON text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum JsonBuilder {
    /// [`build_send_template`](crate::build_send_template).
    Template,
    /// [`build_send_text`](crate::build_send_text).
    Text,
    /// [`build_send_media`](crate::build_send_media).
    Media,
    /// [`build_mark_as_read`](crate::build_mark_as_read).
    MarkAsRead,
    /// [`build_create_template`](crate::domain::template::build_create_template).
    CreateTemplate,
    /// [`build_get_templates`](crate::domain::template::build_get_templates).
    GetTemplates,
}

/// What [`build_json`] builds: a JSON `POST` (URL and body) or a `GET` (URL).
#[derive(Debug)]
pub(crate) enum Built {
    /// A JSON `POST` (the message builders).
    Post(Post),
    /// A `GET` (its URL).
    Get(String),
}

/// A builder run on a JS input's JSON text (options in the same object), with the same result
/// as the native builder on the same input: the text is parsed once ([`Doc`]) and read from
/// there. The template message's input is read borrowed (its values and approved template too);
/// the other inputs into their structs. One function for every builder: one copy of the parsing
/// and option glue.
pub(crate) fn build_json(kind: JsonBuilder, text: &str) -> Result<Built, Error> {
    let doc = Doc::parse(text).map_err(|e| {
        Error::invalid(
            "input",
            "invalid_json",
            format!("The input is not valid JSON ({}).", e),
        )
    })?;
    // One reader for the input and its options. The options are read after the input, so their
    // issues follow the input's; a non-object input has no options (nor issues for them).
    let mut r = Reader::of(doc.root(), "", "an object");
    let post = match kind {
        JsonBuilder::Template => {
            let (mut t, components) = SendTemplateParts::read(&mut r);
            t.components = components.as_deref();
            send_template(&t, &input_options(r)?)
        }
        JsonBuilder::Text => {
            let t = SendTextInput::read(&mut r);
            send_text(&t, &input_options(r)?)
        }
        JsonBuilder::Media => {
            let t = SendMediaInput::read(&mut r);
            send_media(&t, &input_options(r)?)
        }
        JsonBuilder::MarkAsRead => {
            let t = MarkAsReadInput::read(&mut r);
            mark_as_read(&t, &input_options(r)?)
        }
        JsonBuilder::CreateTemplate => {
            let t = CreateTemplateInput::read(&mut r);
            create_template(&t, &input_options(r)?)
        }
        JsonBuilder::GetTemplates => {
            let t = GetTemplatesInput::read(&mut r);
            return get_templates(&t, &input_options(r)?).map(Built::Get);
        }
    };
    post.map(Built::Post)
}

/// Runs a builder on its input as JSON text, exactly as the JS builders do (`builder`:
/// `sendTemplate`, `sendText`, `sendMedia`, `markAsRead`, `createTemplate`, `getTemplates`; the
/// options `apiVersion`/`baseUrl` in the same object). Numbers the request forwards keep their
/// text (a location `62.216009808114364` leaves as written).
///
/// ```
/// use whatsapp_business::{build_request_json, Error};
/// let req = build_request_json(
///     "sendText",
///     r#"{"phoneNumberId":"1234567890","to":"27821234567","text":"Hi","apiVersion":"v24.0"}"#,
/// )
/// .unwrap();
/// assert_eq!(req.url, "https://graph.facebook.com/v24.0/1234567890/messages");
/// let Err(Error::Validation { issues }) = build_request_json("sendText", "{}") else { panic!() };
/// assert_eq!(issues[0].path, "phoneNumberId");
/// ```
pub fn build_request_json(builder: &str, input: &str) -> Result<ApiRequest, Error> {
    let kind = match builder {
        "sendTemplate" => JsonBuilder::Template,
        "sendText" => JsonBuilder::Text,
        "sendMedia" => JsonBuilder::Media,
        "markAsRead" => JsonBuilder::MarkAsRead,
        "createTemplate" => JsonBuilder::CreateTemplate,
        "getTemplates" => JsonBuilder::GetTemplates,
        other => {
            return Err(Error::invalid(
                "builder",
                "invalid_input",
                format!("\"{other}\" is not a builder: sendTemplate, sendText, sendMedia, markAsRead, createTemplate or getTemplates."),
            ))
        }
    };
    Ok(match build_json(kind, input)? {
        Built::Post(post) => post.into_request(),
        Built::Get(url) => ApiRequest::get(url),
    })
}

/// The options (read after the input with the same reader), or every issue: the input's then
/// the options'.
fn input_options(mut r: Reader<'_>) -> Result<BuildOptions, Error> {
    let opts = BuildOptions::read_from(&mut r);
    r.finish(opts)
        .map_err(|issues| Error::Validation { issues })
}

/// With the `serde` feature, native callers can read an input with serde (`serde_json::from_str`)
/// or with the crate's reader (`from_json`, what the builders use): both give the same input.
/// (JSON kept as text is compared as text: serde_json sorts an object's keys, so the objects
/// here are written with sorted keys.)
#[cfg(test)]
#[cfg(feature = "serde")]
mod serde_agreement {
    use crate::domain::message::{
        MarkAsReadInput, SendMediaInput, SendTemplateInput, SendTextInput,
    };
    use crate::domain::template::{CreateTemplateInput, GetTemplatesInput};
    use crate::domain::url::BuildOptions;

    /// `text` read both ways.
    fn same<T>(text: &str, from_json: fn(&str) -> Result<T, Vec<crate::Issue>>)
    where
        T: serde::de::DeserializeOwned + PartialEq + std::fmt::Debug,
    {
        let serde: T = serde_json::from_str(text).unwrap_or_else(|e| panic!("{text}: {e}"));
        let tape = from_json(text).unwrap_or_else(|e| panic!("{text}: {e:?}"));
        assert_eq!(serde, tape, "{text}");
    }

    #[test]
    fn serde_and_the_tape_read_the_same_inputs() {
        same::<SendTextInput>(
            r#"{"phoneNumberId":"1","to":"27821234567","text":"Hi \"you\" é","previewUrl":true}"#,
            SendTextInput::from_json,
        );
        same::<SendTextInput>(
            r#"{"recipient":"US.1","recipientType":"individual"}"#,
            SendTextInput::from_json,
        );
        same::<SendMediaInput>(
            r#"{"phoneNumberId":"1","to":"2","mediaType":"document","link":"https://x.io/a.pdf","filename":"a.pdf","caption":"c","mimeType":"application/pdf","size":1024}"#,
            SendMediaInput::from_json,
        );
        same::<MarkAsReadInput>(
            r#"{"phoneNumberId":"1","messageId":"wamid.X","typingIndicator":true}"#,
            MarkAsReadInput::from_json,
        );
        same::<SendTemplateInput>(
            r#"{"phoneNumberId":"1","to":"2","templateName":"t","language":"en_US","bizOpaqueCallbackData":"k",
                "parameters":{"body":["a",1,true],"buttons":[null,"x"]},
                "components":[{"type":"BUTTON","sub_type":"URL","index":"0","parameters":[{"type":"text","text":"s"}]},
                  {"type":"header","parameters":[{"type":"location","location":{"latitude":-33.9249,"longitude":18.4241,"name":"CT"}}]},
                  {"type":"button","subType":"flow","index":1,"parameters":[{"type":"action","action":{"flow_action_data":{"a":[1,2.5,null]},"flow_token":"t"}}]}],
                "template":{"category":"UTILITY","components":[{"text":"Hi {{1}}","type":"BODY"}],"name":"t"}}"#,
            SendTemplateInput::from_json,
        );
        same::<CreateTemplateInput>(
            r#"{"businessAccountId":"1","name":"n","category":"UTILITY","language":"en_US","parameterFormat":"named",
                "components":[{"text":"Hi","type":"BODY"}]}"#,
            CreateTemplateInput::from_json,
        );
        same::<CreateTemplateInput>(
            r#"{"businessAccountId":"1","name":"n","category":"UTILITY","components":"[{\"type\":\"BODY\"}]"}"#,
            CreateTemplateInput::from_json,
        );
        same::<GetTemplatesInput>(
            r#"{"businessAccountId":"1","status":"APPROVED","limit":50,"after":"QVFI","name":"n"}"#,
            GetTemplatesInput::from_json,
        );
        same::<BuildOptions>(
            r#"{"apiVersion":"v24.0","baseUrl":"http://127.0.0.1:8089"}"#,
            BuildOptions::from_json,
        );
    }
}
