//! The BUTTONS component: counts and grouping, then each button by type (URL, phone, copy code,
//! OTP, flow, …).

use super::*;

impl ComponentsCheck<'_> {
    pub(super) fn buttons(&mut self, obj: Object<'_>, path: Path<'_>) {
        let bpath = path.key("buttons");
        let list = match get(obj, "buttons") {
            Some(Json::Array(a)) if !a.is_empty() => a,
            Some(Json::Array(_)) | None | Some(Json::Null) => {
                self.error(
                    bpath,
                    "buttons_empty",
                    "A BUTTONS component needs a non-empty buttons array.",
                );
                if self.auth() {
                    self.error(
                        bpath,
                        "auth_otp_button_missing",
                        "AUTHENTICATION templates need exactly one OTP button.",
                    );
                }
                return;
            }
            Some(other) => {
                self.wrong_type(bpath, other, "an array of buttons");
                return;
            }
        };
        if list.len() > BUTTONS_MAX {
            self.error(
                bpath,
                "buttons_too_many",
                format!(
                    "A template may have at most {BUTTONS_MAX} buttons; this one has {}.",
                    list.len()
                ),
            );
        }
        // How many of each limited type, and the types in order of first appearance (the order
        // of the `buttons_too_many_of_type` issues).
        let mut counts = [0usize; BUTTON_TYPES.len()];
        let mut order = [0usize; BUTTON_TYPES.len()];
        let mut seen = 0usize;
        let mut qr_runs = 0usize;
        let mut prev_qr: Option<bool> = None;
        for (i, b) in list.iter().enumerate() {
            let b = finite(b);
            let p = bpath.index(i);
            let Some(bo) = b.as_object() else {
                self.wrong_type(p, b, "a button object");
                continue;
            };
            let raw = match get(bo, "type") {
                Some(Json::String(t)) => t,
                Some(other) => {
                    self.wrong_type(p.key("type"), other, "a string");
                    continue;
                }
                None => {
                    self.error(
                        p.key("type"),
                        "button_type_missing",
                        "Each button needs a type: QUICK_REPLY, URL, PHONE_NUMBER, COPY_CODE, OTP, FLOW or VOICE_CALL.",
                    );
                    continue;
                }
            };
            let ty = button_type(raw);
            let is_qr = ty == Some(QUICK_REPLY);
            if prev_qr != Some(is_qr) && is_qr {
                qr_runs += 1;
            }
            prev_qr = Some(is_qr);
            if let Some(t) = ty {
                if let Some(c) = counts.get_mut(t) {
                    if *c == 0 {
                        if let Some(slot) = order.get_mut(seen) {
                            *slot = t;
                        }
                        seen += 1;
                    }
                    *c += 1;
                }
            }
            if ty != Some(OTP) && self.auth() {
                self.error(
                    p.key("type"),
                    "auth_button_not_allowed",
                    format!(
                        "AUTHENTICATION templates allow only the OTP button, not {}.",
                        Upper(raw)
                    ),
                );
            }
            self.button(bo, ty, raw, p);
        }
        if qr_runs > 1 {
            self.error(
                bpath,
                "quick_replies_not_grouped",
                "Quick-reply buttons must be grouped together, all before or all after the other buttons.",
            );
        }
        for &t in order.iter().take(seen) {
            let (Some(&(name, max)), Some(&n)) = (BUTTON_TYPES.get(t), counts.get(t)) else {
                continue;
            };
            if n > max {
                self.error(
                    bpath,
                    "buttons_too_many_of_type",
                    format!(
                        "A template may have at most {max} {name} button(s); this one has {n}."
                    ),
                );
            }
        }
        if self.auth() && counts.get(OTP).copied().unwrap_or(0) == 0 {
            self.error(
                bpath,
                "auth_otp_button_missing",
                "AUTHENTICATION templates need exactly one OTP button (otp_type COPY_CODE, ONE_TAP or ZERO_TAP).",
            );
        }
    }

    /// One button of type `ty` ([`BUTTON_TYPES`] index; `None`: another type), written `raw`.
    pub(super) fn button(&mut self, b: Object<'_>, ty: Option<usize>, raw: &str, p: Path<'_>) {
        let text = match get(b, "text") {
            Some(Json::String(s)) => Some(s),
            None | Some(Json::Null) => None,
            Some(other) => {
                self.wrong_type(p.key("text"), other, "a string");
                return;
            }
        };
        let text_required = !matches!(ty, Some(OTP | COPY_CODE | MPM | SPM | CATALOG));
        match text {
            Some(t) if !is_blank(t) => {
                let len = char_len(t);
                if len > BUTTON_TEXT_MAX_LEN {
                    self.error(
                        p.key("text"),
                        "button_text_too_long",
                        format!("Button text is {len} characters; the limit is {BUTTON_TEXT_MAX_LEN}."),
                    );
                }
                if self.auth() && has_emoji(t) {
                    self.error(
                        p.key("text"),
                        "auth_emoji_not_allowed",
                        "AUTHENTICATION templates cannot contain emoji.",
                    );
                }
                if has_open(t) {
                    self.error(
                        p.key("text"),
                        "button_text_variables_not_allowed",
                        "Button labels cannot contain variables.",
                    );
                }
            }
            _ if text_required => self.error(
                p.key("text"),
                "button_text_missing",
                format!(
                    "A {} button needs a text (its label, at most {BUTTON_TEXT_MAX_LEN} characters).",
                    Upper(raw)
                ),
            ),
            _ => {}
        }
        match ty {
            Some(QUICK_REPLY | VOICE_CALL) => {}
            Some(URL) => self.url_button(b, p),
            Some(PHONE_NUMBER) => match get(b, "phone_number") {
                Some(Json::String(n)) if !is_blank(n) => {
                    let len = char_len(n);
                    if len > BUTTON_PHONE_MAX_LEN {
                        self.error(
                            p.key("phone_number"),
                            "button_phone_too_long",
                            format!("The phone number is {len} characters; the limit is {BUTTON_PHONE_MAX_LEN} (with + and country code)."),
                        );
                    }
                    // Bytes: every allowed character is ASCII, so any non-ASCII byte is not.
                    let digits = n.bytes().filter(u8::is_ascii_digit).count();
                    if digits < 8
                        || n.bytes().any(|c| {
                            !(c.is_ascii_digit() || matches!(c, b'+' | b' ' | b'-' | b'(' | b')'))
                        })
                    {
                        self.error(
                            p.key("phone_number"),
                            "button_phone_invalid",
                            "The phone number must be in international format, e.g. +15550001234.",
                        );
                    }
                }
                _ => self.error(
                    p.key("phone_number"),
                    "button_phone_missing",
                    "A PHONE_NUMBER button needs phone_number (international format, e.g. +15550001234).",
                ),
            },
            Some(COPY_CODE) => match get(b, "example") {
                Some(Json::String(e)) if !is_blank(e) => {
                    let len = char_len(e);
                    if len > COPY_CODE_MAX_LEN {
                        self.error(
                            p.key("example"),
                            "button_copy_code_example_too_long",
                            format!("The sample code is {len} characters; keep it at most {COPY_CODE_MAX_LEN}."),
                        );
                    }
                }
                _ => self.error(
                    p.key("example"),
                    "button_copy_code_example_missing",
                    "A COPY_CODE button needs example: a sample code such as \"SAVE30\".",
                ),
            },
            Some(OTP) => self.otp_button(b, p),
            Some(FLOW) => {
                if !["flow_id", "flow_name", "flow_json"]
                    .into_iter()
                    .any(|k| get(b, k).is_some_and(|v| !v.is_null()))
                {
                    self.error(
                        p,
                        "button_flow_missing",
                        "A FLOW button needs flow_id, flow_name or flow_json.",
                    );
                }
                if let Some(a) = get(b, "flow_action") {
                    if !matches!(a.as_str(), Some("navigate" | "data_exchange")) {
                        self.error(
                            p.key("flow_action"),
                            "button_flow_action_invalid",
                            "flow_action must be \"navigate\" or \"data_exchange\".",
                        );
                    }
                }
            }
            Some(MPM | SPM | CATALOG) => self.warning(
                p,
                "component_not_checked",
                format!(
                    "{} buttons are passed to Meta as they are; this library does not check them yet.",
                    Upper(raw)
                ),
            ),
            _ => self.error(
                p.key("type"),
                "button_type_unknown",
                format!(
                    "\"{}\" is not a button type; use QUICK_REPLY, URL, PHONE_NUMBER, COPY_CODE, OTP, FLOW or VOICE_CALL.",
                    Upper(raw)
                ),
            ),
        }
    }

    pub(super) fn url_button(&mut self, b: Object<'_>, p: Path<'_>) {
        let upath = p.key("url");
        let url = match get(b, "url") {
            Some(Json::String(u)) if !is_blank(u) => u,
            _ => {
                self.error(
                    upath,
                    "button_url_missing",
                    "A URL button needs url, e.g. https://example.com/track/{{1}}.",
                );
                return;
            }
        };
        if self.auth() {
            return; // already reported as auth_button_not_allowed
        }
        let len = char_len(url);
        if len > BUTTON_URL_MAX_LEN {
            self.error(
                upath,
                "button_url_too_long",
                format!("The URL is {len} characters; the limit is {BUTTON_URL_MAX_LEN}."),
            );
        }
        // The first 8 (7) bytes equal to ASCII `https://` (`http://`) ignoring case are the
        // first 8 (7) characters: no byte of a multi-byte character is ASCII.
        let bytes = url.as_bytes();
        let http = bytes
            .get(..8)
            .is_some_and(|s| s.eq_ignore_ascii_case(b"https://"))
            || bytes
                .get(..7)
                .is_some_and(|s| s.eq_ignore_ascii_case(b"http://"));
        if !http || has_whitespace(url) {
            self.error(
                upath,
                "button_url_invalid",
                "The URL must be an absolute http(s) URL without spaces.",
            );
        }
        let mut pieces = scan(url);
        let mut n = 0usize;
        let mut first = None;
        for piece in pieces.by_ref() {
            if let Piece::Var(v) = piece {
                n += 1;
                first.get_or_insert(v);
            }
        }
        if pieces.unmatched > 0 {
            self.error(
                upath,
                "variable_unmatched_braces",
                "The URL has a '{{' or '}}' that is not part of a variable such as {{1}}.",
            );
        }
        if n > 1 {
            self.error(
                upath,
                "button_url_too_many_variables",
                format!("A URL may contain at most 1 variable; this one has {n}."),
            );
        }
        if n >= 1 {
            if !trimmed_ends_with_close(url) {
                self.error(
                    upath,
                    "button_url_variable_not_at_end",
                    "The URL variable must be at the very end, e.g. https://example.com/track/{{1}}.",
                );
            }
            if let Some(Var::Invalid(raw)) = first {
                self.error(
                    upath,
                    "variable_invalid",
                    format!("{{{{{raw}}}}} is not a valid variable; URL buttons use {{{{1}}}}."),
                );
            }
            let example = match get(b, "example") {
                Some(Json::Array(a)) => a.first().and_then(Json::as_str),
                Some(Json::String(s)) => Some(s),
                _ => None,
            };
            match example {
                Some(e) if !is_blank(e) => {
                    let prefix = url
                        .get(..find_pair(url, b'{').unwrap_or(url.len()))
                        .unwrap_or("");
                    if !e.starts_with(prefix) {
                        self.warning(
                            p.key("example"),
                            "button_url_example_mismatch",
                            format!("The example should be the full URL with a sample value, starting with \"{prefix}\"."),
                        );
                    }
                }
                _ => self.error(
                    p.key("example"),
                    "button_url_example_missing",
                    "A URL with a variable needs example: [\"<the full URL with a sample value>\"], e.g. [\"https://example.com/track/ABC123\"].",
                ),
            }
        }
    }

    pub(super) fn otp_button(&mut self, b: Object<'_>, p: Path<'_>) {
        if !self.auth() {
            self.error(
                p.key("type"),
                "button_otp_requires_authentication",
                "OTP buttons are only allowed in AUTHENTICATION templates.",
            );
        }
        let otp_type = get(b, "otp_type").and_then(Json::as_str).and_then(|t| {
            ["COPY_CODE", "ONE_TAP", "ZERO_TAP"]
                .into_iter()
                .find(|name| is_keyword(t, name))
        });
        let Some(otp_type) = otp_type else {
            self.error(
                p.key("otp_type"),
                "button_otp_type_invalid",
                "otp_type must be COPY_CODE, ONE_TAP or ZERO_TAP.",
            );
            return;
        };
        if let Some(a) = get(b, "autofill_text") {
            if !a
                .as_str()
                .is_some_and(|s| char_len(s) <= BUTTON_TEXT_MAX_LEN)
            {
                self.error(
                    p.key("autofill_text"),
                    "button_autofill_text_invalid",
                    format!("autofill_text must be a string of at most {BUTTON_TEXT_MAX_LEN} characters."),
                );
            }
        }
        if otp_type == "COPY_CODE" {
            return;
        }
        let apps_path = p.key("supported_apps");
        match get(b, "supported_apps") {
            Some(Json::Array(apps)) if !apps.is_empty() => {
                if apps.len() > 5 {
                    self.error(
                        apps_path,
                        "button_supported_apps_too_many",
                        format!("At most 5 supported apps; {} given.", apps.len()),
                    );
                }
                for (i, app) in apps.iter().enumerate() {
                    self.app_issues(
                        member(app, "package_name").and_then(Json::as_str),
                        member(app, "signature_hash").and_then(Json::as_str),
                        apps_path.index(i),
                    );
                }
            }
            _ => {
                let pkg = get(b, "package_name").and_then(Json::as_str);
                let sig = get(b, "signature_hash").and_then(Json::as_str);
                if pkg.is_none() && sig.is_none() {
                    self.error(
                        apps_path,
                        "button_supported_apps_missing",
                        format!("{otp_type} buttons need supported_apps: [{{\"package_name\": \"com.example.app\", \"signature_hash\": \"<11 chars>\"}}]."),
                    );
                } else {
                    self.app_issues(pkg, sig, p);
                }
            }
        }
        if otp_type == "ZERO_TAP"
            && !matches!(get(b, "zero_tap_terms_accepted"), Some(Json::Bool(true)))
        {
            self.error(
                p.key("zero_tap_terms_accepted"),
                "button_zero_tap_terms_not_accepted",
                "ZERO_TAP buttons need zero_tap_terms_accepted: true (you accept Meta's zero-tap terms).",
            );
        }
    }

    pub(super) fn app_issues(&mut self, pkg: Option<&str>, sig: Option<&str>, base: Path<'_>) {
        // At least two dot-separated parts (so a dot), each non-empty letters, digits and `_`.
        let pkg_ok = pkg.is_some_and(|s| {
            char_len(s) <= 224
                && s.contains('.')
                && s.split('.').all(|seg| {
                    !seg.is_empty() && seg.bytes().all(|c| c.is_ascii_alphanumeric() || c == b'_')
                })
        });
        if !pkg_ok {
            self.error(
                base.key("package_name"),
                "button_package_name_invalid",
                "package_name must be an Android package name such as com.example.app (≤ 224 characters, at least two dot-separated parts of letters, digits and _).",
            );
        }
        let sig_ok = sig.is_some_and(|s| {
            s.len() == 11
                && s.bytes()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, b'+' | b'/' | b'='))
        });
        if !sig_ok {
            self.error(
                base.key("signature_hash"),
                "button_signature_hash_invalid",
                "signature_hash must be your app's 11-character signing-key hash (letters, digits, +, / and =).",
            );
        }
    }
}
