//! The HEADER component: format, text (one variable at most, ≤ 60 characters), media examples.

use super::*;

impl ComponentsCheck<'_> {
    pub(super) fn header(&mut self, obj: Object<'_>, path: Path<'_>) {
        if self.auth() {
            self.error(
                path,
                "auth_header_not_allowed",
                "AUTHENTICATION templates cannot have a header (their content is fixed by Meta).",
            );
            return;
        }
        let format = match get(obj, "format") {
            Some(Json::String(f)) => f,
            None | Some(Json::Null) => {
                self.error(
                    path.key("format"),
                    "header_format_missing",
                    "A HEADER needs a format: TEXT, IMAGE, VIDEO, DOCUMENT or LOCATION.",
                );
                return;
            }
            Some(other) => {
                self.wrong_type(path.key("format"), other, "a string");
                return;
            }
        };
        let is = |name: &str| is_keyword(format, name);
        if is("TEXT") {
            self.text_header(obj, path);
        } else if is("IMAGE") || is("VIDEO") || is("DOCUMENT") {
            let ok = matches!(
                get(obj, "example").and_then(|e| member(e, "header_handle")),
                Some(Json::Array(a)) if a.first().and_then(Json::as_str).is_some_and(|h| !h.is_empty())
            );
            if !ok {
                let format = Upper(format);
                self.error(
                    path.key("example.header_handle"),
                    "header_example_missing",
                    format!("A {format} header needs a sample: example.header_handle = [\"<handle>\"], where the handle comes from the Resumable Upload API (not a media id)."),
                );
            }
        } else if is("LOCATION") {
        } else if is("GIF") || is("PRODUCT") {
            let format = Upper(format);
            self.warning(
                path.key("format"),
                "header_format_limited",
                format!("{format} headers are only available in special template types (GIF: MM Lite; PRODUCT: single-product messages)."),
            );
        } else {
            let format = Upper(format);
            self.error(
                path.key("format"),
                "header_format_invalid",
                format!("\"{format}\" is not a header format; use TEXT, IMAGE, VIDEO, DOCUMENT or LOCATION."),
            );
        }
    }

    pub(super) fn text_header(&mut self, obj: Object<'_>, path: Path<'_>) {
        let Some(text) = self.text(obj, path, "header_text_missing", "A TEXT header") else {
            return;
        };
        let tpath = path.key("text");
        let len = char_len(text);
        if len > HEADER_TEXT_MAX_LEN {
            self.error(
                tpath,
                "header_text_too_long",
                format!("Header text is {len} characters; the limit is {HEADER_TEXT_MAX_LEN} (variables included)."),
            );
        }
        // Bytes, not chars: the characters looked for are ASCII, and no byte of a multi-byte
        // UTF-8 character is ASCII.
        let bytes = text.as_bytes();
        if bytes.iter().any(|&b| b == b'\n' || b == b'\r') {
            self.error(
                tpath,
                "header_text_newline",
                "Header text must be a single line.",
            );
        }
        if has_emoji(text) {
            self.error(
                tpath,
                "header_text_emoji",
                "Header text cannot contain emoji (platform-rules §1.4); move it to the body.",
            );
        }
        if bytes.iter().any(|b| matches!(b, b'*' | b'_' | b'~' | b'`')) && !has_open(text) {
            self.warning(
                tpath,
                "header_text_formatting",
                "Headers do not support WhatsApp formatting (*bold*, _italic_, ~strike~, ```mono```); the symbols are shown as typed.",
            );
        }
        let vars = check(
            text,
            self.format,
            Placement { body: false },
            tpath,
            self.issues,
        );
        if vars.count() > 1 {
            self.error(
                tpath,
                "header_too_many_variables",
                format!(
                    "A TEXT header may have at most 1 variable; this one has {}.",
                    vars.count()
                ),
            );
        }
        self.examples(
            obj,
            path,
            &vars,
            "header_text",
            "header_text_named_params",
            false,
        );
    }
}
