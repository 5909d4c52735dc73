# whatsapp-business — every command a developer or CI needs.
#   make demo   build the package, start wa-emulator (scripts/with-emulator.sh) and serve the template
#               studio (www/) on http://127.0.0.1:8080 wired to it; EMULATOR=0 serves the studio alone
#   make test   every test: lint, native, wasm (Node + Chromium), the built package in Node, workerd,
#               TypeScript and a real browser page
#   make bench  benchmarks (numbers printed, never asserted)
# Both `demo` and `test` install what they need first (scripts/setup.sh, idempotent).

SHELL := /bin/bash
export PATH := $(CURDIR)/node_modules/.bin:$(HOME)/.cargo/bin:$(PATH)
export CARGO_TERM_COLOR ?= never
export CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER := wasm-bindgen-test-runner
export CHROMEDRIVER ?= /usr/bin/chromedriver
export WASM_BINDGEN_TEST_TIMEOUT ?= 60

TARGET_DIR ?= $(CURDIR)/target
WASM := $(TARGET_DIR)/wasm32-unknown-unknown/release/whatsapp_business.wasm
PKG := $(CURDIR)/pkg
PORT ?= 8080
EMULATOR ?= 1
EMULATOR_PORT ?= 8089

.PHONY: setup pkg test lint test-native test-wasm test-js demo bench clean

setup:
	@bash scripts/setup.sh

pkg: setup
	cargo build --release --target wasm32-unknown-unknown --lib
	rm -rf $(PKG)
	wasm-bindgen --target web --remove-name-section --remove-producers-section --out-dir $(PKG) $(WASM)
	wasm-opt -Oz --strip-debug --strip-producers $(PKG)/whatsapp_business_bg.wasm -o $(PKG)/whatsapp_business_bg.wasm
	node scripts/build-pkg.mjs $(PKG)
	@mkdir -p node_modules/@basecloud && ln -sfn ../../pkg node_modules/@basecloud/whatsapp-business

lint: setup
	cargo fmt --all -- --check
	cargo clippy --workspace --all-targets -- -D warnings
	cargo clippy --target wasm32-unknown-unknown --lib --test node --test browser -- -D warnings

test-native: setup
	cargo test --workspace

test-wasm: setup
	cargo test --target wasm32-unknown-unknown --test node --test browser

test-js: pkg
	node --test tests/js/
	tsc -p tests/ts/tsconfig.json

test: lint test-native test-wasm test-js
	@echo "make test: all green"

demo: pkg
ifeq ($(EMULATOR),0)
	node scripts/serve.mjs --port $(PORT)
else
	WA_EMULATOR_PORT=$(EMULATOR_PORT) bash scripts/with-emulator.sh \
	  bash -c 'node scripts/serve.mjs --port $(PORT) --emulator "$$WA_GRAPH_EMULATOR_URL"'
endif

bench: pkg
	node bench/run.mjs

clean:
	cargo clean
	rm -rf pkg node_modules/@basecloud
