//! wasm-bindgen tests run in Node (`cargo test --target wasm32-unknown-unknown --test node`).
#![cfg(target_arch = "wasm32")]
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

#[path = "wasm/boundary.rs"]
mod boundary;

#[path = "wasm/webhook.rs"]
mod webhook;
