#!/usr/bin/env bash
# The validating proxy beside its peers: the same wrk load as bench/proxy.sh, on one mock, sent
# straight to the mock and through each of
#   ours         `conformance proxy --target MOCK` (defaults);
#   nginx(1)     nginx as a pure reverse proxy (no validation), one worker, HTTP/1.1 keep-alive
#                to the mock;
#   nginx(auto)  the same with `worker_processes auto` (one per core);
#   prism        Stoplight Prism's validating proxy (`prism proxy SPEC MOCK`, request and
#                response validation, `--errors`), and prism(-m) the same with `--multiprocess`;
# alternated round by round so background load hits all alike. Prints requests/s, p50 and p99
# per round and path, the CPU µs per request of the mock and of the proxy's processes (from
# /proc, summed over an nginx master and its workers), then the medians, each proxy's ratio to
# direct and the latency it adds at p50. Then the same with one connection.
# Everything runs in a private network namespace with loopback only (after the installs), so
# no proxy can reach anything beyond loopback.
# A benchmark, not a test: it fails only if the mock or our proxy does not start or does not
# answer the benchmark request with 202 and no violations; a peer that fails is reported and
# left out.
#
#   bench/proxy_peers.sh          # defaults below
#   ROUNDS=5 DURATION=5 CONNECTIONS=32 THREADS=2 LATENCY_CONNECTIONS=1 WARMUP=3 bench/proxy_peers.sh
#   PRISM_VERSION=5.14.2 PRISM_DIR=~/.cache/frontpay-contract/prism-5.14.2 (installed from npm)
set -euo pipefail
cd "$(dirname "$0")/.."

DURATION="${DURATION:-10}"
THREADS="${THREADS:-2}"
CONNECTIONS="${CONNECTIONS:-32}"
ROUNDS="${ROUNDS:-3}"
LATENCY_CONNECTIONS="${LATENCY_CONNECTIONS:-1}"
PRISM_VERSION="${PRISM_VERSION:-5.14.2}"
PRISM_DIR="${PRISM_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/frontpay-contract/prism-$PRISM_VERSION}"
TOKEN="bench-token"
SPEC=spec/frontpayment.openapi.yaml

# shellcheck source=bench/lib/common.sh
. bench/lib/common.sh

nginx_bin() { command -v nginx || echo /usr/sbin/nginx; }
PRISM="$PRISM_DIR/node_modules/.bin/prism"

# Installs and the build need the network: done first, then the script runs itself again in a
# network namespace of its own.
if [ -z "${PROXY_PEERS_NETNS:-}" ]; then
  ensure_wrk
  if ! [ -x "$(nginx_bin)" ]; then
    echo "== installing nginx (Debian package)"
    apt_install nginx
  fi
  if ! [ -x "$PRISM" ]; then
    if command -v npm >/dev/null; then
      echo "== installing @stoplight/prism-cli@$PRISM_VERSION (npm) into $PRISM_DIR"
      mkdir -p "$PRISM_DIR"
      npm install --prefix "$PRISM_DIR" --no-audit --no-fund --silent \
        "@stoplight/prism-cli@$PRISM_VERSION" >/dev/null 2>&1 ||
        echo "Prism could not be installed from npm: it is left out"
    else
      echo "npm not found: Prism is left out"
    fi
  fi
  echo "== building (release)"
  cargo build --release --quiet -p conformance --bin conformance
  if unshare --net true 2>/dev/null; then netns=(unshare --net)
  elif unshare --net --map-root-user true 2>/dev/null; then netns=(unshare --net --map-root-user)
  else echo "cannot create a network namespace (unshare --net)"; exit 1; fi
  exec "${netns[@]}" env PROXY_PEERS_NETNS=1 PRISM_DIR="$PRISM_DIR" bash bench/proxy_peers.sh
fi

ip link set lo up
links="$(ip -brief link | awk '{print $1}' | paste -sd' ')"
[ "$links" = lo ] || { echo "the namespace has more than loopback: $links"; exit 1; }
echo "== network namespace: $links (loopback only)"
echo "== versions: $("$(nginx_bin)" -v 2>&1); wrk $(wrk -v 2>&1 | awk 'NR==1 {print $2}'); prism $([ -x "$PRISM" ] && "$PRISM" --version || echo "not installed"); node $(node --version 2>/dev/null || echo "-")"
BIN=target/release/conformance

