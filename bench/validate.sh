#!/usr/bin/env bash
# Request-body validations per second, side by side in one run over the same corpus:
# the project's validators (Rust, release build: the embedded contract's verdict generated at
# build time, and the one compiled at run time), ajv (compiled) and Python jsonschema.
# Not a test: figures depend on the machine. Needs the tools .ci/run installs
# (.ci/.venv with jsonschema, .ci/node_modules with ajv and ajv-formats).
#
#   bash bench/validate.sh [SECONDS per validator, default 3]   (ROUNDS=5 by default)
# The Rust and ajv runs alternate over ROUNDS rounds so background load hits both alike; the
# table shows each validator's median and its median ratio to ajv over the rounds. Python runs
# once (it is three orders of magnitude slower).
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-3}"
rounds="${ROUNDS:-5}"
spec=spec/frontpayment.openapi.yaml

# The corpus: every request sample (valid and invalid), the same files for all three.
mapfile -t corpus < <(ls spec/samples/valid/*.json spec/samples/invalid/*.json \
  conformance/tests/interop/requests/*/*.json | sort)
# The exported request schema of the first operation that takes a body (from the index).
schema="spec/schemas/$(.ci/.venv/bin/python -c '
import json
ops = json.load(open("spec/schemas/index.json"))["operations"]
print(next(o["request"] for o in ops.values() if "request" in o))')"

[ -n "${NO_BUILD:-}" ] || cargo build --release -q -p conformance --example bench_validate
bin="${CARGO_TARGET_DIR:-target}/release/examples/bench_validate"

echo "corpus: ${#corpus[@]} request bodies; schema: $schema; ${seconds}s per validator; $rounds rounds; load: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
results=""
for round in $(seq "$rounds"); do
  echo "round $round/$rounds" >&2
  results+=$("$bin" "$seconds" "$spec" "${corpus[@]}" | sed "s/^{/{\"round\": $round, /")$'\n'
  results+=$(NODE_PATH="$PWD/.ci/node_modules" node bench/validate/ajv.cjs "$seconds" "$schema" "${corpus[@]}" \
    | sed "s/^{/{\"round\": $round, /")$'\n'
done
results+=$(.ci/.venv/bin/python bench/validate/jsonschema_py.py "$seconds" "$schema" "${corpus[@]}" \
  | sed 's/^{/{"round": 1, /')$'\n'
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
.ci/.venv/bin/python - "$results" <<'PY'
import json, statistics, sys
rows = [json.loads(line) for line in sys.argv[1].splitlines() if line.strip()]
ajv = {r["round"]: r["per_second"] for r in rows if r["name"].startswith("ajv")}
names = list(dict.fromkeys(r["name"] for r in rows))
print(f"{'validator':<46} {'median/s':>12} {'vs ajv (median of rounds)':>26}  per round")
for n in names:
    mine = [r for r in rows if r["name"] == n]
    med = statistics.median(r["per_second"] for r in mine)
    ratio = statistics.median(r["per_second"] / ajv[r["round"]] for r in mine)
    rounds = " ".join(f"{r['per_second'] / 1e6:.2f}M" for r in mine)
    print(f"{n:<46} {med:>12,.0f} {ratio:>25.3f}x  {rounds}")
PY
