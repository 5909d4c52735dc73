//! The BODY component: text (≤ 1,024 characters), placeholders and their examples.

use super::*;

impl ComponentsCheck<'_> {
    pub(super) fn body(&mut self, obj: Object<'_>, path: Path<'_>) {
        if self.auth() {
            if get(obj, "text").is_some_and(|t| !t.is_null()) {
                self.error(
                    path.key("text"),
                    "auth_body_text_not_allowed",
                    "AUTHENTICATION templates use Meta's fixed body (\"{{1}} is your verification code.\"); remove text and set only add_security_recommendation.",
                );
            }
            if let Some(v) = get(obj, "add_security_recommendation") {
                if !v.is_boolean() && !v.is_null() {
                    self.wrong_type(path.key("add_security_recommendation"), v, "a boolean");
                }
            }
            return;
        }
        let Some(text) = self.text(obj, path, "body_text_missing", "The BODY") else {
            return;
        };
        let tpath = path.key("text");
        let len = char_len(text);
        if len > BODY_MAX_LEN {
            self.error(
                tpath,
                "body_too_long",
                format!(
                    "Body is {len} characters; the limit is {BODY_MAX_LEN} (variables included)."
                ),
            );
        }
        let vars = check(
            text,
            self.format,
            Placement { body: true },
            tpath,
            self.issues,
        );
        self.examples(
            obj,
            path,
            &vars,
            "body_text",
            "body_text_named_params",
            true,
        );
    }

    /// Example checks: positional `example.<pos_key>` (nested one level for the body), named
    /// `example.<named_key>` = `[{param_name, example}]`.
    pub(super) fn examples(
        &mut self,
        obj: Object<'_>,
        path: Path<'_>,
        vars: &VarSummary<'_>,
        pos_key: &'static str,
        named_key: &'static str,
        nested: bool,
    ) {
        if vars.count() == 0 {
            return;
        }
        let example = get(obj, "example");
        let named = !vars.named.is_empty();
        if named && vars.positional > 0 {
            return; // already reported as variables_mixed
        }
        let example_path = path.key("example");
        if !named {
            let key_path = example_path.key(pos_key);
            let raw = example.and_then(|e| member(e, pos_key));
            let list = match (raw, nested) {
                (Some(Json::Array(outer)), true) => match outer.first().map(finite) {
                    Some(Json::Array(inner)) => Some(inner),
                    _ => None,
                },
                (Some(Json::Array(a)), false) => Some(a),
                _ => None,
            };
            let Some(list) = list else {
                let shape = if nested {
                    "[[\"value 1\", \"value 2\"]]"
                } else {
                    "[\"value\"]"
                };
                match raw.filter(|r| !r.is_null()) {
                    None => self.error(
                        key_path,
                        "example_missing",
                        format!("Every variable needs a sample value: set example.{pos_key} = {shape} ({} value(s)); Meta rejects templates without them.", vars.count()),
                    ),
                    Some(given) => self.error(
                        key_path,
                        "example_wrong_shape",
                        format!("example.{pos_key} is present but in the wrong shape ({}): Meta expects {shape} ({} value(s)).", given.type_name(), vars.count()),
                    ),
                }
                return;
            };
            if list.len() != vars.count() {
                self.error(
                    key_path,
                    "example_count_mismatch",
                    format!(
                        "The text has {} variable(s) but example.{pos_key} gives {} value(s).",
                        vars.count(),
                        list.len()
                    ),
                );
            }
            if let Some((i, bad)) = list
                .iter()
                .map(finite)
                .enumerate()
                .find(|(_, v)| !matches!(v, Json::String(s) if !is_blank(s)))
            {
                self.error(
                    key_path.index(i),
                    "example_invalid",
                    format!(
                        "Sample values must be non-empty strings, got {}.",
                        bad.type_name()
                    ),
                );
            }
        } else {
            let key_path = example_path.key(named_key);
            let given = example.and_then(|e| member(e, named_key));
            let Some(Json::Array(list)) = given else {
                let (code, what) = match given.filter(|g| !g.is_null()) {
                    None => ("example_missing", String::new()),
                    Some(g) => (
                        "example_wrong_shape",
                        format!(
                            "example.{named_key} is present but in the wrong shape ({}). ",
                            g.type_name()
                        ),
                    ),
                };
                self.error(
                    key_path,
                    code,
                    format!("{what}Every variable needs a sample value: set example.{named_key} = [{{\"param_name\": \"…\", \"example\": \"…\"}}] for each name."),
                );
                return;
            };
            // The names of the usable samples, in order (read again instead of collected).
            let given = || {
                list.iter().filter_map(|item| {
                    let name = member(item, "param_name").and_then(Json::as_str);
                    let ex = member(item, "example").and_then(Json::as_str);
                    match (name, ex) {
                        (Some(n), Some(e)) if !is_blank(e) => Some(n),
                        _ => None,
                    }
                })
            };
            for (i, item) in list.iter().enumerate() {
                let name = member(item, "param_name").and_then(Json::as_str);
                let ex = member(item, "example").and_then(Json::as_str);
                if !matches!((name, ex), (Some(_), Some(e)) if !is_blank(e)) {
                    self.error(
                        key_path.index(i),
                        "example_invalid",
                        "Each named sample needs a param_name and a non-empty example string.",
                    );
                }
            }
            for name in &vars.named {
                if !given().any(|g| g == *name) {
                    self.error(
                        key_path,
                        "example_missing",
                        format!("No sample value for {{{{{name}}}}}."),
                    );
                }
            }
            for g in given() {
                if !vars.named.contains(&g) {
                    self.error(
                        key_path,
                        "example_name_mismatch",
                        format!(
                            "A sample is given for \"{g}\", which is not a variable of this text."
                        ),
                    );
                }
            }
        }
    }
}
