#!/usr/bin/env node
// The nn-workbook command; the code is TypeScript compiled to dist/ by `npm install`.
let cli;
try {
  cli = require("../dist/cli/main.js");
} catch (e) {
  if (e && e.code === "MODULE_NOT_FOUND") {
    console.error("nn-workbook: dist/ is missing; run 'npm install' (or 'npm run build') in the project folder first.");
    process.exit(2);
  }
  throw e;
}
cli.main(process.argv.slice(2)).then((code) => process.exit(code), (e) => {
  console.error(e);
  process.exit(1);
});
