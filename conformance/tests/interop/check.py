"""Interop check: every sample gets the same verdict in Rust, Python and JavaScript.

Run by .ci/test:

    NODE_PATH=.ci/node_modules .ci/.venv/bin/python conformance/tests/interop/check.py \
        --rust target/debug/conformance

The cases are every request sample (spec/samples/{valid,invalid}/ and the cross-validator edge
cases in requests/ beside this file, against each operation's request schema) and every
response sample (spec/samples/responses/<operationId>/<status>/{valid,invalid}/). Each is
judged by:

- Rust: `conformance validate --format json` (the contract's own compiled validators);
- Python: `jsonschema` Draft 2020-12 with format checking, on the exported spec/schemas/;
- JavaScript: ajv (2020 dialect) with ajv-formats, on the exported spec/schemas/ (check.cjs).

Any disagreement between them, or with the verdict the sample's folder names, fails and names
the sample. The README's Python and JavaScript snippets (snippet.py, snippet.cjs) are run too,
and must appear verbatim in README.md.
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from jsonschema import Draft202012Validator

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[2]
SCHEMAS = ROOT / "spec" / "schemas"
SAMPLES = ROOT / "spec" / "samples"
VERDICT = {True: "valid", False: "invalid"}


def rel(path):
    return str(Path(path).relative_to(ROOT))


def collect_cases(index):
    """Every (sample, operation, target, schema file, expected verdict)."""
    operations = index["operations"]
    cases, problems = [], []
    for folder in (SAMPLES, HERE / "requests"):
        for verdict in ("valid", "invalid"):
            for sample in sorted((folder / verdict).glob("*.json")):
                for op, entry in operations.items():
                    if "request" in entry:
                        cases.append(
                            {
                                "path": str(sample),
                                "operation": op,
                                "status": None,
                                "schema": entry["request"],
                                "expected": verdict == "valid",
                            }
                        )
    responses = SAMPLES / "responses"
    for sample in sorted(responses.rglob("*.json")):
        parts = sample.relative_to(responses).parts
        if len(parts) != 4 or parts[2] not in VERDICT.values():
            problems.append(f"{rel(sample)}: expected responses/<operationId>/<status>/(valid|invalid)/<name>.json")
            continue
        op, status, verdict, _ = parts
        schema = operations.get(op, {}).get("responses", {}).get(status)
        if schema is None:
            problems.append(f"{rel(sample)}: the contract has no JSON response {status} for operation `{op}`")
            continue
        cases.append(
            {
                "path": str(sample),
                "operation": op,
                "status": status,
                "schema": schema,
                "expected": verdict == "valid",
            }
        )
    return cases, problems


def python_verdicts(cases):
    validators = {}
    out = []
    for case in cases:
        if case["schema"] not in validators:
            schema = json.loads((SCHEMAS / case["schema"]).read_text())
            Draft202012Validator.check_schema(schema)
            validators[case["schema"]] = Draft202012Validator(
                schema, format_checker=Draft202012Validator.FORMAT_CHECKER
            )
        payload = json.loads(Path(case["path"]).read_text())
        out.append(validators[case["schema"]].is_valid(payload))
    return out


def javascript_verdicts(cases):
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as f:
        json.dump({"schemasDir": str(SCHEMAS), "cases": cases}, f)
    try:
        run = subprocess.run(
            ["node", str(HERE / "check.cjs"), f.name], capture_output=True, text=True, check=False
        )
    finally:
        os.unlink(f.name)
    if run.returncode != 0:
        sys.exit(f"interop: the JavaScript checker failed:\n{run.stderr}")
    return json.loads(run.stdout)["verdicts"]


def rust_verdicts(cases, binary):
    out = []
    for case in cases:
        target = ["--request"] if case["status"] is None else ["--response", case["status"]]
        run = subprocess.run(
            [binary, "validate", "--operation", case["operation"], *target, "--format", "json", case["path"]],
            capture_output=True,
            text=True,
            check=False,
        )
        if run.returncode not in (0, 1):
            sys.exit(f"interop: `conformance validate` could not judge {rel(case['path'])}:\n{run.stderr}")
        out.append(json.loads(run.stdout)["valid"])
    return out


def check_snippets(cases):
    """Runs the README snippets on one valid and one invalid sample per schema file."""
    problems = []
    readme = (ROOT / "README.md").read_text()
    for name in ("snippet.py", "snippet.cjs"):
        if (HERE / name).read_text().strip() not in readme:
            problems.append(f"README.md does not contain conformance/tests/interop/{name} verbatim")
    picked = {}
    for case in cases:
        picked.setdefault((case["schema"], case["expected"]), case)
    for (schema, expected), case in sorted(picked.items()):
        for command in (
            [sys.executable, str(HERE / "snippet.py")],
            ["node", str(HERE / "snippet.cjs")],
        ):
            run = subprocess.run(
                [*command, str(SCHEMAS / schema), case["path"]], capture_output=True, text=True, check=False
            )
            want = 0 if expected else 1
            if run.returncode != want:
                problems.append(
                    f"{Path(command[-1]).name} on {rel(case['path'])} with {schema}: exit {run.returncode}, "
                    f"expected {want}\n{run.stdout}{run.stderr}"
                )
    return problems, len(picked)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rust", required=True, help="the built `conformance` binary")
    args = parser.parse_args()

    index = json.loads((SCHEMAS / "index.json").read_text())
    cases, problems = collect_cases(index)
    verdicts = {
        "rust": rust_verdicts(cases, args.rust),
        "python": python_verdicts(cases),
        "javascript": javascript_verdicts(cases),
    }
    for i, case in enumerate(cases):
        got = {who: v[i] for who, v in verdicts.items()}
        what = case["operation"] + (" request" if case["status"] is None else f" response {case['status']}")
        detail = ", ".join(f"{who} {VERDICT[v]}" for who, v in got.items())
        if len(set(got.values())) > 1:
            problems.append(f"DISAGREE {rel(case['path'])} ({what}): {detail}")
        elif case["expected"] not in got.values():
            problems.append(
                f"WRONG {rel(case['path'])} ({what}): its folder says {VERDICT[case['expected']]}, "
                f"but {detail}"
            )
    snippet_problems, snippet_runs = check_snippets(cases)
    problems += snippet_problems

    for p in problems:
        print(p)
    print(
        f"interop: {len(cases)} cases judged by Rust, Python jsonschema and JavaScript ajv; "
        f"README snippets run on {snippet_runs} samples; {len(problems)} problem(s)"
    )
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
