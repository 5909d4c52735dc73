//! The only code that performs HTTP. [`Transport`] is a one-method trait: it takes the plain
//! [`ApiRequest`] the core built and gives back the plain [`ApiResponse`]; the client's policy
//! (tokens, retries, pacing) lives above it. Native tests drive the client with a scripted
//! transport; in wasm, [`fetch::FetchTransport`] uses the global `fetch`.

use crate::domain::error::Error;
use crate::domain::request::{ApiRequest, ApiResponse};
use std::future::Future;
use std::pin::Pin;

#[cfg(target_arch = "wasm32")]
pub mod fetch;

/// A boxed, not-`Send` future (everything here runs on one JS thread).
pub type LocalFuture<'a, T> = Pin<Box<dyn Future<Output = T> + 'a>>;

/// One part of a `multipart/form-data` body (media upload).
#[derive(Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum FormPart {
    /// A text field.
    Text {
        /// Field name.
        name: String,
        /// Value.
        value: String,
    },
    /// A file field.
    File {
        /// Field name.
        name: String,
        /// File name sent to Meta.
        filename: String,
        /// MIME type.
        mime_type: String,
        /// The bytes.
        bytes: Vec<u8>,
    },
}

impl std::fmt::Debug for FormPart {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            FormPart::Text { name, value } => write!(f, "Text({name}={value})"),
            FormPart::File {
                name,
                filename,
                mime_type,
                bytes,
            } => write!(
                f,
                "File({name}: {filename}, {mime_type}, {} bytes)",
                bytes.len()
            ),
        }
    }
}

/// What the client hands to the transport for one attempt.
#[derive(Debug, Clone, Copy)]
pub struct Outgoing<'a> {
    /// The request; the `Authorization` header is already added.
    pub request: &'a ApiRequest,
    /// A multipart body, sent instead of `request.body`.
    pub form: Option<&'a [FormPart]>,
    /// Abort the request after this many milliseconds (then it fails with
    /// [`Error::Transport`] `{ ambiguous: true }`: it may have reached the server).
    pub timeout_ms: u32,
}

/// Sends one HTTP request. Implementations report a request that could not complete as
/// [`Error::Transport`], with `ambiguous: true` when it may have left the machine (timeout,
/// connection lost) and `false` when it certainly did not (the request could not be built).
/// Any HTTP status, including 4xx/5xx, is a successful call.
pub trait Transport {
    /// Performs the request.
    fn call<'a>(&'a self, out: Outgoing<'a>) -> LocalFuture<'a, Result<ApiResponse, Error>>;
}

/// A closure is a transport, so tests can pass one.
impl<F> Transport for F
where
    F: Fn(Outgoing<'_>) -> LocalFuture<'static, Result<ApiResponse, Error>>,
{
    fn call<'a>(&'a self, out: Outgoing<'a>) -> LocalFuture<'a, Result<ApiResponse, Error>> {
        self(out)
    }
}
