//! A small `multipart/form-data` parser for fully received bodies (media upload, §3.2).

use bytes::Bytes;

#[derive(Debug, Clone)]
pub struct Part {
    pub name: String,
    pub content_type: Option<String>,
    pub data: Bytes,
}

/// The `boundary` parameter of a multipart content type.
pub fn boundary(content_type: &str) -> Option<String> {
    let (mime, params) = content_type.split_once(';')?;
    if !mime.trim().eq_ignore_ascii_case("multipart/form-data") {
        return None;
    }
    params.split(';').find_map(|p| {
        let (k, v) = p.split_once('=')?;
        k.trim()
            .eq_ignore_ascii_case("boundary")
            .then(|| v.trim().trim_matches('"').to_owned())
    })
}

fn find(hay: &[u8], needle: &[u8], from: usize) -> Option<usize> {
    if needle.is_empty() {
        return None;
    }
    hay.get(from..)?
        .windows(needle.len())
        .position(|w| w == needle)
        .map(|p| p + from)
}

fn param(header: &str, key: &str) -> Option<String> {
    header.split(';').skip(1).find_map(|p| {
        let (k, v) = p.split_once('=')?;
        k.trim()
            .eq_ignore_ascii_case(key)
            .then(|| v.trim().trim_matches('"').to_owned())
    })
}

/// Splits `body` into parts; `None` if it is not well-formed.
pub fn parse(body: &Bytes, boundary: &str) -> Option<Vec<Part>> {
    let delim = format!("--{boundary}");
    let delim = delim.as_bytes();
    let mut cursor = find(body, delim, 0)? + delim.len();
    let mut parts = Vec::new();
    loop {
        let rest = body.get(cursor..)?;
        if rest.starts_with(b"--") {
            return Some(parts);
        }
        if rest.starts_with(b"\r\n") {
            cursor += 2;
        }
        let header_end = find(body, b"\r\n\r\n", cursor)?;
        let headers = std::str::from_utf8(body.get(cursor..header_end)?).ok()?;
        let content_start = header_end + 4;
        let mut closing = Vec::with_capacity(delim.len() + 2);
        closing.extend_from_slice(b"\r\n");
        closing.extend_from_slice(delim);
        let content_end = find(body, &closing, content_start)?;
        let mut part = Part {
            name: String::new(),
            content_type: None,
            data: body.slice(content_start..content_end),
        };
        for line in headers.split("\r\n") {
            let Some((k, v)) = line.split_once(':') else {
                continue;
            };
            if k.trim().eq_ignore_ascii_case("content-disposition") {
                part.name = param(v, "name").unwrap_or_default();
            } else if k.trim().eq_ignore_ascii_case("content-type") {
                part.content_type = Some(v.trim().to_owned());
            }
        }
        parts.push(part);
        cursor = content_end + closing.len();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_two_parts() {
        let body = Bytes::from_static(
            b"--XyZ\r\nContent-Disposition: form-data; name=\"messaging_product\"\r\n\r\nwhatsapp\r\n--XyZ\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.png\"\r\nContent-Type: image/png\r\n\r\n\x89PNG\r\n--XyZ--\r\n",
        );
        let b = boundary("multipart/form-data; boundary=XyZ").unwrap_or_default();
        let parts = parse(&body, &b).unwrap_or_default();
        assert_eq!(parts.len(), 2);
        assert_eq!(
            parts.first().map(|p| p.data.as_ref()),
            Some(&b"whatsapp"[..])
        );
        let f = parts.get(1);
        assert_eq!(
            f.and_then(|p| p.content_type.clone()).as_deref(),
            Some("image/png")
        );
        assert_eq!(f.map(|p| p.data.as_ref()), Some(&b"\x89PNG"[..]));
    }
}
