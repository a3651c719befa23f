// Validate glTF / GLB files with the Khronos glTF validator and print one JSON report
// per file (a JSON array on stdout). Exit status: 0 when every file has zero errors,
// 1 when any has errors, 2 on bad usage or a file the validator cannot read.
// Usage: node validate_gltf.mjs FILE [FILE ...]
import { readFile } from "node:fs/promises";
import { basename } from "node:path";
import * as validator from "gltf-validator";

const files = process.argv.slice(2);
if (files.length === 0) {
  console.error("usage: node validate_gltf.mjs FILE [FILE ...]");
  process.exit(2);
}
const reports = [];
let status = 0;
for (const file of files) {
  try {
    const bytes = new Uint8Array(await readFile(file));
    const report = await validator.validateBytes(bytes, {
      uri: basename(file),
      maxIssues: 0,
      writeTimestamp: false,
    });
    reports.push(report);
    if (report.issues.numErrors > 0) status = Math.max(status, 1);
  } catch (error) {
    reports.push({ uri: file, fatal: String(error) });
    status = 2;
  }
}
console.log(JSON.stringify(reports, null, 1));
process.exit(status);
