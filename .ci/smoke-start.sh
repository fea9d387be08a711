#!/usr/bin/env bash
# The README's quick start, checked: `npm start` with no environment must serve
# /readyz, print a demo token that works on GET /v1/account, and exit cleanly on SIGTERM.
set -euo pipefail
cd "$(dirname "$0")/.."
log=$(mktemp)
env -u DATABASE_URL -u STRIPE_SECRET_KEY PORT=0 npm start >"$log" 2>&1 &
npm_pid=$!
cleanup() { kill "$npm_pid" 2>/dev/null || true; }
trap cleanup EXIT

base=""
for _ in $(seq 1 180); do
  base=$(sed -n 's/^  Base URL: *//p' "$log" | head -1)
  [ -n "$base" ] && break
  if ! kill -0 "$npm_pid" 2>/dev/null; then cat "$log"; echo "npm start exited early"; exit 1; fi
  sleep 1
done
[ -n "$base" ] || { cat "$log"; echo "no base URL printed"; exit 1; }
token=$(sed -n 's/^  Demo owner token: *//p' "$log" | head -1)
[ -n "$token" ] || { cat "$log"; echo "no demo token printed"; exit 1; }

curl -fsS "$base/readyz" >/dev/null
account=$(curl -fsS -H "Authorization: Bearer $token" "$base/v1/account")
echo "$account" | grep -q '"id":"acct_demo"' || { echo "unexpected account: $account"; exit 1; }
echo "GET /v1/account with the demo token: ok"

# npm runs the script through sh: signal the node process itself (not the sh wrapper, whose
# command line also names server.js), as a process manager running node directly would.
node_pid=""
for pid in $(pgrep -f '^node --enable-source-maps dist/src/server.js'); do
  [ "$(readlink "/proc/$pid/cwd")" = "$(pwd)" ] && node_pid=$pid && break
done
[ -n "$node_pid" ] || { cat "$log"; echo "node process not found"; exit 1; }
kill -TERM "$node_pid"
status=0
wait "$npm_pid" || status=$?
trap - EXIT
if [ "$status" -ne 0 ]; then cat "$log"; echo "npm start exited with $status after SIGTERM"; exit 1; fi
grep -q '"stopped"\|stopped' "$log" || { cat "$log"; echo "no clean stop logged"; exit 1; }
echo "clean exit after SIGTERM: ok"
