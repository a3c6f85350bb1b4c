#!/usr/bin/env bash
# MWRASP benchmark: MWRASP against nginx on the same machine, in the same run.
# Run by `make bench` (or directly: bench/run.sh). A report, not a test: it exits 0 even when a
# target is missed, and non-zero only when something broke. See bench/README.md.
#
# Environment knobs (all optional):
#   MWRASP_BIN=path      use this binary instead of building `swift build -c release --product mwrasp`
#   SKIP_MWRASP=1        measure nginx only (for working on the harness before the server exists)
#   MWRASP_EXTRA_ARGS    extra words appended to `mwrasp serve ...` (e.g. "--threads 2")
#   BENCH_DURATION=10s   wrk duration per run        BENCH_RUNS=3         runs per case and server
#   BENCH_WARMUP=2s      wrk warm-up per case/server BENCH_IDLE_CONNS=1000 connections in the RSS case
#   BENCH_THREADS=2 BENCH_CONNECTIONS=64          wrk -t / -c
#   NGINX_BIN, WRK_BIN, PYTHON_BIN                  tool paths (found on PATH otherwise)
#   BENCH_RESULTS=bench/results/latest.md           where the Markdown report is written
set -euo pipefail

# The exact command as invoked, with the knobs that were set in the environment.
BENCH_CMD="$(
  for v in MWRASP_BIN SKIP_MWRASP MWRASP_EXTRA_ARGS BENCH_DURATION BENCH_RUNS BENCH_WARMUP BENCH_THREADS \
    BENCH_CONNECTIONS BENCH_IDLE_CONNS NGINX_BIN WRK_BIN PYTHON_BIN; do
    [ -n "${!v:-}" ] && printf '%s=%q ' "$v" "${!v}"
  done
  printf '%q' "$0"
  [ "$#" -gt 0 ] && printf ' %q' "$@"
  true
)"
BENCH_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_ROOT="$(cd "$BENCH_DIR/.." && pwd)"

DURATION="${BENCH_DURATION:-10s}"
WARMUP="${BENCH_WARMUP:-2s}"
RUNS="${BENCH_RUNS:-3}"
THREADS="${BENCH_THREADS:-2}"
CONNECTIONS="${BENCH_CONNECTIONS:-64}"
IDLE_CONNS="${BENCH_IDLE_CONNS:-1000}"
IDLE_HOLD_SECONDS=60          # upper bound; run.sh stops the helper as soon as RSS is read
STARTUP_TIMEOUT=30            # seconds to wait for "mwrasp listening on ..." lines
RESULTS_FILE="${BENCH_RESULTS:-$BENCH_DIR/results/latest.md}"
SKIP_MWRASP="${SKIP_MWRASP:-0}"

# Targets (DESIGN/issue): ratio against nginx, p99 latency, RSS, TLS/plain.
TARGET_TLS_PLAIN_RATIO=0.5
TARGET_RSS_MIB=64

# ---------------------------------------------------------------------------------------------
# The cases. One line each, fields separated by "|":
#   label | scheme (http|https) | path | peer (nginx|-) | min ratio vs peer (or -) | max p99 ms (or -) | extra wrk args
# A peer of "-" means MWRASP only (no nginx equivalent): the nginx columns show "n/a".
# Extra wrk args are split on spaces; Lua scripts live in bench/wrk/, e.g.
#   "POST /v1/events|http|/v1/events|-|-|10|-s $BENCH_DIR/wrk/post_events.lua"
# Scripts can read BENCH_ADMIN_TOKEN (os.getenv) — the MWRASP under test runs with that admin token.
# The labels "GET /healthz" and "GET /healthz (TLS, keep-alive)" feed the TLS/plain row.
BULK_LABEL="POST /v1/events/bulk (10,000 events a request, 4 connections)"
BULK_EVENTS_PER_REQUEST=10000
TARGET_BULK_EVENTS_PER_SECOND=300000
CASES=(
  "GET /healthz|http|/healthz|nginx|0.9|10|"
  "GET /healthz (TLS, keep-alive)|https|/healthz|nginx|-|10|"
  "POST /v1/events (600-byte alert, durable)|http|/v1/events|nginx|0.5|-|-s $BENCH_DIR/wrk/post_event.lua"
  "$BULK_LABEL|http|/v1/events/bulk|-|-|-|-c4 -s $BENCH_DIR/wrk/post_bulk.lua"
)
PLAIN_LABEL="GET /healthz"
TLS_LABEL="GET /healthz (TLS, keep-alive)"

# ---------------------------------------------------------------------------------------------
log() { printf '[bench] %s\n' "$*" >&2; }
die() { printf '[bench] ERROR: %s\n' "$*" >&2; exit 1; }

TMP=""
NGINX_PID=""
MWRASP_PID=""
HELPER_PID=""
POLICY_RC_CREATED=0

stop_pid() {  # stop_pid PID [grace seconds]: TERM, wait, then KILL. Only PIDs this script started.
  local pid="$1" grace="${2:-10}" i
  [ -n "$pid" ] || return 0
  kill -0 "$pid" 2>/dev/null || { wait "$pid" 2>/dev/null || true; return 0; }
  kill -TERM "$pid" 2>/dev/null || true
  for ((i = 0; i < grace * 10; i++)); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  if kill -0 "$pid" 2>/dev/null; then
    log "pid $pid did not stop within ${grace}s, killing it"
    kill -KILL "$pid" 2>/dev/null || true
  fi
  wait "$pid" 2>/dev/null || true
}

cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  stop_pid "$HELPER_PID" 5
  stop_pid "$MWRASP_PID" 15
  stop_pid "$NGINX_PID" 10
  if [ "$POLICY_RC_CREATED" = 1 ]; then rm -f /usr/sbin/policy-rc.d; fi
  if [ -n "$TMP" ] && [ -d "$TMP" ]; then rm -rf "$TMP"; fi
  exit "$rc"
}
trap cleanup EXIT
trap 'log "interrupted"; exit 130' INT TERM

# ---------------------------------------------------------------------------------------------
# Tools: install only what is missing (Debian/Ubuntu, apt-get).
NGINX_BIN="${NGINX_BIN:-$(command -v nginx || true)}"
[ -n "$NGINX_BIN" ] || { [ -x /usr/sbin/nginx ] && NGINX_BIN=/usr/sbin/nginx; } || true
WRK_BIN="${WRK_BIN:-$(command -v wrk || true)}"
PYTHON_BIN="${PYTHON_BIN:-$(command -v python3 || true)}"

missing=()
[ -n "$WRK_BIN" ] || missing+=(wrk)
[ -n "$NGINX_BIN" ] || missing+=(nginx)
[ -n "$PYTHON_BIN" ] || missing+=(python3)
command -v openssl >/dev/null || missing+=(openssl)
if [ "${#missing[@]}" -gt 0 ]; then
  command -v apt-get >/dev/null || die "missing tools (${missing[*]}) and no apt-get to install them"
  [ "$(id -u)" = 0 ] || die "missing tools (${missing[*]}); install them (apt-get install ${missing[*]}) or run as root"
  log "installing ${missing[*]} with apt-get"
  # Keep the package's init script from starting a system nginx on port 80.
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d
    chmod 755 /usr/sbin/policy-rc.d
    POLICY_RC_CREATED=1
  fi
  DEBIAN_FRONTEND=noninteractive apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
  if [ "$POLICY_RC_CREATED" = 1 ]; then rm -f /usr/sbin/policy-rc.d; POLICY_RC_CREATED=0; fi
  NGINX_BIN="$(command -v nginx || echo /usr/sbin/nginx)"
  WRK_BIN="$(command -v wrk)"
  PYTHON_BIN="$(command -v python3)"
fi
[ -x "$NGINX_BIN" ] || die "nginx not found (set NGINX_BIN)"

# File descriptors: 1,000 idle connections plus wrk's, in the server and in the helper.
nofile="$(ulimit -n)"
if [ "$nofile" != unlimited ] && [ "$nofile" -lt 8192 ]; then
  ulimit -n 65536 2>/dev/null || ulimit -n 8192 2>/dev/null \
    || die "cannot raise 'ulimit -n' to 8192 (soft $nofile, hard $(ulimit -Hn))"
fi

# The binary under test.
if [ "$SKIP_MWRASP" != 1 ]; then
  if [ -z "${MWRASP_BIN:-}" ]; then
    if ! command -v swift >/dev/null && [ -x /opt/swift/usr/bin/swift ]; then
      PATH="/opt/swift/usr/bin:$PATH"
    fi
    command -v swift >/dev/null || die "swift not found; set MWRASP_BIN or SKIP_MWRASP=1"
    log "building: swift build -c release --product mwrasp"
    (cd "$REPO_ROOT" && swift build -c release --product mwrasp >&2)
    MWRASP_BIN="$REPO_ROOT/.build/release/mwrasp"
  fi
  [ -x "$MWRASP_BIN" ] || die "MWRASP_BIN=$MWRASP_BIN is not an executable (or use SKIP_MWRASP=1)"
fi

TMP="$(mktemp -d "${TMPDIR:-/tmp}/mwrasp-bench.XXXXXX")"
mkdir -p "$TMP/tls" "$TMP/nginx" "$TMP/data" "$TMP/wrk"

