#!/usr/bin/env bash
# Runs a command with a fresh wa-emulator on loopback and stops it afterwards.
#   scripts/with-emulator.sh <command...>
# The emulator URL is passed as WA_GRAPH_EMULATOR_URL (read at compile time by the wasm tests via
# option_env!, at run time by the JS tests). WA_EMULATOR_PORT picks the port (default: any free
# one, so parallel runs on a shared machine do not collide); WA_EMULATOR_ARGS adds flags.
# Test defaults: --pair-burst 0 --throughput 0 (the parallel-send test messages one recipient 100
# times at once; throughput errors are tested deterministically with injected faults) and
# --status-interval-ms 20.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
TARGET_DIR=${CARGO_TARGET_DIR:-$ROOT/target}
cargo build -q --release -p wa-emulator --manifest-path "$ROOT/Cargo.toml"
BIN=$TARGET_DIR/release/wa-emulator
LOG=$(mktemp -t wa-emulator.XXXXXX)
# shellcheck disable=SC2086
"$BIN" --port "${WA_EMULATOR_PORT:-0}" --quiet ${WA_EMULATOR_ARGS---pair-burst 0 --throughput 0 --status-interval-ms 20} >"$LOG" 2>&1 &
PID=$!
cleanup() { kill "$PID" 2>/dev/null || true; wait "$PID" 2>/dev/null || true; rm -f "$LOG"; }
trap cleanup EXIT INT TERM
URL=
for _ in $(seq 200); do
  URL=$(grep -o 'http://[0-9.]*:[0-9]*' "$LOG" | head -1 || true)
  if [ -n "$URL" ] && curl -fsS -o /dev/null "$URL/_emulator/health" 2>/dev/null; then break; fi
  if ! kill -0 "$PID" 2>/dev/null; then cat "$LOG" >&2; echo "wa-emulator did not start" >&2; exit 1; fi
  URL=; sleep 0.05
done
if [ -z "$URL" ]; then cat "$LOG" >&2; echo "wa-emulator not healthy in time" >&2; exit 1; fi
echo "wa-emulator at $URL (pid $PID)" >&2
export WA_GRAPH_EMULATOR_URL=$URL
"$@"
