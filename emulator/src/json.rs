//! JSON output the way Graph writes it: PHP `json_encode` style, i.e. every non-ASCII
//! character escaped as `\uXXXX` (lowercase hex, UTF-16 surrogate pairs above U+FFFF) and `/`
//! escaped as `\/`. Webhook signatures are computed over exactly these bytes.

use serde::Serialize;
use serde_json::ser::Formatter;
use std::io::{self, Write};

#[derive(Debug, Default, Clone, Copy)]
struct MetaFormatter;

impl Formatter for MetaFormatter {
    fn write_string_fragment<W: ?Sized + Write>(
        &mut self,
        w: &mut W,
        fragment: &str,
    ) -> io::Result<()> {
        let bytes = fragment.as_bytes();
        let mut start = 0;
        for (i, ch) in fragment.char_indices() {
            if ch.is_ascii() && ch != '/' {
                continue;
            }
            if let Some(run) = bytes.get(start..i) {
                w.write_all(run)?;
            }
            if ch == '/' {
                w.write_all(b"\\/")?;
            } else {
                let mut units = [0u16; 2];
                for u in ch.encode_utf16(&mut units) {
                    write!(w, "\\u{:04x}", u)?;
                }
            }
            start = i + ch.len_utf8();
        }
        if let Some(run) = bytes.get(start..) {
            w.write_all(run)?;
        }
        Ok(())
    }
}

/// Serializes `value` as Graph would send it (ASCII only).
pub fn to_meta_vec<T: Serialize + ?Sized>(value: &T) -> Vec<u8> {
    let mut out = Vec::with_capacity(256);
    let mut ser = serde_json::Serializer::with_formatter(&mut out, MetaFormatter);
    if value.serialize(&mut ser).is_err() {
        return b"{}".to_vec();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn escapes_like_php() {
        let v = json!({"t": "Olá 🎉 a/b \"q\"\n"});
        let s = String::from_utf8(to_meta_vec(&v)).unwrap_or_default();
        assert_eq!(s, r#"{"t":"Ol\u00e1 \ud83c\udf89 a\/b \"q\"\n"}"#);
        let back: serde_json::Value = serde_json::from_str(&s).unwrap_or_default();
        assert_eq!(back, v);
    }
}
