#!/usr/bin/env bash
# What the validating proxy costs: the same wrk load straight to the mock and through
# `conformance proxy` to the same mock, alternated round by round so background load hits
# both alike. Prints requests/s and p50/p99 per round, the medians, the throughput ratio and
# the latency the proxy adds at p50 (targets: ratio >= 0.5, added p50 < 1 ms), and the CPU
# time (user + system, from /proc) the mock and the proxy spent per request in each run.
# Then the same with one connection (LATENCY_CONNECTIONS), where latency is the cost of one
# exchange rather than queueing behind the others.
# A benchmark, not a test: it prints figures; it fails only if a server does not start or
# the benchmark request is not answered 202 through the proxy without violations.
#
#   bench/proxy.sh                # defaults below
#   ROUNDS=5 DURATION=10 CONNECTIONS=32 THREADS=2 LATENCY_CONNECTIONS=1 bench/proxy.sh
set -euo pipefail
cd "$(dirname "$0")/.."

DURATION="${DURATION:-10}"
THREADS="${THREADS:-2}"
CONNECTIONS="${CONNECTIONS:-32}"
ROUNDS="${ROUNDS:-3}"
LATENCY_CONNECTIONS="${LATENCY_CONNECTIONS:-1}"
TOKEN="bench-token"

# shellcheck source=bench/lib/common.sh
. bench/lib/common.sh
ensure_wrk

echo "== building (release)"
cargo build --release --quiet -p conformance --bin conformance
BIN=target/release/conformance

start_work

launch mock env FRONTPAYMENT_TOKEN="$TOKEN" "$BIN" mock --outbox-capacity 1000
mock_url="$url"; mock_pid="${pids[-1]}"
launch proxy "$BIN" proxy --target "$mock_url"
proxy_url="$url"; proxy_pid="${pids[-1]}"

bench_request "$mock_url"

# Through the proxy the benchmark request must get 202 and no violations header.
headers="$(bench_request_head "$proxy_url")"
echo "$headers" | head -n 1 | grep -q " 202" || { echo "no 202 through the proxy:"; echo "$headers"; exit 1; }
if echo "$headers" | grep -qi '^x-contract-violations:'; then echo "the benchmark request has violations"; exit 1; fi

run() { # connections url name: the wrk output in name.wrk, the mock's and proxy's ticks in name.cpu
  local m0 p0
  m0="$(ticks "$mock_pid")"; p0="$(ticks "$proxy_pid")"
  wrk -t"$THREADS" -c"$1" -d"${DURATION}s" --latency -s "$work/one.lua" "$2" >"$work/$3.wrk"
  echo "$(($(ticks "$mock_pid") - m0)) $(($(ticks "$proxy_pid") - p0))" >"$work/$3.cpu"
}

# Alternating rounds at `connections` connections; files named <tag>-direct.N / <tag>-proxied.N.
rounds() { # tag connections
  local tag="$1" conns="$2" threads="$THREADS"
  [ "$conns" -lt "$threads" ] && threads="$conns"
  echo "== wrk -t$threads -c$conns -d${DURATION}s --latency, $ROUNDS alternating rounds (POST, valid body, open id)"
  printf '%-7s %-26s %12s %10s %10s %10s %10s\n' "round" "path" "requests/s" "p50 (ms)" "p99 (ms)" \
    "mock us" "proxy us"
  for r in $(seq "$ROUNDS"); do
    THREADS="$threads" run "$conns" "$mock_url" "$tag-direct.$r"
    THREADS="$threads" run "$conns" "$proxy_url" "$tag-proxied.$r"
    for k in direct proxied; do
      name="mock, direct"; [ "$k" = proxied ] && name="proxy -> mock"
      f="$work/$tag-$k.$r.wrk"
      printf '%-7s %-26s %12s %10s %10s %10s %10s\n' "$r" "$name" "$(rps "$f")" "$(p50 "$f")" "$(p99 "$f")" \
        "$(mock_us "$f")" "$(proxy_us "$f")"
      grep -h "Socket errors\|Non-2xx" "$f" || true
    done
  done
  d_rps="$(med "$tag-direct" rps)"; p_rps="$(med "$tag-proxied" rps)"
  d_p50="$(med "$tag-direct" p50)"; p_p50="$(med "$tag-proxied" p50)"
  printf '%-7s %-26s %12s %10s %10s %10s %10s\n' "median" "mock, direct" "$d_rps" "$d_p50" \
    "$(med "$tag-direct" p99)" "$(med "$tag-direct" mock_us)" "-"
  printf '%-7s %-26s %12s %10s %10s %10s %10s\n' "median" "proxy -> mock" "$p_rps" "$p_p50" \
    "$(med "$tag-proxied" p99)" "$(med "$tag-proxied" mock_us)" "$(med "$tag-proxied" proxy_us)"
  awk -v p="$p_rps" -v d="$d_rps" 'BEGIN {printf "proxied / direct (median requests/s): %.2f (target >= 0.5)\n", p / d}'
  awk -v p="$p_p50" -v d="$d_p50" 'BEGIN {printf "added at p50: %.3f ms (target < 1 ms)\n", p - d}'
}

rounds load "$CONNECTIONS"
rounds single "$LATENCY_CONNECTIONS"
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
