# Sourced by the CI scripts that drive a live server (schemathesis, the Open311 client):
# starts `jiesu demo` on a scratch SQLite database and a free port, waits until it answers,
# and stops it on exit. Sets `base` (the server's URL) and `data` (its directory, with the
# server's log in serve.log); `admin_session` prints a session token of the demo admin.
#
# Needs `bin` (the jiesu binary) set by the caller.

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

admin_session() {
  curl -fs -X POST "$base/api/session" -H 'content-type: application/json' \
    -d '{"username":"admin","password":"demo-admin"}' |
    python3 -c 'import json, sys; print(json.load(sys.stdin)["token"])'
}
