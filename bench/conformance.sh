#!/usr/bin/env bash
# Times the conformance suite against the embedded mock, side by side with Schemathesis
# replaying the same spec's examples (its `examples` phase) against the same mock.
#
#   bash bench/conformance.sh [RUNS]      # default 10 runs each
#
# Needs: cargo, python3 (3.10+). Installs Schemathesis from PyPI into bench/.venv (throwaway,
# gitignored). Everything runs on loopback; nothing leaves the machine.
set -euo pipefail

cd "$(dirname "$0")/.."
ROOT=$(pwd)
RUNS="${1:-10}"
SPEC="$ROOT/spec/frontpayment.openapi.yaml"
SCHEMATHESIS_VERSION="${SCHEMATHESIS_VERSION:-4.32.5}"

echo "== building conformance (release)" >&2
cargo build --release -q -p conformance
BIN="$ROOT/target/release/conformance"

if [ ! -x bench/.venv/bin/schemathesis ]; then
    echo "== installing schemathesis $SCHEMATHESIS_VERSION into bench/.venv" >&2
    python3 -m venv bench/.venv
    bench/.venv/bin/pip install -q "schemathesis==$SCHEMATHESIS_VERSION"
fi
ST="$ROOT/bench/.venv/bin/schemathesis"

# One shared mock for the like-for-like runs; its first stdout line is its URL.
MOCK_LOG=$(mktemp)
"$BIN" mock --addr 127.0.0.1:0 >"$MOCK_LOG" 2>&1 &
MOCK_PID=$!
RESULTS=$(mktemp -d)
trap 'kill "$MOCK_PID" 2>/dev/null || true; rm -rf "$MOCK_LOG" "$RESULTS"' EXIT
for _ in $(seq 1 100); do
    URL=$(head -n1 "$MOCK_LOG" | grep -o 'http://[0-9.:]*' || true)
    [ -n "$URL" ] && break
    sleep 0.05
done
[ -n "${URL:-}" ] || { echo "the mock did not start:" >&2; cat "$MOCK_LOG" >&2; exit 2; }
echo "== mock at $URL" >&2

# Wall-clock seconds of one command (status ignored: we time, the tests judge).
time_one() {
    local start end
    start=$(date +%s.%N)
    "$@" >/dev/null 2>&1 || true
    end=$(date +%s.%N)
    echo "$end - $start" | bc -l
}

# Mean and min over RUNS runs, after one warm-up.
bench() {
    local name="$1"
    shift
    "$@" >/dev/null 2>&1 || true
    local sum=0 min=999999 t
    for _ in $(seq 1 "$RUNS"); do
        t=$(time_one "$@")
        sum=$(echo "$sum + $t" | bc -l)
        if (($(echo "$t < $min" | bc -l))); then min=$t; fi
    done
    local mean
    mean=$(echo "$sum / $RUNS" | bc -l)
    printf '%-58s mean %7.3f s   min %7.3f s\n' "$name" "$mean" "$min"
    echo "$mean" >"$RESULTS/$(echo "$name" | tr -c 'a-zA-Z0-9' _)"
}

# Schemathesis writes a cache folder where it runs: keep it out of the work tree.
cd "$RESULTS"
echo "== $RUNS runs each" >&2
CASES=$("$BIN" run --format json | python3 -c 'import json,sys; print(json.load(sys.stdin)["summary"]["total"])')
bench "conformance (embedded mock, $CASES cases)" "$BIN"
bench "conformance run --target (shared mock, $CASES cases)" "$BIN" run --target "$URL"
bench "schemathesis --phases examples (shared mock)" \
    "$ST" run "$SPEC" --url "$URL" --phases examples -H "Authorization: Bearer mock-token" --no-color
ours=$(cat "$RESULTS"/conformance__embedded*)
theirs=$(cat "$RESULTS"/schemathesis*)
printf 'ratio: schemathesis / conformance (embedded) = %.1fx\n' "$(echo "$theirs / $ours" | bc -l)"
