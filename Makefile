# whatsapp-business — every command a developer or CI needs.
#   make demo   build the package, start wa-emulator (:8089), the edge worker (:8787, wrangler dev)
#               and serve the template studio (www/) on http://127.0.0.1:8080
#   make worker the edge worker alone under wrangler dev (local D1) on WORKER_PORT (8787)
#   make test   every test: lint, native, wasm (Node + Chromium), the built package in Node, workerd,
#               TypeScript and a real browser page
#   make bench  benchmarks (numbers printed, never asserted)
#   make fuzz   the long fuzz run (1,000,000 calls over every export of the built package)
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
WORKER_PORT ?= 8787

.PHONY: setup pkg test lint test-native test-wasm test-js test-worker worker worker-build demo bench fuzz clean

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
	cargo clippy -p whatsapp-business --all-targets --features serde -- -D warnings
	cargo clippy --target wasm32-unknown-unknown --lib --test node --test browser -- -D warnings
	python3 scripts/module-cycles.py   # no module or file cycles in src/ (issue 15)

test-native: setup
	cargo test --workspace
	# The optional `serde` feature (derives for native users, never in the wasm): serde and the
	# crate's own reader and writers agree on the same inputs and results.
	cargo test -p whatsapp-business --features serde --lib

# The wasm and JS tests talk to a real wa-emulator on loopback (started and stopped around them).
# Chromium loads the test page through scripts/with-chromium-proxy.mjs: wasm-bindgen-test-runner's
# page server (tiny_http) can leave one of Chromium's parallel keep-alive connections unread, and
# the page then never finished loading (see the script).
test-wasm: setup
	bash scripts/with-emulator.sh cargo test --target wasm32-unknown-unknown --test node
	bash scripts/with-emulator.sh node scripts/with-chromium-proxy.mjs cargo test --target wasm32-unknown-unknown --test browser

test-js: pkg
	bash scripts/with-emulator.sh node --test tests/js/
	tsc -p tests/ts/tsconfig.json

# The edge worker (worker/): type-check, the deploy artifact built offline by `wrangler deploy
# --dry-run` (CI proves the deploy builds), then that artifact in workerd (Miniflare) with local D1
# and a real wa-emulator per test file (target/release/wa-emulator).
WRANGLER_OFFLINE := WRANGLER_SEND_METRICS=false CLOUDFLARE_CF_FETCH_ENABLED=false
worker-build: pkg
	cd worker && $(WRANGLER_OFFLINE) wrangler deploy --dry-run --outdir dist

test-worker: worker-build
	tsc -p worker/tsconfig.json
	cargo build -q --release -p wa-emulator
	WORKER_BUNDLE=$(CURDIR)/worker/dist node --test worker/test/

# The worker under `wrangler dev` with local D1 (migrations applied), reading worker/.dev.vars.
worker: pkg
	WORKER_PORT=$(WORKER_PORT) bash scripts/worker-dev.sh

test: lint test-native test-wasm test-js test-worker
	@echo "make test: all green"

# wa-emulator on EMULATOR_PORT (webhooks → the worker), the edge worker under wrangler dev on
# WORKER_PORT (local D1) and the studio on PORT; the page gets both URLs through /config.json.
# Prints the URLs; Ctrl-C stops all three.
EMULATOR_PORT ?= 8089
demo: pkg
	EMULATOR_PORT=$(EMULATOR_PORT) WORKER_PORT=$(WORKER_PORT) PORT=$(PORT) bash scripts/demo.sh

# One emulator (caps lifted) serves bench/client.mjs; bench/emulator-throughput.mjs starts its own
# wa-emulator processes (with-emulator.sh has already built the release binary).
bench: pkg
	WA_EMULATOR_ARGS="--pair-burst 0 --throughput 0" bash scripts/with-emulator.sh node bench/run.mjs

# The JS fuzzer over the built package: 1,000,000 calls over every export (hostile values, a
# misbehaving fetch); `make test` runs it for 4 s (tests/js/fuzz.test.mjs). FUZZ_ARGS overrides.
FUZZ_ARGS ?= --calls 1000000
fuzz: pkg
	node scripts/fuzz.mjs $(FUZZ_ARGS)
	cargo test --test fuzz_properties

clean:
	cargo clean
	rm -rf pkg node_modules/@basecloud
