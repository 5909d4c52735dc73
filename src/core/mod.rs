//! The pure core: validation, request building and response parsing over plain data.
//! Nothing here does I/O, reads a clock, draws randomness or touches a JS type.

pub mod error;
pub mod graph;
pub(crate) mod json;
pub mod media;
pub mod message;
pub mod phone;
pub mod request;
pub mod template;
