#!/usr/bin/env bash
# Runs the edge worker locally: `wrangler dev` on 127.0.0.1:$WORKER_PORT (default 8787) with a
# local D1 database (migrations applied first), offline. Secrets come from worker/.dev.vars, which
# is created from worker/.dev.vars.example when missing (never commit .dev.vars).
#   scripts/worker-dev.sh [extra wrangler dev flags, e.g. --var GRAPH_BASE_URL:http://127.0.0.1:8089]
# WORKER_PERSIST_DIR moves the local D1 (default worker/.wrangler/state).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT/worker"
export WRANGLER_SEND_METRICS=false CLOUDFLARE_CF_FETCH_ENABLED=false
WRANGLER=$ROOT/node_modules/.bin/wrangler
if [ ! -f .dev.vars ]; then
  cp .dev.vars.example .dev.vars
  echo "worker: created worker/.dev.vars from .dev.vars.example (edit it for your own keys)" >&2
fi
DB=$(node -e "const t=require('fs').readFileSync('wrangler.jsonc','utf8');const m=/\"database_name\"\s*:\s*\"([^\"]+)\"/.exec(t);process.stdout.write(m?m[1]:'')")
PERSIST=()
if [ -n "${WORKER_PERSIST_DIR:-}" ]; then PERSIST=(--persist-to "$WORKER_PERSIST_DIR"); fi
"$WRANGLER" d1 migrations apply "$DB" --local "${PERSIST[@]}" >&2
exec "$WRANGLER" dev --port "${WORKER_PORT:-8787}" --ip 127.0.0.1 --show-interactive-dev-session=false "${PERSIST[@]}" "$@"