# ---------------------------------------------------------------------------------------------
free_port() {  # a port that was free a moment ago on 127.0.0.1 (for nginx, which can't use 0)
  "$PYTHON_BIN" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

http_check() {  # http_check URL -> prints "STATUS CONTENT-TYPE BODY"; fails when unreachable
  "$PYTHON_BIN" - "$1" <<'PY'
import ssl, sys, urllib.request
ctx = ssl.create_default_context(); ctx.check_hostname = False; ctx.verify_mode = ssl.CERT_NONE
try:
    with urllib.request.urlopen(sys.argv[1], timeout=5, context=ctx) as r:
        print(r.status, r.headers.get("Content-Type"), r.read(200).decode("utf-8", "replace"))
except urllib.error.HTTPError as e:
    print(e.code, e.headers.get("Content-Type"), "")
PY
}

rss_kib() {  # rss_kib PID -> VmRSS in KiB
  awk '/^VmRSS:/ {print $2}' "/proc/$1/status"
}

tree_rss_kib() {  # tree_rss_kib PID -> VmRSS of PID plus its direct children (nginx master + workers)
  local pid="$1" total child r
  total="$(rss_kib "$pid")"
  total="${total:-0}"
  while read -r child; do
    r="$(rss_kib "$child" 2>/dev/null || true)"
    total=$((total + ${r:-0}))
  done < <(awk -v p="$pid" '$1 == "PPid:" && $2 == p {f = FILENAME; gsub(/[^0-9]/, "", f); print f}' \
      /proc/[0-9]*/status 2>/dev/null || true)
  echo "$total"
}

commas() { awk -v n="$1" 'BEGIN { s = sprintf("%d", n); while (s ~ /[0-9][0-9][0-9][0-9]/) sub(/[0-9][0-9][0-9]($|,)/, ",&", s); print s }'; }
mib() { awk -v k="$1" 'BEGIN { printf "%.1f", k / 1024 }'; }

to_ms() {  # wrk duration ("812.00us", "1.23ms", "1.01s", "2.00m") -> milliseconds
  awk -v v="$1" 'BEGIN {
    n = v + 0; u = v; sub(/^[0-9.]+/, "", u)
    if (u == "us") n /= 1000; else if (u == "ms") n = n; else if (u == "s") n *= 1000;
    else if (u == "m") n *= 60000; else if (u == "h") n *= 3600000; else { print "NaN"; exit 1 }
    printf "%.3f", n }'
}

median() {  # median VALUES... (numeric)
  printf '%s\n' "$@" | sort -g | awk '{ a[NR] = $1 } END {
    if (NR == 0) { print "NaN"; exit }
    if (NR % 2) printf "%.3f", a[(NR + 1) / 2]; else printf "%.3f", (a[NR / 2] + a[NR / 2 + 1]) / 2 }'
}

fmt() { awk -v v="$1" -v p="${2:-0}" 'BEGIN { if (v == "" || v == "NaN") print "n/a"; else printf "%.*f", p, v }'; }
ge() { awk -v a="$1" -v b="$2" 'BEGIN { exit !(a != "" && a != "NaN" && a + 0 >= b + 0) }'; }
le() { awk -v a="$1" -v b="$2" 'BEGIN { exit !(a != "" && a != "NaN" && a + 0 <= b + 0) }'; }
verdict() { if "$@"; then echo PASS; else echo MISS; fi; }

# ---------------------------------------------------------------------------------------------
# wrk runs. Results accumulate per key "server|label" as space-separated lists.
declare -A RPS P99 WARN
RUN_SEQ=0

wrk_cmd() {  # the exact wrk command line for a duration, URL and extra args
  printf '%s -t%s -c%s -d%s --latency' "wrk" "$THREADS" "$CONNECTIONS" "$1"
  shift 2
  [ "$#" -gt 0 ] && printf ' %s' "$@"
  printf ' %s' "URL"
}

run_wrk() {  # run_wrk OUTFILE DURATION URL [extra...]
  local out="$1" dur="$2" url="$3"
  shift 3
  if ! timeout 120 "$WRK_BIN" -t"$THREADS" -c"$CONNECTIONS" -d"$dur" --latency "$@" "$url" >"$out" 2>&1; then
    cat "$out" >&2
    die "wrk failed against $url"
  fi
}

server_alive() {  # server_alive nginx|mwrasp: fail clearly when the server died under load
  local pid=""
  case "$1" in nginx) pid="$NGINX_PID" ;; mwrasp) pid="$MWRASP_PID" ;; esac
  if [ -n "$pid" ] && ! kill -0 "$pid" 2>/dev/null; then
    [ "$1" = mwrasp ] && tail -n 50 "$TMP/mwrasp.err" >&2
    [ "$1" = nginx ] && tail -n 50 "$TMP/nginx/error.log" >&2
    die "$1 (pid $pid) died during the benchmark"
  fi
  return 0
}

warmup() {  # warmup URL [extra wrk args...]
  local url="$1"
  shift
  run_wrk "$TMP/wrk/warmup.txt" "$WARMUP" "$url" "$@"
  case "$url" in *":$NGINX_HTTP_PORT/"* | *":$NGINX_HTTPS_PORT/"*) server_alive nginx ;; *) server_alive mwrasp ;; esac
}

measure() {  # measure NAME URL [extra wrk args...]   NAME is "server|case label"
  local name="$1" url="$2" out rps p99raw p99 errs non2xx
  shift 2
  RUN_SEQ=$((RUN_SEQ + 1))
  out="$TMP/wrk/run-$RUN_SEQ.txt"
  run_wrk "$out" "$DURATION" "$url" "$@"
  server_alive "${name%%|*}"
  rps="$(awk '/^Requests\/sec:/ {print $2}' "$out")"
  p99raw="$(awk '/Latency Distribution/ {d = 1} d && $1 == "99%" {print $2; exit}' "$out")"
  if [ -z "$rps" ] || [ -z "$p99raw" ]; then
    cat "$out" >&2
    die "could not parse wrk output for $name"
  fi
  p99="$(to_ms "$p99raw")" || die "unknown latency unit in '$p99raw' ($name)"
  non2xx="$(awk '/Non-2xx or 3xx responses:/ {print $NF}' "$out")"
  errs="$(awk '/Socket errors:/ {print}' "$out" | sed 's/^ *//')"
  if [ -n "$non2xx" ]; then
    WARN[$name]+="${non2xx} non-2xx responses (not counted in req/s); "
    # Only answers that did the work count: a 503 from an overloaded store is not a stored
    # event. req/s is scaled by the share of 2xx answers.
    local total
    total="$(awk '/ requests in / {print $1}' "$out")"
    if [ -n "$total" ] && [ "$total" -gt 0 ]; then
      rps="$(awk -v r="$rps" -v t="$total" -v n="$non2xx" 'BEGIN {printf "%.2f", r * (t - n) / t}')"
    fi
  fi
  if [ -n "$errs" ]; then WARN[$name]+="${errs}; "; fi
  RPS[$name]+="$rps "
  P99[$name]+="$p99 "
  log "$(printf '%-7s %-34s run %d: %10s req/s  p99 %8s ms%s' "${name%%|*}" "${name#*|}" \
    "$(wc -w <<<"${RPS[$name]}")" "$rps" "$p99" "${non2xx:+  ($non2xx non-2xx!)}${errs:+  ($errs)}")"
}

