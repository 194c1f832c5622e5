#!/usr/bin/env bash
# Request-body validations per second, side by side in one run over the same corpus:
# the project's compiled validator (Rust, release build), ajv (compiled) and Python jsonschema.
# Not a test: figures depend on the machine. Needs the tools .ci/run installs
# (.ci/.venv with jsonschema, .ci/node_modules with ajv and ajv-formats).
#
#   bash bench/validate.sh [SECONDS per validator, default 3]
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-3}"
spec=spec/frontpayment.openapi.yaml

# The corpus: every request sample (valid and invalid), the same files for all three.
mapfile -t corpus < <(ls spec/samples/valid/*.json spec/samples/invalid/*.json \
  conformance/tests/interop/requests/*/*.json | sort)
# The exported request schema of the first operation that takes a body (from the index).
schema="spec/schemas/$(.ci/.venv/bin/python -c '
import json
ops = json.load(open("spec/schemas/index.json"))["operations"]
print(next(o["request"] for o in ops.values() if "request" in o))')"

cargo build --release -q -p codegen --example bench_validate
bin="${CARGO_TARGET_DIR:-target}/release/examples/bench_validate"

echo "corpus: ${#corpus[@]} request bodies; schema: $schema; ${seconds}s per validator" >&2
results=$(
  "$bin" "$seconds" "$spec" "${corpus[@]}"
  NODE_PATH="$PWD/.ci/node_modules" node bench/validate/ajv.cjs "$seconds" "$schema" "${corpus[@]}"
  .ci/.venv/bin/python bench/validate/jsonschema_py.py "$seconds" "$schema" "${corpus[@]}"
)
.ci/.venv/bin/python - "$results" <<'PY'
import json, sys
rows = [json.loads(line) for line in sys.argv[1].splitlines() if line.strip()]
ajv = next(r["per_second"] for r in rows if r["name"].startswith("ajv"))
print(f"{'validator':<36} {'validations/s':>15} {'vs ajv':>8}")
for r in rows:
    print(f"{r['name']:<36} {r['per_second']:>15,.0f} {r['per_second'] / ajv:>7.3f}x")
PY
