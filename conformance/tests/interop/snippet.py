# Validate a JSON payload with an exported schema: python snippet.py SCHEMA PAYLOAD
import json
import sys

from jsonschema import Draft202012Validator

schema_file, payload_file = sys.argv[1:3]
with open(schema_file) as f:
    schema = json.load(f)
with open(payload_file) as f:
    payload = json.load(f)

validator = Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)
errors = list(validator.iter_errors(payload))
for error in errors:
    print(f"{error.json_path}: {error.message}")
sys.exit(1 if errors else 0)
