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

# shellcheck source=ci/demo_server.sh
. ci/demo_server.sh

token=$(admin_session)

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
