#!/usr/bin/env bash
# The whole product locally: wa-emulator (its webhooks signed and sent to the worker), the edge
# worker under `wrangler dev` with local D1, and the template studio with its edge-worker view.
# Ctrl-C stops all three. Ports: EMULATOR_PORT (8089), WORKER_PORT (8787), PORT (8080).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
EMULATOR_PORT=${EMULATOR_PORT:-8089} WORKER_PORT=${WORKER_PORT:-8787} PORT=${PORT:-8080}
EMULATOR=http://127.0.0.1:$EMULATOR_PORT WORKER=http://127.0.0.1:$WORKER_PORT
LOGS=$(mktemp -d -t wa-demo.XXXXXX)
PIDS=()
stop() {
  trap - EXIT INT TERM
  # wrangler ignores SIGINT; SIGTERM stops it and its workerd.
  for pid in "${PIDS[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
  echo "demo stopped (logs were in $LOGS)"
}
trap stop EXIT INT TERM
wait_for() { # url name log
  for _ in $(seq 600); do curl -fsS -o /dev/null "$1" 2>/dev/null && return 0; sleep 0.1; done
  cat "$3" >&2; echo "$2 did not start" >&2; exit 1
}

cargo build -q --release -p wa-emulator
# Statuses 800 ms apart, so sent → delivered → read can be watched arriving.
"${CARGO_TARGET_DIR:-$ROOT/target}/release/wa-emulator" --port "$EMULATOR_PORT" --status-interval-ms 800 \
  --webhook-url "$WORKER/webhooks/whatsapp" >"$LOGS/emulator.log" 2>&1 &
PIDS+=($!)
wait_for "$EMULATOR/_emulator/health" wa-emulator "$LOGS/emulator.log"

WORKER_PORT=$WORKER_PORT bash scripts/worker-dev.sh --var "GRAPH_BASE_URL:$EMULATOR" >"$LOGS/worker.log" 2>&1 &
PIDS+=($!)
wait_for "$WORKER/health" "the worker" "$LOGS/worker.log"

# The page calls the worker with the first key of worker/.dev.vars (a local demo key).
KEY=$(sed -n 's/^API_KEYS=\([^,]*\).*/\1/p' worker/.dev.vars | tr -d ' "')
DEMO_WORKER_KEY=$KEY node scripts/serve.mjs --port "$PORT" --emulator "$EMULATOR" --worker "$WORKER" >"$LOGS/studio.log" 2>&1 &
PIDS+=($!)
wait_for "http://127.0.0.1:$PORT/" "the studio" "$LOGS/studio.log"

cat <<MSG

  wa-emulator (Graph API)   $EMULATOR        webhooks → $WORKER/webhooks/whatsapp
  edge worker (wrangler)    $WORKER        GET /health; API key: the first of API_KEYS in worker/.dev.vars
  template studio           http://127.0.0.1:$PORT/
  edge-worker view          http://127.0.0.1:$PORT/worker.html   (send a message, watch its statuses)
  campaign page             http://127.0.0.1:$PORT/campaign.html (start a campaign, watch it paced live)

  Logs: $LOGS    Ctrl-C stops everything.
MSG
wait -n "${PIDS[@]}"
