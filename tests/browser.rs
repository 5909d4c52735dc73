//! wasm-bindgen tests run in headless Chromium through chromedriver
//! (`cargo test --target wasm32-unknown-unknown --test browser`).
#![cfg(target_arch = "wasm32")]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

#[path = "wasm/boundary.rs"]
mod boundary;

#[path = "wasm/emulator.rs"]
mod emulator;

#[path = "wasm/client_browser.rs"]
mod client_browser;
