// JavaScript side of the interop check: reads the cases file written by check.py and prints
// ajv's verdict on each ({"verdicts": [bool, ...]}, in case order). Run by check.py.
const fs = require("node:fs");
const path = require("node:path");
const Ajv2020 = require("ajv/dist/2020").default;
const addFormats = require("ajv-formats").default;

const { schemasDir, cases } = JSON.parse(fs.readFileSync(process.argv[2], "utf8"));
// Strict mode stays on (ajv's default): a schema ajv would only half understand fails loudly.
const ajv = new Ajv2020({ allErrors: true });
addFormats(ajv);
const compiled = new Map();
const verdicts = cases.map((c) => {
  if (!compiled.has(c.schema)) {
    const schema = JSON.parse(fs.readFileSync(path.join(schemasDir, c.schema), "utf8"));
    compiled.set(c.schema, ajv.compile(schema));
  }
  const payload = JSON.parse(fs.readFileSync(c.path, "utf8"));
  return compiled.get(c.schema)(payload);
});
process.stdout.write(JSON.stringify({ verdicts }) + "\n");
