#!/usr/bin/env bash
# Server CPU per answered request: a figure that holds still on a VM whose CPU share varies
# (req/s does not). Starts the built server on a fresh data directory, runs wrk against one
# endpoint, and divides the server's utime+stime by the 2xx answers. Compare two binaries by
# alternating them in the same minutes:
#   MWRASP_BIN=old bash bench/cpu_per_request.sh; MWRASP_BIN=new bash bench/cpu_per_request.sh
# Knobs: MWRASP_BIN (.build/release/mwrasp), LUA (post_event.lua), URL_PATH (/v1/events),
#        CONNECTIONS (64), DURATION (10s), RUNS (1; several runs reuse one server).
# 127.0.0.1 only, bounded by DURATION x RUNS; stops the server on exit.
set -euo pipefail
BENCH_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
BIN="${MWRASP_BIN:-$BENCH_DIR/../.build/release/mwrasp}"
LUA="${LUA:-post_event.lua}"
URL_PATH="${URL_PATH:-/v1/events}"
TMP="$(mktemp -d)"
PID=""
cleanup() { [ -n "$PID" ] && kill "$PID" 2>/dev/null && wait "$PID" 2>/dev/null; rm -rf "$TMP"; }
trap cleanup EXIT
TOKEN="mwr_$(head -c 32 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=\n' | head -c 43)"
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
MWRASP_ADMIN_TOKEN="$TOKEN" MWRASP_RATE_PER_SECOND=0 "$BIN" serve --data-dir "$TMP/data" \
  --listen "127.0.0.1:$PORT" --log-level warning >"$TMP/server.log" 2>&1 &
PID=$!
for _ in $(seq 100); do curl -sf "http://127.0.0.1:$PORT/healthz" >/dev/null && break; sleep 0.1; done
ticks=$(getconf CLK_TCK)
cpu() { awk '{print $14 + $15}' "/proc/$PID/stat"; }
for run in $(seq "${RUNS:-1}"); do
  before=$(cpu)
  BENCH_ADMIN_TOKEN="$TOKEN" wrk -t2 -c"${CONNECTIONS:-64}" -d"${DURATION:-10s}" -s "$BENCH_DIR/wrk/$LUA" \
    "http://127.0.0.1:$PORT$URL_PATH" >"$TMP/wrk.out"
  sleep 1  # work the requests left behind (indexing, detection) counts too
  after=$(cpu)
  requests=$(awk '/requests in/ {print $1}' "$TMP/wrk.out")
  non2xx=$(awk '/Non-2xx/ {print $5}' "$TMP/wrk.out")
  answered=$((requests - ${non2xx:-0}))
  rate=$(awk '/Requests\/sec/ {print $2}' "$TMP/wrk.out")
  echo "run $run: $rate req/s, ${non2xx:-0} non-2xx, $(( (after - before) * 1000000 / ticks / (answered > 0 ? answered : 1) )) us server CPU per 2xx answer ($(basename "$BIN"))"
done
