//! wasm-bindgen tests run in Node (`cargo test --target wasm32-unknown-unknown --test node`).
#![cfg(target_arch = "wasm32")]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

#[path = "wasm/boundary.rs"]
mod boundary;

#[path = "wasm/emulator.rs"]
mod emulator;

#[path = "wasm/client_node.rs"]
mod client_node;

#[path = "wasm/client_sends.rs"]
mod client_sends;
