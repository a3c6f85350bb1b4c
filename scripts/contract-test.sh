#!/usr/bin/env bash
# The contract, checked by a real tool: schemathesis generates requests from openapi.yaml,
# sends them to a running MWRASP on 127.0.0.1, and fails on any 5xx or any response that
# breaks its schema. Bounded: a fixed number of examples per operation and a time limit.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN="${MWRASP_BIN:-.build/debug/mwrasp}"
VENV="${VENV:-.venv}"
EXAMPLES="${CONTRACT_EXAMPLES:-25}"

if [ ! -x "$VENV/bin/schemathesis" ]; then
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install --quiet --disable-pip-version-check "schemathesis==4.32.5"
fi

tmp="$(mktemp -d)"
server_pid=""
cleanup() {
  [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null || true
  rm -rf "$tmp"
}
trap cleanup EXIT

token="mwr_$(head -c 32 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=\n' | head -c 43)"
MWRASP_ADMIN_TOKEN="$token" "$BIN" serve --listen 127.0.0.1:0 --data-dir "$tmp/data" --log-level error \
  > "$tmp/stdout" 2> "$tmp/stderr" &
server_pid=$!
for _ in $(seq 1 100); do
  grep -q "listening on http://" "$tmp/stdout" 2>/dev/null && break
  sleep 0.1
done
url="$(grep -o 'http://127.0.0.1:[0-9]*' "$tmp/stdout" | head -1)"
[ -n "$url" ] || { echo "contract-test: the server did not start"; cat "$tmp/stderr"; exit 1; }

echo "contract-test: schemathesis against $url ($EXAMPLES examples per operation)"
timeout 600 "$VENV/bin/schemathesis" run openapi.yaml --url "$url" \
  --header "Authorization: Bearer $token" \
  --checks not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance \
  --max-examples "$EXAMPLES" --request-timeout 10 --seed 20261127 --generation-deterministic