run_case() {  # run_case LINE  (one entry of CASES)
  local label scheme path peer minratio maxp99 extra i
  IFS='|' read -r label scheme path peer minratio maxp99 extra <<<"$1"
  local -a args=()
  # shellcheck disable=SC2206  # extra args are space-separated on purpose
  [ -n "$extra" ] && args=($extra)
  local nurl="" murl=""
  if [ "$peer" = nginx ]; then
    if [ "$scheme" = https ]; then nurl="https://127.0.0.1:$NGINX_HTTPS_PORT$path"; else nurl="http://127.0.0.1:$NGINX_HTTP_PORT$path"; fi
  fi
  if [ "$SKIP_MWRASP" != 1 ]; then
    if [ "$scheme" = https ]; then murl="https://127.0.0.1:$MWRASP_HTTPS_PORT$path"; else murl="http://127.0.0.1:$MWRASP_HTTP_PORT$path"; fi
  fi
  log "case: $label"
  [ -n "$nurl" ] && warmup "$nurl" "${args[@]}"
  [ -n "$murl" ] && warmup "$murl" "${args[@]}"
  # Interleaved (nginx, mwrasp, nginx, mwrasp, ...) so drift hits both servers alike.
  for ((i = 1; i <= RUNS; i++)); do
    [ -n "$nurl" ] && measure "nginx|$label" "$nurl" "${args[@]}"
    [ -n "$murl" ] && measure "mwrasp|$label" "$murl" "${args[@]}"
  done
  return 0
}

# ---------------------------------------------------------------------------------------------
# TLS material shared by both servers.
openssl req -x509 -newkey rsa:2048 -nodes -sha256 -days 2 \
  -keyout "$TMP/tls/key.pem" -out "$TMP/tls/cert.pem" \
  -subj "/CN=127.0.0.1" -addext "subjectAltName=IP:127.0.0.1,DNS:localhost" >/dev/null 2>&1 \
  || die "openssl could not create the self-signed certificate"

# nginx peer.
NGINX_HTTP_PORT="$(free_port)"
NGINX_HTTPS_PORT="$(free_port)"
while [ "$NGINX_HTTPS_PORT" = "$NGINX_HTTP_PORT" ]; do NGINX_HTTPS_PORT="$(free_port)"; done
if [ "$(id -u)" = 0 ]; then
  # As root nginx would switch its workers to nobody/www-data, who cannot enter the 0700 temp
  # folder (request-body buffers). Workers keep root instead; they serve 127.0.0.1 only.
  user_directive="user root root;"
else
  user_directive="# not root: no user directive"
fi
sed -e "s|@USER_DIRECTIVE@|$user_directive|" -e "s|@NGINX_DIR@|$TMP/nginx|g" \
  -e "s|@TLS_CERT@|$TMP/tls/cert.pem|" -e "s|@TLS_KEY@|$TMP/tls/key.pem|" \
  -e "s|@HTTP_PORT@|$NGINX_HTTP_PORT|" -e "s|@HTTPS_PORT@|$NGINX_HTTPS_PORT|" \
  "$BENCH_DIR/nginx.conf.template" >"$TMP/nginx/nginx.conf"
"$NGINX_BIN" -t -q -p "$TMP/nginx/" -e "$TMP/nginx/error.log" -c "$TMP/nginx/nginx.conf" \
  || die "nginx rejected $TMP/nginx/nginx.conf"
"$NGINX_BIN" -p "$TMP/nginx/" -e "$TMP/nginx/error.log" -c "$TMP/nginx/nginx.conf" \
  >"$TMP/nginx/stdout.log" 2>&1 &
NGINX_PID=$!

wait_http() {  # wait_http URL PID SECONDS
  local url="$1" pid="$2" deadline=$((SECONDS + $3))
  while ((SECONDS < deadline)); do
    kill -0 "$pid" 2>/dev/null || return 1
    if http_check "$url" 2>/dev/null | grep -q '^200 '; then return 0; fi
    sleep 0.2
  done
  return 1
}
wait_http "http://127.0.0.1:$NGINX_HTTP_PORT/healthz" "$NGINX_PID" 15 \
  || { cat "$TMP/nginx/error.log" "$TMP/nginx/stdout.log" >&2 2>/dev/null || true; die "nginx did not come up"; }