start_work

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
# Starts a server that prints nothing useful and waits up to `secs` for `url` to answer HTTP.
start_at() { # name url secs command...
  local name="$1" u="$2" secs="$3"; shift 3
  "$@" >"$work/$name.out" 2>"$work/$name.err" &
  pids+=("$!")
  for _ in $(seq $((secs * 10))); do
    kill -0 "${pids[-1]}" 2>/dev/null || return 1
    curl -s --max-time 2 -o /dev/null "$u/" && return 0
    sleep 0.1
  done
  return 1
}
# A process and its descendants.
tree() { echo "$1"; for c in $(pgrep -P "$1" || true); do tree "$c"; done; }
tree_ticks() { local t=0 p; for p in "$@"; do t=$((t + $(ticks "$p"))); done; echo "$t"; }

launch mock env FRONTPAYMENT_TOKEN="$TOKEN" "$BIN" mock --outbox-capacity 1000
mock_url="$url"; mock_pid="${pids[-1]}"
bench_request "$mock_url"

# Each path: its name, URL and the pids whose CPU time is its cost (none for direct).
names=(direct); declare -A url_of=([direct]="$mock_url") pids_of=([direct]="")

launch ours "$BIN" proxy --target "$mock_url"
names+=(ours); url_of[ours]="$url"; pids_of[ours]="${pids[-1]}"

# nginx as a plain reverse proxy: no access log, keep-alive on both sides without a request
# limit per connection (the defaults close each after 1000), foreground, files in $work.
nginx_conf() { # dir workers port
  mkdir -p "$1"
  cat >"$1/nginx.conf" <<NGINX
worker_processes $2;
daemon off;
pid $1/nginx.pid;
error_log $1/error.log warn;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path $1/client_body;
  proxy_temp_path $1/proxy;
  fastcgi_temp_path $1/fastcgi;
  uwsgi_temp_path $1/uwsgi;
  scgi_temp_path $1/scgi;
  keepalive_requests 1000000;
  upstream mock {
    server ${mock_url#http://};
    keepalive 64;
    keepalive_requests 1000000;
  }
  server {
    listen 127.0.0.1:$3;
    location / {
      proxy_pass http://mock;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
    }
  }
}
NGINX
}
for workers in 1 auto; do
  name="nginx($workers)"; port="$(free_port)"; dir="$work/nginx-$workers"
  nginx_conf "$dir" "$workers" "$port"
  if start_at "nginx-$workers" "http://127.0.0.1:$port" 10 "$(nginx_bin)" -p "$dir" -c "$dir/nginx.conf" -e "$dir/error.log"; then
    names+=("$name"); url_of[$name]="http://127.0.0.1:$port"
    pids_of[$name]="$(tree "${pids[-1]}" | paste -sd' ')"
  else
    echo "$name did not start, left out:"; cat "$dir/error.log" "$work/nginx-$workers.err" 2>/dev/null || true
  fi
done

# Prism validates requests (--validate-request, its default, given explicitly) and responses
# (always, in proxy mode); with --errors an invalid request is refused instead of forwarded.
# Its log is kept to warnings, as ours prints only violations. Two rows: one process, and with
# --multiprocess (the HTTP server forked from the CLI, which then only handles the log).
if [ -x "$PRISM" ]; then
  for mode in "" --multiprocess; do
    name=prism; [ -n "$mode" ] && name="prism(-m)"
    port="$(free_port)"
    # shellcheck disable=SC2086 # no option, or one
    if start_at "$name" "http://127.0.0.1:$port" 60 "$PRISM" proxy "$SPEC" "$mock_url" \
      --host 127.0.0.1 --port "$port" --validate-request --errors --verboseLevel warn $mode; then
      names+=("$name"); url_of[$name]="http://127.0.0.1:$port"
      pids_of[$name]="$(tree "${pids[-1]}" | paste -sd' ')"
    else
      echo "$name could not load $SPEC or did not start, left out:"
      tail -n 20 "$work/$name.out" "$work/$name.err"
    fi
  done
fi

# Each path must answer the benchmark request with 202 and without a violations header (ours:
# x-contract-violations, Prism: sl-violations). A peer that does not is left out; ours must.
checked=()
for n in "${names[@]}"; do
  headers="$(bench_request_head "${url_of[$n]}" 2>&1)" || true
  status="$(echo "$headers" | head -n 1 | tr -d '\r')"
  violations="$(echo "$headers" | grep -i '^\(x-contract-violations\|sl-violations\):' | tr -d '\r' || true)"
  if [[ "$status" == *" 202"* ]] && [ -z "$violations" ]; then
    checked+=("$n"); echo "== $n: $status"
  elif [ "$n" = ours ] || [ "$n" = direct ]; then
    echo "$n does not answer the benchmark request with 202 without violations:"; echo "$headers"; exit 1
  else
    echo "$n does not answer the benchmark request with 202 without violations, left out:"
    echo "$headers" | head -n 5; echo "$violations" | cut -c1-300
  fi
