#!/usr/bin/env bash
# Installs everything the build and the tests need, skipping what is already present:
# the wasm32 target, wasm-bindgen-cli at the Cargo.lock version, Chromium + chromedriver (Debian),
# and the npm dev tools (npm ci from the committed lockfile). Safe to run repeatedly.
set -euo pipefail
cd "$(dirname "$0")/.."
export DEBIAN_FRONTEND=noninteractive
say() { echo "setup: $*"; }

if ! rustup target list --installed 2>/dev/null | grep -qx wasm32-unknown-unknown; then
  say "adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi

WB_VER=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock)
if [ -z "$WB_VER" ]; then echo "setup: cannot read the wasm-bindgen version from Cargo.lock" >&2; exit 1; fi
if [ "$(wasm-bindgen --version 2>/dev/null | awk '{print $2}')" != "$WB_VER" ] \
   || [ "$(wasm-bindgen-test-runner --version 2>/dev/null | awk '{print $2}')" != "$WB_VER" ]; then
  say "installing wasm-bindgen-cli $WB_VER (about 2 minutes)"
  # --locked can fail on registry mirrors that lack a pinned transitive version; fall back.
  cargo install wasm-bindgen-cli --version "$WB_VER" --locked --force \
    || cargo install wasm-bindgen-cli --version "$WB_VER" --force
fi

# Debian's chromium and chromium-driver come from one source package, so their versions match.
# Never install Debian's binaryen: its wasm-opt 108 corrupts wasm-bindgen's externref table.
if ! command -v chromium >/dev/null || ! command -v chromedriver >/dev/null; then
  say "installing chromium and chromium-driver"
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends chromium chromium-driver >/dev/null
fi

# npm writes node_modules/.package-lock.json on install; a newer package-lock.json means re-install.
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  say "npm ci"
  npm ci --no-audit --no-fund --loglevel=error
fi
say "ready (wasm-bindgen $WB_VER, $(node --version), $(chromium --version 2>/dev/null | head -1))"