wait_http "https://127.0.0.1:$NGINX_HTTPS_PORT/healthz" "$NGINX_PID" 5 || die "nginx HTTPS did not come up"
log "nginx $NGINX_PID on http://127.0.0.1:$NGINX_HTTP_PORT and https://127.0.0.1:$NGINX_HTTPS_PORT"

# MWRASP.
MWRASP_HTTP_PORT=""
MWRASP_HTTPS_PORT=""
MWRASP_RSS_START=""
MWRASP_CMD=""
if [ "$SKIP_MWRASP" != 1 ]; then
  # An MWRASP token (mwr_ + 43 base64url characters); rate limits are off for the benchmark.
  BENCH_ADMIN_TOKEN="mwr_$(head -c 32 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=\n' | head -c 43)"
  export BENCH_ADMIN_TOKEN
  # shellcheck disable=SC2206
  extra_args=(${MWRASP_EXTRA_ARGS:-})
  mwrasp_args=(serve --listen 127.0.0.1:0 --log-level warning --data-dir "$TMP/data"
    --tls-listen 127.0.0.1:0 --tls-cert "$TMP/tls/cert.pem" --tls-key "$TMP/tls/key.pem" "${extra_args[@]}")
  MWRASP_CMD="$MWRASP_BIN ${mwrasp_args[*]}"
  # stdbuf: the listening lines must reach the file even if the server does not flush stdout.
  stdbuf_cmd=()
  command -v stdbuf >/dev/null && stdbuf_cmd=(stdbuf -oL)
  : >"$TMP/mwrasp.out"
  : >"$TMP/mwrasp.err"
  # The server gets a clean MWRASP_* environment apart from the admin token.
  unset_args=()
  for name in $(compgen -e); do [[ "$name" == MWRASP_* ]] && unset_args+=(-u "$name"); done
  env "${unset_args[@]}" MWRASP_ADMIN_TOKEN="$BENCH_ADMIN_TOKEN" MWRASP_RATE_PER_SECOND=0 \
    "${stdbuf_cmd[@]}" "$MWRASP_BIN" "${mwrasp_args[@]}" >"$TMP/mwrasp.out" 2>"$TMP/mwrasp.err" &
  MWRASP_PID=$!
  deadline=$((SECONDS + STARTUP_TIMEOUT))
  while ((SECONDS < deadline)); do
    if ! kill -0 "$MWRASP_PID" 2>/dev/null; then
      cat "$TMP/mwrasp.out" "$TMP/mwrasp.err" >&2
      die "mwrasp exited during start-up: $MWRASP_CMD"
    fi
    MWRASP_HTTP_PORT="$(sed -n 's|^mwrasp listening on http://127\.0\.0\.1:\([0-9][0-9]*\).*|\1|p' "$TMP/mwrasp.out" | head -n1)"
    MWRASP_HTTPS_PORT="$(sed -n 's|^mwrasp listening on https://127\.0\.0\.1:\([0-9][0-9]*\).*|\1|p' "$TMP/mwrasp.out" | head -n1)"
    [ -n "$MWRASP_HTTP_PORT" ] && [ -n "$MWRASP_HTTPS_PORT" ] && break
    sleep 0.1
  done
  if [ -z "$MWRASP_HTTP_PORT" ] || [ -z "$MWRASP_HTTPS_PORT" ]; then
    cat "$TMP/mwrasp.out" "$TMP/mwrasp.err" >&2
    die "no 'mwrasp listening on http://...' and 'https://...' lines within ${STARTUP_TIMEOUT}s: $MWRASP_CMD"
  fi
  # The PID we measure must be the server itself (stdbuf execs it).
  [ "$(readlink -f "/proc/$MWRASP_PID/exe")" = "$(readlink -f "$MWRASP_BIN")" ] \
    || log "warning: pid $MWRASP_PID is $(readlink -f "/proc/$MWRASP_PID/exe"), not $MWRASP_BIN"
  for url in "http://127.0.0.1:$MWRASP_HTTP_PORT/healthz" "https://127.0.0.1:$MWRASP_HTTPS_PORT/healthz"; do
    answer="$(http_check "$url" 2>&1 || true)"
    case "$answer" in
      "200 application/json"*'"status":"ok"'*) ;;
      200*) log "warning: $url answered: $answer" ;;
      *) cat "$TMP/mwrasp.err" >&2; die "$url answered: ${answer:-nothing}" ;;
    esac
  done
  MWRASP_RSS_START="$(rss_kib "$MWRASP_PID")"
  log "mwrasp $MWRASP_PID on http://127.0.0.1:$MWRASP_HTTP_PORT and https://127.0.0.1:$MWRASP_HTTPS_PORT (RSS $(mib "$MWRASP_RSS_START") MiB)"
fi

tls_params() {  # tls_params PORT -> "TLSv1.3 TLS_AES_256_GCM_SHA384"
  timeout 10 openssl s_client -connect "127.0.0.1:$1" -brief </dev/null 2>&1 \
    | awk -F': *' '/^Protocol version/ {p = $2} /^Ciphersuite/ {c = $2} END {print p, c}' || true
}
NGINX_TLS="$(tls_params "$NGINX_HTTPS_PORT")"
MWRASP_TLS=""
[ "$SKIP_MWRASP" != 1 ] && MWRASP_TLS="$(tls_params "$MWRASP_HTTPS_PORT")"

