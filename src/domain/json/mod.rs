//! JSON text in and out, without serde at the hot paths: [`Doc::parse`] validates untrusted text
//! once into a flat tape that [`Json`] values borrow from (`value.rs`); [`ToJson`] / [`Obj`]
//! write every result and request body (`write.rs`), each type's writer beside the type;
//! `scan.rs` holds the 8-byte scanning both use. Numbers keep their text from input to output.
//!
//! This is the one JSON model at runtime, native and in the wasm: inputs arrive as JSON text
//! and are read from the tape; JSON the crate keeps is [`RawJson`] text. Reading input *into
//! issues* (the [`Reader`](crate::domain::input::Reader), paths, type names) is
//! `domain::input`, above this module and `domain::error`. serde is only an optional feature
//! (`serde`: derives on the public types for native users), never linked into the wasm.

mod scan;
mod value;
mod write;

pub(crate) use scan::{find_byte, same_bytes};
pub(crate) use value::{parse_i64, parse_u64};
pub use value::{Array, Doc, Kind, Object, ParseError, Value as Json};
pub(crate) use write::{dyn_opt, push_json_str, push_key, push_opt_str};
pub use write::{Obj, RawJson, ToJson};