done
names=("${checked[@]}")

# Every TCP socket in the namespace has a loopback peer (and there is no other interface).
if ss -Htan | awk '$1 != "LISTEN" && $5 !~ /^(127\.|\[::1\]|\[::ffff:127\.|\*)/' | grep -q .; then
  echo "a socket with a peer beyond loopback:"; ss -tanp; exit 1
fi

run() { # connections url name pids...: the wrk output in name.wrk, mock and proxy ticks in name.cpu
  local conns="$1" u="$2" name="$3" m0 p0; shift 3
  m0="$(ticks "$mock_pid")"; p0="$(tree_ticks "$@")"
  wrk -t"$THREADS" -c"$conns" -d"${DURATION}s" --latency -s "$work/one.lua" "$u" >"$work/$name.wrk"
  echo "$(($(ticks "$mock_pid") - m0)) $(($(tree_ticks "$@") - p0))" >"$work/$name.cpu"
}

row() { printf '%-7s %-12s %12s %10s %10s %10s %10s\n' "$@"; }
# Alternating rounds at `connections` connections; files named <tag>-<k>.N, k the path's index.
rounds() { # tag connections
  local tag="$1" conns="$2" threads="$THREADS" i n f
  [ "$conns" -lt "$threads" ] && threads="$conns"
  echo "== wrk -t$threads -c$conns -d${DURATION}s --latency, $ROUNDS alternating rounds (POST, valid body, open id)"
  row "round" "path" "requests/s" "p50 (ms)" "p99 (ms)" "mock us" "proxy us"
  for r in $(seq "$ROUNDS"); do
    for i in "${!names[@]}"; do
      n="${names[$i]}"; f="$work/$tag-$i.$r.wrk"
      # shellcheck disable=SC2086 # a list of pids
      THREADS="$threads" run "$conns" "${url_of[$n]}" "$tag-$i.$r" ${pids_of[$n]}
      us="$(proxy_us "$f")"; [ "$n" = direct ] && us="-"
      row "$r" "$n" "$(rps "$f")" "$(p50 "$f")" "$(p99 "$f")" "$(mock_us "$f")" "$us"
      grep -h "Socket errors\|Non-2xx" "$f" || true
    done
  done
  local d_rps d_p50
  d_rps="$(med "$tag-0" rps)"; d_p50="$(med "$tag-0" p50)"
  echo "medians:"
  # ratio: of the medians; per round: the median of each round's ratio to that round's direct
  # run (less moved by load that changes from round to round).
  printf '%-12s %12s %10s %10s %10s %10s %8s %10s %12s\n' "path" "requests/s" "p50 (ms)" "p99 (ms)" "mock us" \
    "proxy us" "ratio" "per round" "added p50"
  for i in "${!names[@]}"; do
    n="${names[$i]}"; us="$(med "$tag-$i" proxy_us)"; [ "$n" = direct ] && us="-"
    awk -v n="$n" -v r="$(med "$tag-$i" rps)" -v p50="$(med "$tag-$i" p50)" -v p99="$(med "$tag-$i" p99)" \
      -v m="$(med "$tag-$i" mock_us)" -v us="$us" -v d="$d_rps" -v d50="$d_p50" -v rr="$(round_ratio "$tag" "$i")" \
      'BEGIN {printf "%-12s %12s %10s %10s %10s %10s %8.2f %10.2f %9.3f ms\n", n, r, p50, p99, m, us, r / d, rr, p50 - d50}'
  done
}
round_ratio() { # tag index
  for r in $(seq "$ROUNDS"); do
    awk -v a="$(rps "$work/$1-$2.$r.wrk")" -v b="$(rps "$work/$1-0.$r.wrk")" 'BEGIN {print a / b}'
  done | median
}

# Warm-up, not reported: Prism's JavaScript is compiled as it runs, and every path's first
# connections are set up here rather than in round 1.
echo "== warm-up: ${WARMUP:-3} s of the load on each path"
for n in "${names[@]}"; do
  wrk -t"$THREADS" -c"$CONNECTIONS" -d"${WARMUP:-3}s" -s "$work/one.lua" "${url_of[$n]}" >/dev/null
done

rounds load "$CONNECTIONS"
rounds single "$LATENCY_CONNECTIONS"
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
