#!/usr/bin/env bash
# Throughput of the mock (full routing, auth, validation, state, outbox) against a bare axum
# handler that returns a fixed 202 body (the ceiling on this machine), side by side, with wrk
# on loopback; then a 30 s load run of mixed requests (every state, invalid bodies) that must
# end with zero socket errors, zero unexpected statuses and a flat memory footprint.
# A benchmark, not a test: it prints figures and fails only when the load run breaks.
#
#   bench/mock.sh                 # defaults below
#   ROUNDS=5 DURATION=10 CONNECTIONS=32 THREADS=2 LOAD_SECONDS=30 LOAD_CONNECTIONS=64 bench/mock.sh
#   PROFILE=1 bench/mock.sh       # adds a perf profile of the mock under the wrk load
#   NO_BUILD=1 bench/mock.sh      # use the release binaries already built
set -euo pipefail
cd "$(dirname "$0")/.."

DURATION="${DURATION:-10}"
THREADS="${THREADS:-2}"
CONNECTIONS="${CONNECTIONS:-32}"
LOAD_SECONDS="${LOAD_SECONDS:-30}"
LOAD_CONNECTIONS="${LOAD_CONNECTIONS:-64}"
ROUNDS="${ROUNDS:-3}"
TOKEN="bench-token"

# shellcheck source=bench/lib/common.sh
. bench/lib/common.sh
ensure_wrk

echo "== building (release)"
[ -n "${NO_BUILD:-}" ] || cargo build --release --quiet -p conformance --bin conformance --example bare_202
BIN=target/release/conformance
BARE=target/release/examples/bare_202

start_work

launch mock env FRONTPAYMENT_TOKEN="$TOKEN" "$BIN" mock --outbox-capacity 1000
mock_url="$url"; mock_pid="${pids[-1]}"
launch bare "$BARE"
bare_url="$url"

# Request targets from the spec (path templates by x-resource) and the mock's own fixtures.
awk '/^  \/[^ ]*:$/ {p=$1; sub(/:$/,"",p)} /^      x-resource:/ {print $2, p}' \
  spec/frontpayment.openapi.yaml >"$work/paths"
curl -fsS -H "Authorization: Bearer $TOKEN" "$mock_url/__mock/fixtures" >"$work/fixtures.json"
python3 - "$work" <<'PY'
import json, re, sys
work = sys.argv[1]
fixtures = json.load(open(f"{work}/fixtures.json"))
valid = open("spec/samples/valid/email-only.json").read().strip()
invalid = open("spec/samples/invalid/all-null.json").read().strip()
targets = []
for line in open(f"{work}/paths"):
    resource, template = line.split()
    ids = fixtures.get(resource, {})
    path = lambda i: re.sub(r"\{[^}]+\}", i, template)
    for state, i in ids.items():
        targets.append((path(i), valid))
    targets.append((path(ids["open"] + "0"), valid))  # unknown id: 404
    targets.append((path(ids["open"]), invalid))       # invalid body: 417
first_open = next(path for path, body in targets if body == valid)
lua = lambda s: json.dumps(s)
with open(f"{work}/one.lua", "w") as f:
    f.write(f'wrk.method = "POST"\nwrk.path = {lua(first_open)}\nwrk.body = {lua(valid)}\n')
with open(f"{work}/mixed.lua", "w") as f:
    f.write("local targets = {\n")
    for p, b in targets:
        f.write(f"  {{{lua(p)}, {lua(b)}}},\n")
    f.write("}\n")
PY
cat >>"$work/one.lua" <<LUA
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer $TOKEN"
LUA
cat >>"$work/mixed.lua" <<LUA
-- Every documented answer is expected; anything else is counted per thread.
local expected = {[202] = true, [400] = true, [404] = true, [417] = true, [510] = true}
local threads = {}
function setup(thread) table.insert(threads, thread) end
local i = 0
unexpected = 0
function request()
  i = i % #targets + 1
  return wrk.format("POST", targets[i][1], {["Content-Type"] = "application/json",
    ["Authorization"] = "Bearer $TOKEN"}, targets[i][2])
end
function response(status, headers, body)
  if not expected[status] then unexpected = unexpected + 1 end
end
function done(summary, latency, requests)
  local n = 0
  for _, t in ipairs(threads) do n = n + t:get("unexpected") end
  io.write(string.format("unexpected statuses: %d\n", n))
end
LUA

# Check that the single-request script gets a 202 before measuring anything.
curl -fsS -o /dev/null -w "%{http_code}" -X POST -H "Authorization: Bearer $TOKEN" \
  -H "Content-Type: application/json" --data-binary @spec/samples/valid/email-only.json \
  "$mock_url$(sed -n 's/^wrk.path = "\(.*\)"$/\1/p' "$work/one.lua")" | grep -qx 202 \
  || { echo "the mock did not answer 202 to the benchmark request"; exit 1; }