# RSS with idle keep-alive connections.
IDLE_BASE="" IDLE_WITH="" IDLE_OPEN=""
idle_rss() {  # idle_rss PORT PID MODE(single|tree): sets IDLE_BASE/IDLE_WITH (KiB) and IDLE_OPEN
  local port="$1" pid="$2" mode="$3" i reader=rss_kib
  [ "$mode" = tree ] && reader=tree_rss_kib
  sleep 1
  IDLE_BASE="$($reader "$pid")"
  : >"$TMP/idle.out"
  "$PYTHON_BIN" "$BENCH_DIR/idle_connections.py" "$port" "$IDLE_CONNS" "$IDLE_HOLD_SECONDS" \
    >"$TMP/idle.out" 2>"$TMP/idle.err" &
  HELPER_PID=$!
  for ((i = 0; i < 600; i++)); do
    grep -q '^ready' "$TMP/idle.out" 2>/dev/null && break
    kill -0 "$HELPER_PID" 2>/dev/null || break
    sleep 0.1
  done
  if ! grep -q '^ready' "$TMP/idle.out"; then
    cat "$TMP/idle.err" >&2
    die "idle_connections.py did not get ready against port $port"
  fi
  sleep 2  # let the server settle with the connections open
  IDLE_WITH="$($reader "$pid")"
  kill -TERM "$HELPER_PID" 2>/dev/null || true
  wait "$HELPER_PID" 2>/dev/null || true
  HELPER_PID=""
  IDLE_OPEN="$(awk '/^open/ {print $2}' "$TMP/idle.out")"
  IDLE_OPEN="${IDLE_OPEN:-?}"
  sed 's/^/[bench]   /' "$TMP/idle.err" >&2
  log "  port $port: RSS $(mib "$IDLE_BASE") MiB idle, $(mib "$IDLE_WITH") MiB with the connections; $IDLE_OPEN still open"
}
# The connections' own cost, on the fresh server before any load (the figure after the load
# below also holds what ingestion left: queues, caches, allocator arenas).
MWRASP_FRESH_BASE="" MWRASP_FRESH_CONN=""
if [ "$SKIP_MWRASP" != 1 ]; then
  log "RSS with $IDLE_CONNS idle keep-alive connections, fresh server"
  idle_rss "$MWRASP_HTTP_PORT" "$MWRASP_PID" single
  MWRASP_FRESH_BASE="$IDLE_BASE" MWRASP_FRESH_CONN="$IDLE_WITH"
fi

# ---------------------------------------------------------------------------------------------
# Throughput and latency.
for c in "${CASES[@]}"; do run_case "$c"; done

# After the load above: the harsher, realistic state.
log "RSS with $IDLE_CONNS idle keep-alive connections"
idle_rss "$NGINX_HTTP_PORT" "$NGINX_PID" tree
NGINX_RSS_BASE="$IDLE_BASE" NGINX_RSS_CONN="$IDLE_WITH" NGINX_IDLE_OPEN="$IDLE_OPEN"
MWRASP_RSS_BASE="" MWRASP_RSS_CONN="" MWRASP_IDLE_OPEN=""
if [ "$SKIP_MWRASP" != 1 ]; then
  idle_rss "$MWRASP_HTTP_PORT" "$MWRASP_PID" single
  MWRASP_RSS_BASE="$IDLE_BASE" MWRASP_RSS_CONN="$IDLE_WITH" MWRASP_IDLE_OPEN="$IDLE_OPEN"
fi

# Graceful shutdown of MWRASP (SIGTERM, expect exit 0) — reported, not a target.
MWRASP_SHUTDOWN=""
if [ "$SKIP_MWRASP" != 1 ]; then
  t0=$(date +%s.%N)
  kill -TERM "$MWRASP_PID"
  rc=0
  for ((i = 0; i < 150; i++)); do kill -0 "$MWRASP_PID" 2>/dev/null || break; sleep 0.1; done
  if kill -0 "$MWRASP_PID" 2>/dev/null; then
    kill -KILL "$MWRASP_PID" 2>/dev/null || true
    MWRASP_SHUTDOWN="did not exit within 15 s of SIGTERM (killed)"
  fi
  wait "$MWRASP_PID" 2>/dev/null || rc=$?
  MWRASP_PID=""
  [ -n "$MWRASP_SHUTDOWN" ] || MWRASP_SHUTDOWN="exit $rc after $(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN {printf "%.2f", b - a}') s"
fi

# ---------------------------------------------------------------------------------------------
# Report.
cpu_model="$(awk -F': *' '/^model name/ {print $2; exit}' /proc/cpuinfo)"
[ -n "$cpu_model" ] || cpu_model="$(awk -F': *' '/^(Hardware|CPU part)/ {print $2; exit}' /proc/cpuinfo)"
mem_total="$(awk '/^MemTotal:/ {printf "%.1f GiB", $2 / 1048576}' /proc/meminfo)"
wrk_version="$("$WRK_BIN" -v 2>&1 | head -n1 | sed 's/ *Copyright.*//' || true)"
nginx_version="$("$NGINX_BIN" -v 2>&1 | sed 's/^nginx version: //')"
openssl_version="$(openssl version 2>/dev/null || true)"
git_rev="$(git -C "$REPO_ROOT" rev-parse --short HEAD 2>/dev/null || echo "no commit")"
git_dirty=""
if git -C "$REPO_ROOT" status --porcelain 2>/dev/null | grep -q .; then git_dirty=" (+ uncommitted changes)"; fi
mwrasp_version="n/a"
if [ "$SKIP_MWRASP" != 1 ]; then
  mwrasp_version="$(timeout 5 "$MWRASP_BIN" --version 2>/dev/null | head -n1 || true)"
  mwrasp_version="${mwrasp_version:-unknown} ($MWRASP_BIN)"
