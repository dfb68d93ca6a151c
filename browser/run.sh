#!/usr/bin/env bash
# Runs the browser tests of the web pages (browser/*.test.mjs, one file at a time, each with
# its own demo server) against the debug build of jiesu ($CARGO_TARGET_DIR or target, then
# debug/jiesu).
# Installs what is missing: chromium and CJK fonts (apt), playwright-core (npm).
set -euo pipefail
cd "$(dirname "$0")/.."

as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

if [ ! -x /usr/bin/chromium ] || ! fc-list 2>/dev/null | grep -qi 'Noto Sans CJK'; then
  as_root apt-get update
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y chromium fonts-noto-cjk
fi
bin=${CARGO_TARGET_DIR:-target}/debug/jiesu
if [ ! -x "$bin" ]; then
  cargo build -p jiesu
fi
if [ ! -d browser/node_modules/playwright-core ]; then
  (cd browser && (npm ci || npm install))
fi
JIESU_BIN="$bin" node --test --test-concurrency=1 --test-reporter=spec browser/*.test.mjs
