#!/usr/bin/env bash
# Open311 GeoReport v2 with a third-party client: the `georeport` library from PyPI drives
# ci/open311_client.py against a demo server on a scratch SQLite database, with an API key
# (a write-scoped API token of the demo admin) for posting.
#
# Environment: JIESU_BIN (default $CARGO_TARGET_DIR or target, then debug/jiesu; built if
# missing), OPEN311_VENV (where the client is installed, default target/open311-venv).
set -euo pipefail
cd "$(dirname "$0")/.."

bin=${JIESU_BIN:-${CARGO_TARGET_DIR:-target}/debug/jiesu}
[ -x "$bin" ] || cargo build -q -p jiesu

venv=${OPEN311_VENV:-target/open311-venv}
if ! "$venv/bin/python" -c 'import georeport, requests' 2>/dev/null; then
  python3 -m venv "$venv"
  if ! "$venv/bin/pip" install -q --disable-pip-version-check 'georeport==0.3.1' 'requests>=2'; then
    echo "FATAL: could not install the Open311 client library (georeport) from PyPI" >&2
    exit 1
  fi
fi

# shellcheck source=ci/demo_server.sh
. ci/demo_server.sh

session=$(admin_session)
api_key=$(curl -fs -X POST "$base/api/tokens" -H "Authorization: Bearer $session" \
  -H 'content-type: application/json' -d '{"name":"open311 client","scope":"write"}' |
  python3 -c 'import json, sys; print(json.load(sys.stdin)["secret"])')

status=0
"$venv/bin/python" ci/open311_client.py "$base/open311/v2" "$api_key" || status=$?
if [ "$status" -ne 0 ]; then
  echo "--- server log (last 50 lines) ---" >&2
  tail -n 50 "$data/serve.log" >&2
fi
exit "$status"