fi
wrk_line="$(wrk_cmd "$DURATION" "")"

report() {
  local c label scheme path peer minratio maxp99 extra key_m key_n m_rps n_rps ratio m_p99 n_p99
  local targets verdicts notes=""
  echo "# MWRASP benchmark"
  echo
  echo "- date: $(date -u '+%Y-%m-%d %H:%M:%S UTC')"
  echo "- machine: $(nproc) CPUs, ${cpu_model:-unknown CPU}, $mem_total RAM, $(uname -sr)"
  echo "- tools: ${wrk_version:-wrk ?}; nginx ${nginx_version:-?}; ${openssl_version:-openssl ?}; python $("$PYTHON_BIN" -c 'import platform; print(platform.python_version())')"
  echo "- MWRASP: $mwrasp_version; source $git_rev$git_dirty"
  echo "- command: ${MAKELEVEL:+\`make bench\` → }\`$BENCH_CMD\`$( [ "$SKIP_MWRASP" = 1 ] && echo ' (nginx only)')"
  echo "- each figure: median of $RUNS interleaved runs of \`$wrk_line\` after a $WARMUP warm-up, wrk on the same $(nproc) cores as the server"
  [ "$SKIP_MWRASP" != 1 ] && echo "- server: \`$MWRASP_CMD\`"
  echo "- TLS negotiated: nginx ${NGINX_TLS:-?}; MWRASP ${MWRASP_TLS:-n/a} (self-signed RSA 2048, same cert for both)"
  echo
  echo "| case | MWRASP req/s | nginx req/s | ratio | MWRASP p99 ms | nginx p99 ms | target | result |"
  echo "|---|---:|---:|---:|---:|---:|---|---|"
  for c in "${CASES[@]}"; do
    IFS='|' read -r label scheme path peer minratio maxp99 extra <<<"$c"
    key_m="mwrasp|$label"
    key_n="nginx|$label"
    m_rps="" n_rps="" m_p99="" n_p99="" ratio=""
    # shellcheck disable=SC2086
    [ -n "${RPS[$key_m]:-}" ] && m_rps="$(median ${RPS[$key_m]})" && m_p99="$(median ${P99[$key_m]})"
    # shellcheck disable=SC2086
    [ -n "${RPS[$key_n]:-}" ] && n_rps="$(median ${RPS[$key_n]})" && n_p99="$(median ${P99[$key_n]})"
    [ -n "$m_rps" ] && [ -n "$n_rps" ] && ratio="$(awk -v a="$m_rps" -v b="$n_rps" 'BEGIN {printf "%.3f", (b > 0 ? a / b : 0)}')"
    targets="" verdicts=""
    if [ "$minratio" != "-" ] && [ -n "$minratio" ]; then
      targets+="ratio >= ${minratio}x; "
      if [ -n "$m_rps" ]; then verdicts+="ratio $(verdict ge "$ratio" "$minratio"); "; else verdicts+="ratio n/a; "; fi
    fi
    if [ "$maxp99" != "-" ] && [ -n "$maxp99" ]; then
      targets+="p99 <= $maxp99 ms; "
      if [ -n "$m_p99" ]; then verdicts+="p99 $(verdict le "$m_p99" "$maxp99"); "; else verdicts+="p99 n/a; "; fi
    fi
    printf '| %s | %s | %s | %s | %s | %s | %s | %s |\n' "$label" \
      "$(fmt "$m_rps")" "$(fmt "$n_rps")" "$( [ -n "$ratio" ] && printf '%sx' "$(fmt "$ratio" 2)" || echo n/a)" \
      "$(fmt "$m_p99" 2)" "$(fmt "$n_p99" 2)" "${targets%; }" "${verdicts%; }"
    [ -n "${WARN[$key_m]:-}" ] && notes+="- warning, MWRASP $label: ${WARN[$key_m]%; }"$'\n'
    [ -n "${WARN[$key_n]:-}" ] && notes+="- warning, nginx $label: ${WARN[$key_n]%; }"$'\n'
  done
  # TLS/plain for both servers.
  local m_tp="" n_tp=""
  # shellcheck disable=SC2086
  if [ -n "${RPS[mwrasp|$PLAIN_LABEL]:-}" ] && [ -n "${RPS[mwrasp|$TLS_LABEL]:-}" ]; then
    m_tp="$(awk -v a="$(median ${RPS[mwrasp|$TLS_LABEL]})" -v b="$(median ${RPS[mwrasp|$PLAIN_LABEL]})" 'BEGIN {printf "%.3f", (b > 0 ? a / b : 0)}')"
  fi
  # shellcheck disable=SC2086
  if [ -n "${RPS[nginx|$PLAIN_LABEL]:-}" ] && [ -n "${RPS[nginx|$TLS_LABEL]:-}" ]; then
    n_tp="$(awk -v a="$(median ${RPS[nginx|$TLS_LABEL]})" -v b="$(median ${RPS[nginx|$PLAIN_LABEL]})" 'BEGIN {printf "%.3f", (b > 0 ? a / b : 0)}')"
  fi
  printf '| TLS/plain ratio (req/s, keep-alive) | %s | %s | | | | TLS >= %sx plaintext | %s |\n' \
    "$( [ -n "$m_tp" ] && printf '%sx' "$(fmt "$m_tp" 2)" || echo n/a)" \
    "$( [ -n "$n_tp" ] && printf '%sx' "$(fmt "$n_tp" 2)" || echo n/a)" \
    "$TARGET_TLS_PLAIN_RATIO" "$( [ -n "$m_tp" ] && verdict ge "$m_tp" "$TARGET_TLS_PLAIN_RATIO" || echo n/a)"
  local m_rss="n/a" n_rss rss_verdict="n/a"
  if [ -n "$MWRASP_RSS_CONN" ]; then
    m_rss="$(mib "$MWRASP_RSS_BASE") / $(mib "$MWRASP_RSS_CONN") MiB"
    rss_verdict="$(verdict le "$(mib "$MWRASP_RSS_CONN")" "$TARGET_RSS_MIB")"
  fi
  n_rss="$(mib "$NGINX_RSS_BASE") / $(mib "$NGINX_RSS_CONN") MiB"
  local f_rss="n/a" f_verdict="n/a"
  if [ -n "$MWRASP_FRESH_CONN" ]; then
    f_rss="$(mib "$MWRASP_FRESH_BASE") / $(mib "$MWRASP_FRESH_CONN") MiB"
    f_verdict="$(verdict le "$(mib "$MWRASP_FRESH_CONN")" "$TARGET_RSS_MIB")"
  fi
  printf '| RSS idle / with %s idle connections, fresh server | %s | | | | | <= %s MiB with %s idle connections | %s |\n' \
    "$(commas "$IDLE_CONNS")" "$f_rss" "$TARGET_RSS_MIB" "$(commas "$IDLE_CONNS")" "$f_verdict"
  printf '| RSS idle / with %s idle connections, after the load above | %s | %s | | | | <= %s MiB with %s idle connections | %s |\n' \
    "$(commas "$IDLE_CONNS")" "$m_rss" "$n_rss" "$TARGET_RSS_MIB" "$(commas "$IDLE_CONNS")" "$rss_verdict"
  # Bulk ingestion in events per second.
  local bulk_rps="" bulk_eps="n/a" bulk_verdict="n/a"
  # shellcheck disable=SC2086
  [ -n "${RPS[mwrasp|$BULK_LABEL]:-}" ] && bulk_rps="$(median ${RPS[mwrasp|$BULK_LABEL]})"
  if [ -n "$bulk_rps" ]; then
    bulk_eps="$(awk -v r="$bulk_rps" -v n="$BULK_EVENTS_PER_REQUEST" 'BEGIN {printf "%.0f", r * n}')"
    bulk_verdict="$(verdict ge "$bulk_eps" "$TARGET_BULK_EVENTS_PER_SECOND")"
    bulk_eps="$(fmt "$bulk_eps")"
  fi
  printf '| bulk ingestion, events/s stored durably | %s | | | | | >= %s events/s | %s |\n' \
    "$bulk_eps" "$(commas "$TARGET_BULK_EVENTS_PER_SECOND")" "$bulk_verdict"
  echo
  echo "Notes:"
  echo
  echo "- ratio = MWRASP req/s / nginx req/s, both measured in this run on this machine; p99 from wrk's latency distribution."
  echo "- nginx RSS is master + 2 workers; MWRASP RSS is its one process (VmRSS from /proc/PID/status)."
  echo "- RSS 'fresh server' is read right after start-up, before any load; 'after the load above' is read after it, just before opening the idle connections (nginx: after the load only); $(commas "$IDLE_CONNS") connections each made one keep-alive GET /healthz and then stayed idle; still open when RSS was read: nginx ${NGINX_IDLE_OPEN:-?}, MWRASP ${MWRASP_IDLE_OPEN:-n/a}."
  if [ "$SKIP_MWRASP" != 1 ]; then
    echo "- MWRASP RSS right after start-up: $(mib "$MWRASP_RSS_START") MiB; shutdown on SIGTERM: $MWRASP_SHUTDOWN."
  fi
  printf '%s' "$notes"
  echo
  echo "<details><summary>every run (req/s, p99 ms)</summary>"
  echo
  local key
  for c in "${CASES[@]}"; do
    IFS='|' read -r label _ <<<"$c"
    for key in "nginx|$label" "mwrasp|$label"; do
      [ -n "${RPS[$key]:-}" ] || continue
      echo "- ${key%%|*}, $label: req/s ${RPS[$key]% }; p99 ${P99[$key]% }"
    done
  done
  echo
  echo "</details>"
}

mkdir -p "$(dirname "$RESULTS_FILE")"
report | tee "$RESULTS_FILE"
log "written to $RESULTS_FILE"