run() { # url script out
  wrk -t"$THREADS" -c"$CONNECTIONS" -d"${DURATION}s" --latency -s "$2" "$1" >"$work/$3.wrk"
}

# Rounds alternate between the two servers so that background load on a shared machine
# hits both alike; the medians are reported.
echo "== wrk -t$THREADS -c$CONNECTIONS -d${DURATION}s --latency, $ROUNDS alternating rounds (POST, valid body, open id)"
printf '%-7s %-34s %12s %10s\n' "round" "server" "requests/s" "p99 (ms)"
for r in $(seq "$ROUNDS"); do
  run "$bare_url" "$work/one.lua" "bare.$r"
  run "$mock_url" "$work/one.lua" "mock.$r"
  printf '%-7s %-34s %12s %10s\n' "$r" "bare axum, fixed 202 (ceiling)" "$(rps "$work/bare.$r.wrk")" "$(p99 "$work/bare.$r.wrk")"
  printf '%-7s %-34s %12s %10s\n' "$r" "conformance mock, full validation" "$(rps "$work/mock.$r.wrk")" "$(p99 "$work/mock.$r.wrk")"
  grep -h "Socket errors" "$work/mock.$r.wrk" || true
done
bare_rps="$(med bare rps)"; mock_rps="$(med mock rps)"
printf '%-7s %-34s %12s %10s\n' "median" "bare axum, fixed 202 (ceiling)" "$bare_rps" "$(med bare p99)"
printf '%-7s %-34s %12s %10s\n' "median" "conformance mock, full validation" "$mock_rps" "$(med mock p99)"
awk -v m="$mock_rps" -v b="$bare_rps" 'BEGIN {printf "mock / ceiling (median requests/s): %.2f\n", m / b}'
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"

# PROFILE=1: where the mock's time goes under the same load (perf, flat by symbol).
if [ -n "${PROFILE:-}" ]; then
  echo "== perf record -F 999 -g on the mock during one more ${DURATION}s wrk run (top symbols, self time)"
  perf record -q -F 999 -g -o "$work/mock.perf" -p "$mock_pid" -- sleep "$DURATION" 2>/dev/null &
  perf_pid=$!
  run "$mock_url" "$work/one.lua" "prof"
  wait "$perf_pid" || true
  perf report -i "$work/mock.perf" --stdio --no-children --sort dso,symbol 2>/dev/null \
    | grep -E "^ +[0-9]" | head -"${PROFILE_TOP:-30}" | cut -c1-150 || true
fi

echo "== load: wrk -t$THREADS -c$LOAD_CONNECTIONS -d${LOAD_SECONDS}s, mixed requests (202/400/404/417/510)"
curl -fsS -H "Authorization: Bearer $TOKEN" -X DELETE "$mock_url/__mock/outbox"
rss() { ps -o rss= -p "$mock_pid" | tr -d ' '; }
wrk -t"$THREADS" -c"$LOAD_CONNECTIONS" -d"${LOAD_SECONDS}s" --latency -s "$work/mixed.lua" "$mock_url" >"$work/load.wrk" &
wrk_pid=$!
samples=()
while kill -0 "$wrk_pid" 2>/dev/null; do samples+=("$(rss)"); sleep 3; done
wait "$wrk_pid"
grep -E "Requests/sec|Socket errors|unexpected statuses|^ +99%" "$work/load.wrk" || true
echo "mock RSS every 3 s (KiB): ${samples[*]}"
fail=0
if grep -q "Socket errors" "$work/load.wrk"; then echo "FAIL: socket errors"; fail=1; fi
if ! grep -qx "unexpected statuses: 0" "$work/load.wrk"; then echo "FAIL: unexpected statuses"; fail=1; fi
# Flat: the outbox is bounded, so once warm (a third into the run) the footprint must stay
# within 25 % (+4 MiB of allocator slack) of where it was.
n=${#samples[@]}
warm=${samples[$((n / 3))]}
last=${samples[$((n - 1))]}
if [ "$last" -gt $((warm * 5 / 4 + 4096)) ]; then echo "FAIL: memory grew from $warm to $last KiB"; fail=1; fi
dropped="$(curl -fsS -H "Authorization: Bearer $TOKEN" "$mock_url/__mock/outbox" | python3 -c 'import json,sys; o=json.load(sys.stdin); print(o["dropped"], len(o["deliveries"]), o["capacity"])')"
echo "outbox after the load run (dropped, kept, capacity): $dropped"
exit "$fail"
