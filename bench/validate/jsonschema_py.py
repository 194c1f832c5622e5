"""Python side of bench/validate.sh: python jsonschema_py.py SECONDS SCHEMA SAMPLE.json...

Builds a Draft 2020-12 validator with format checking once, then validates the corpus in a loop
for SECONDS. Prints {"name", "validations", "seconds", "per_second"}.
"""

import json
import sys
import time

from jsonschema import Draft202012Validator

seconds, schema_file, *samples = sys.argv[1:]
with open(schema_file) as f:
    validator = Draft202012Validator(json.load(f), format_checker=Draft202012Validator.FORMAT_CHECKER)
corpus = []
for path in samples:
    with open(path) as f:
        corpus.append(json.load(f))

for v in corpus:
    validator.is_valid(v)
budget = float(seconds)
start = time.perf_counter()
validations = 0
while time.perf_counter() - start < budget:
    for v in corpus:
        validator.is_valid(v)
    validations += len(corpus)
elapsed = time.perf_counter() - start
print(json.dumps({"name": "python jsonschema", "validations": validations, "seconds": elapsed,
                  "per_second": validations / elapsed}))
