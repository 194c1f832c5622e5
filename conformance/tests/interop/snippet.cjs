// Validate a JSON payload with an exported schema: node snippet.cjs SCHEMA PAYLOAD
const fs = require("node:fs");
const Ajv2020 = require("ajv/dist/2020").default;
const addFormats = require("ajv-formats").default;

const [schemaFile, payloadFile] = process.argv.slice(2);
const ajv = new Ajv2020({ allErrors: true });
addFormats(ajv);
const validate = ajv.compile(JSON.parse(fs.readFileSync(schemaFile, "utf8")));
const payload = JSON.parse(fs.readFileSync(payloadFile, "utf8"));

if (!validate(payload)) {
  for (const error of validate.errors) console.log(`${error.instancePath || "/"}: ${error.message}`);
  process.exit(1);
}
