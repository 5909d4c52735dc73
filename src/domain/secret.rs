//! Secrets that must never leak into errors, `Debug` output or logs. They have no `PartialEq` and
//! no `Display`; the value is reachable only through `.secret()`.

use std::fmt;

macro_rules! secret_type {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Clone)]
        pub struct $name(String);

        impl $name {
            /// Wraps a secret value.
            pub fn new(value: impl Into<String>) -> Self {
                $name(value.into())
            }
            /// The secret itself: use it only to build the request that needs it.
            pub fn secret(&self) -> &str {
                &self.0
            }
        }

        impl fmt::Debug for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(concat!(stringify!($name), "([redacted])"))
            }
        }
    };
}

secret_type!(
    /// A Graph API access token (user, system-user or business-integration token).
    AccessToken
);
secret_type!(
    /// The Meta app secret (OAuth code exchange, `debug_token` app tokens, webhook signatures:
    /// HMAC-SHA256 key of `X-Hub-Signature-256`). One type for the whole crate.
    AppSecret
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_is_redacted() {
        let t = AccessToken::new("EAAG-secret");
        assert_eq!(format!("{t:?}"), "AccessToken([redacted])");
        assert_eq!(t.secret(), "EAAG-secret");
        assert_eq!(
            format!("{:?}", AppSecret::new("s")),
            "AppSecret([redacted])"
        );
    }
}
