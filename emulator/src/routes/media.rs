//! Media: upload (`POST /{phone number id}/media`), get and delete by id, and the download URL.

use super::auth::{auth, need_waba, MSG};
use super::request::check_messaging_product;
use crate::errors::{self, wa, GraphErr};
use crate::state::{Media, State, Token};
use crate::{util, Ctx, Resp};
use serde_json::{json, Value};

/// (MIME type, max bytes) per §3.1.
fn media_limit(mime: &str) -> Option<usize> {
    const MB: usize = 1024 * 1024;
    match mime {
        "audio/aac" | "audio/amr" | "audio/mpeg" | "audio/mp4" | "audio/ogg" => Some(16 * MB),
        "text/plain"
        | "application/vnd.ms-excel"
        | "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        | "application/msword"
        | "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
        | "application/vnd.ms-powerpoint"
        | "application/vnd.openxmlformats-officedocument.presentationml.presentation"
        | "application/pdf" => Some(100 * MB),
        "image/jpeg" | "image/png" => Some(5 * MB),
        "image/webp" => Some(500 * 1024),
        "video/mp4" | "video/3gpp" => Some(16 * MB),
        _ => None,
    }
}

/// `POST /{phone number id}/media` (access already checked).
pub(super) fn upload(st: &mut State, ctx: &Ctx, pnid: &str, waba: &str) -> Result<Resp, GraphErr> {
    let boundary = crate::multipart::boundary(&ctx.content_type)
        .ok_or_else(|| errors::param_required("file"))?;
    let parts = crate::multipart::parse(&ctx.body, &boundary)
        .ok_or_else(|| errors::param("Invalid multipart body"))?;
    let text = |n: &str| {
        parts
            .iter()
            .find(|p| p.name == n)
            .map(|p| String::from_utf8_lossy(&p.data).trim().to_owned())
    };
    check_messaging_product(text("messaging_product").as_deref())?;
    let file = parts
        .iter()
        .find(|p| p.name == "file")
        .ok_or_else(|| errors::param_required("file"))?;
    let declared = text("type")
        .or_else(|| file.content_type.clone())
        .unwrap_or_default();
    let mime = declared
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    let max = media_limit(&mime).ok_or_else(|| {
        wa(
            400,
            131053,
            "Media upload error",
            format!("Unsupported file type \"{mime}\"; see the supported media types."),
        )
    })?;
    if let Some(ct) = &file.content_type {
        let part_mime = ct
            .split(';')
            .next()
            .unwrap_or("")
            .trim()
            .to_ascii_lowercase();
        if part_mime != mime && part_mime != "application/octet-stream" {
            return Err(wa(
                400,
                131053,
                "Media upload error",
                format!("The file's content type \"{part_mime}\" does not match type \"{mime}\"."),
            ));
        }
    }
    if file.data.is_empty() {
        return Err(wa(
            400,
            131053,
            "Media upload error",
            "The uploaded file is empty.",
        ));
    }
    if file.data.len() > max {
        return Err(wa(
            400,
            131053,
            "Media upload error",
            format!(
                "File size {} bytes exceeds the maximum of {max} bytes for {mime}.",
                file.data.len()
            ),
        ));
    }
    let id = st.new_numeric_id(500);
    st.media.insert(
        id.clone(),
        Media {
            phone_number_id: pnid.to_owned(),
            waba_id: waba.to_owned(),
            mime_type: mime,
            sha256: util::sha256_hex(&file.data),
            bytes: file.data.clone(),
        },
    );
    Ok(Resp::json(200, &json!({"id": id})))
}

/// `GET /{media id}`.
pub(super) fn get(md: &Media, ctx: &Ctx, tok: &Token, id: &str) -> Result<Resp, GraphErr> {
    need_waba(tok, MSG, &md.waba_id)?;
    Ok(Resp::json(200, &media_json(ctx, id, md)))
}

/// `DELETE /{media id}`.
pub(super) fn delete(st: &mut State, tok: &Token, id: &str) -> Result<Resp, GraphErr> {
    if let Some(md) = st.media.get(id) {
        need_waba(tok, MSG, &md.waba_id)?;
    }
    st.media.remove(id);
    Ok(Resp::json(200, &json!({"success": true})))
}

fn media_json(ctx: &Ctx, id: &str, md: &Media) -> Value {
    json!({
        "messaging_product": "whatsapp",
        "url": format!("http://{}/_media/{id}?phone_number_id={}", ctx.host, md.phone_number_id),
        "mime_type": md.mime_type,
        "sha256": md.sha256,
        "file_size": md.bytes.len(),
        "id": id
    })
}

/// `GET /_media/{id}`: the bytes behind a media URL.
pub(super) fn download(st: &State, ctx: &Ctx, id: &str) -> Result<Resp, GraphErr> {
    let tok = auth(st, ctx, false)?;
    let md = st
        .media
        .get(id)
        .ok_or_else(|| errors::unsupported("GET", id))?;
    need_waba(&tok, MSG, &md.waba_id)?;
    let ct: &'static str = match md.mime_type.as_str() {
        "image/jpeg" => "image/jpeg",
        "image/png" => "image/png",
        "image/webp" => "image/webp",
        "application/pdf" => "application/pdf",
        "video/mp4" => "video/mp4",
        "audio/ogg" => "audio/ogg",
        "audio/mpeg" => "audio/mpeg",
        "text/plain" => "text/plain",
        _ => "application/octet-stream",
    };
    Ok(Resp {
        status: 200,
        body: md.bytes.clone(),
        content_type: ct,
    })
}
