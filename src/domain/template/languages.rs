//! Supported template language codes (`platform-rules.md` §1.8, Meta's list as of May 2026).
//! Kept as data: to follow a change in Meta's list, edit [`SUPPORTED_LANGUAGES`] only.

/// Every language code Meta accepts for message templates (case-sensitive, underscore separator).
pub const SUPPORTED_LANGUAGES: &[&str] = &[
    "af", "sq", "ar", "ar_EG", "ar_AE", "ar_LB", "ar_MA", "ar_QA", "az", "be_BY", "bn", "bn_IN",
    "bg", "ca", "zh_CN", "zh_HK", "zh_TW", "hr", "cs", "da", "prs_AF", "nl", "nl_BE", "en",
    "en_GB", "en_US", "en_AE", "en_AU", "en_CA", "en_GH", "en_IE", "en_IN", "en_JM", "en_MY",
    "en_NZ", "en_QA", "en_SG", "en_UG", "en_ZA", "et", "fil", "fi", "fr", "fr_BE", "fr_CA",
    "fr_CH", "fr_CI", "fr_MA", "ka", "de", "de_AT", "de_CH", "el", "gu", "ha", "he", "hi", "hu",
    "id", "ga", "it", "ja", "kn", "kk", "rw_RW", "ko", "ky_KG", "lo", "lv", "lt", "mk", "ms", "ml",
    "mr", "nb", "ps_AF", "fa", "pl", "pt_BR", "pt_PT", "pa", "ro", "ru", "sr", "si_LK", "sk", "sl",
    "es", "es_AR", "es_CL", "es_CO", "es_CR", "es_DO", "es_EC", "es_HN", "es_MX", "es_PA", "es_PE",
    "es_ES", "es_UY", "sw", "sv", "ta", "te", "th", "tr", "uk", "ur", "uz", "vi", "zu",
];

/// The supported template language codes (what the JS `supportedLanguages()` returns).
pub fn supported_languages() -> &'static [&'static str] {
    SUPPORTED_LANGUAGES
}

/// Whether `code` is a supported template language (exact, case-sensitive match).
pub fn is_supported_language(code: &str) -> bool {
    // Length and first byte before the full compare: a `memcmp` call per code of the same
    // length was most of the time of this check.
    let first = code.as_bytes().first();
    SUPPORTED_LANGUAGES
        .iter()
        .any(|c| c.len() == code.len() && c.as_bytes().first() == first && *c == code)
}

/// The supported code a near miss probably meant (`en-us` → `en_US`), if any.
pub(crate) fn suggest_language(code: &str) -> Option<&'static str> {
    let wanted: String = code.trim().replace('-', "_");
    SUPPORTED_LANGUAGES
        .iter()
        .copied()
        .find(|c| c.eq_ignore_ascii_case(&wanted))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn list_is_complete_and_unique() {
        assert!(SUPPORTED_LANGUAGES.len() >= 110);
        let mut sorted = SUPPORTED_LANGUAGES.to_vec();
        sorted.sort_unstable();
        sorted.dedup();
        assert_eq!(sorted.len(), SUPPORTED_LANGUAGES.len());
        for c in ["en_US", "af", "pt_BR", "zh_CN", "fil", "prs_AF"] {
            assert!(is_supported_language(c), "{c}");
        }
        for c in ["en-US", "EN_US", "xx", ""] {
            assert!(!is_supported_language(c), "{c}");
        }
    }

    #[test]
    fn suggestions() {
        assert_eq!(suggest_language("en-us"), Some("en_US"));
        assert_eq!(suggest_language("PT_br"), Some("pt_BR"));
        assert_eq!(suggest_language("klingon"), None);
    }
}
