#!/usr/bin/env bash
# Property-based API tests with schemathesis against the OpenAPI document the server serves
# (/api/openapi.json): a demo server on a scratch SQLite database, signed in as the demo
# admin; fails on any 5xx answer or any answer that does not match the document.
#
# Environment: JIESU_BIN (default $CARGO_TARGET_DIR or target, then debug/jiesu; built if missing), ST_MAX_EXAMPLES
# (default 30 per operation), ST_MAX_TIME (seconds, default 300), ST_VENV (where
# schemathesis is installed, default target/schemathesis-venv). Further arguments go to
# `st run` (e.g. `--report har`).
set -euo pipefail
cd "$(dirname "$0")/.."

bin=${JIESU_BIN:-${CARGO_TARGET_DIR:-target}/debug/jiesu}
[ -x "$bin" ] || cargo build -q -p jiesu

venv=${ST_VENV:-target/schemathesis-venv}
if [ ! -x "$venv/bin/st" ]; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install -q --disable-pip-version-check 'schemathesis>=4.32,<5'
fi

data=$(mktemp -d)
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
base="http://127.0.0.1:$port"
JIESU_LOG=warn "$bin" demo --data-dir "$data" --appeals 200 --listen "127.0.0.1:$port" >"$data/serve.log" 2>&1 &
server=$!
cleanup() {
  kill "$server" 2>/dev/null || true
  wait "$server" 2>/dev/null || true
  rm -rf "$data"
}
trap cleanup EXIT

for _ in $(seq 1 240); do
  curl -fs "$base/healthz" >/dev/null 2>&1 && break
  if ! kill -0 "$server" 2>/dev/null; then
    echo "jiesu demo exited:" >&2
    cat "$data/serve.log" >&2
    exit 1
  fi
  sleep 0.5
done
curl -fs "$base/healthz" >/dev/null

token=$(curl -fs -X POST "$base/api/session" -H 'content-type: application/json' \
  -d '{"username":"admin","password":"demo-admin"}' |
  python3 -c 'import json, sys; print(json.load(sys.stdin)["token"])')

# Signing out would end the session every other operation uses: left out.
status=0
"$venv/bin/st" run "$base/api/openapi.json" \
  --header "Authorization: Bearer $token" \
  --checks not_a_server_error,response_schema_conformance \
  --exclude-operation-id signOut \
  --max-examples "${ST_MAX_EXAMPLES:-30}" \
  --max-time "${ST_MAX_TIME:-300}" \
  --request-timeout 30 \
  --workers 2 \
  --seed 12345 \
  --no-color "$@" || status=$?
if [ "$status" -ne 0 ]; then
  echo "--- server log (last 50 lines) ---" >&2
  tail -n 50 "$data/serve.log" >&2
fi
exit "$status"
