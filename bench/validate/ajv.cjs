// ajv side of bench/validate.sh: node ajv.cjs SECONDS SCHEMA SAMPLE.json...
// Compiles the exported schema once (2020 dialect, ajv-formats), then validates the corpus in a
// loop for SECONDS. Prints {"name", "validations", "seconds", "per_second"}.
const fs = require("node:fs");
const Ajv2020 = require("ajv/dist/2020").default;
const addFormats = require("ajv-formats").default;

const [seconds, schemaFile, ...samples] = process.argv.slice(2);
const ajv = new Ajv2020();
addFormats(ajv);
const validate = ajv.compile(JSON.parse(fs.readFileSync(schemaFile, "utf8")));
const corpus = samples.map((p) => JSON.parse(fs.readFileSync(p, "utf8")));

let sink = 0;
for (let i = 0; i < 1000; i++) for (const v of corpus) sink += validate(v) ? 1 : 0; // JIT warm-up
const budget = Number(seconds) * 1e9;
const start = process.hrtime.bigint();
let validations = 0;
while (Number(process.hrtime.bigint() - start) < budget) {
  for (let i = 0; i < 100; i++) for (const v of corpus) sink += validate(v) ? 1 : 0;
  validations += 100 * corpus.length;
}
const elapsed = Number(process.hrtime.bigint() - start) / 1e9;
if (sink < 0) console.error(sink);
console.log(JSON.stringify({ name: "ajv (compiled, exported schema)", validations, seconds: elapsed, per_second: validations / elapsed }));
