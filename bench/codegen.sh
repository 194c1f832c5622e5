#!/usr/bin/env bash
# Whole-process generation time (release build) of the largest documents of ../shared/corpus:
# `codegen generate --crate` from process start to exit, ROUNDS rounds each, median printed.
# A benchmark, not a test: the figures go to bench/README.md ("Generation").
set -euo pipefail
cd "$(dirname "$0")/.."
ROUNDS="${ROUNDS:-7}"
corpus="$(cd ../shared/corpus 2>/dev/null && pwd)" || {
  echo "bench/codegen.sh: the corpus is missing (expected ../shared/corpus beside the repository)" >&2
  exit 2
}
cargo build --release --quiet -p codegen --bin codegen
bin="${CARGO_TARGET_DIR:-target}/release/codegen"
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT

# The largest documents: by bytes of all the files they are made of (ucp: 67 files), and the
# largest single file.
docs=(
  "ucp/source/services/shopping/rest.openapi.json"
  "camara-carrier-billing.yaml"
  "acp-agentic-checkout.yaml"
  "ucp/source/handlers/tokenization/openapi.json"
)
printf '%-50s %8s %10s %10s  %s\n' document rounds "median ms" "max ms" "exit code"
for doc in "${docs[@]}"; do
  times=()
  code=0
  for _ in $(seq "$ROUNDS"); do
    rm -rf "$out/crate"
    start=$(date +%s%N)
    "$bin" generate --spec "$corpus/$doc" --out "$out/crate" --crate bench-client >/dev/null 2>&1 || code=$?
    end=$(date +%s%N)
    times+=($(((end - start) / 1000000)))
  done
  mapfile -t sorted < <(printf '%s\n' "${times[@]}" | sort -n)
  median=${sorted[$((ROUNDS / 2))]}
  max=${sorted[$((ROUNDS - 1))]}
  printf '%-50s %8s %10s %10s  %s\n' "$doc" "$ROUNDS" "$median" "$max" "$code"
done
