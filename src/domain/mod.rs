//! The pure core: validation, request building and response parsing over plain data.
//! Nothing here does I/O, reads a clock, draws randomness or touches a JS type.

pub mod account;
pub(crate) mod build;
pub mod components;
pub mod error;
pub mod graph;
pub(crate) mod hex;
pub(crate) mod input;
pub(crate) mod json;
pub mod media;
pub mod message;
pub mod oauth;
pub mod page;
pub mod phone;
pub mod request;
pub mod retry;
pub mod secret;
pub mod task;
pub mod template;
pub mod url;

pub mod webhook;
