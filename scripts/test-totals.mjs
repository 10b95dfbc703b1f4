#!/usr/bin/env node
/**
 * Prints the totals of a vitest run from its JSON report, ending with the line CI reads:
 *   N passed, N failed
 * and exits non-zero when anything failed.
 *
 *   node scripts/test-totals.mjs REPORT.json [--vitest-exit CODE] [--extra-failure "what failed"]...
 *
 * Failed counts failed test cases; in a file that failed without a failed test case (it did not
 * load, or a beforeAll hook threw) the cases that could not run, or 1 when it has none; plus each
 * --extra-failure (a set-up step that failed); plus one if vitest itself exited non-zero without
 * any of the above (unhandled error, crash, no report).
 */
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";

const args = process.argv.slice(2);
let reportFile;
let vitestExit = 0;
const extraFailures = [];
for (let i = 0; i < args.length; i++) {
  if (args[i] === "--vitest-exit") vitestExit = Number(args[++i]);
  else if (args[i] === "--extra-failure") extraFailures.push(args[++i]);
  else reportFile = args[i];
}

let passed = 0;
let failed = 0;
let skipped = 0;
const notes = [];

if (reportFile && existsSync(reportFile)) {
  let report;
  try {
    report = JSON.parse(readFileSync(reportFile, "utf8"));
  } catch (error) {
    notes.push(`could not parse ${reportFile}: ${error.message}`);
  }
  for (const file of report?.testResults ?? []) {
    const name = path.relative(process.cwd(), file.name ?? "?");
    let failedHere = 0;
    let notRunHere = 0;
    for (const test of file.assertionResults ?? []) {
      if (test.status === "passed") passed++;
      else if (test.status === "failed") {
        failed++;
        failedHere++;
      } else notRunHere++; // skipped, pending, todo, disabled
    }
    if (file.status === "failed" && failedHere === 0) {
      // The file failed outside its test cases: it did not load, or a beforeAll/afterAll hook threw.
      // The cases it holds could not run, so they count as failed (as Jest counts them); a file
      // that did not load at all counts as one failure.
      failed += Math.max(1, notRunHere);
      const message = String(file.message ?? "").split("\n")[0];
      notes.push(
        `file failed${notRunHere ? ` (${notRunHere} test cases could not run)` : ""}: ${name}${message ? `: ${message}` : ""}`,
      );
    } else skipped += notRunHere;
  }
} else {
  notes.push(`no vitest report at ${reportFile ?? "(none given)"}`);
}

for (const what of extraFailures) {
  failed++;
  notes.push(`set-up failed: ${what}`);
}
if (vitestExit !== 0 && failed === 0) {
  failed++;
  notes.push(`vitest exited with code ${vitestExit} (an error outside the test cases: see its output above)`);
}

for (const note of notes) console.log(`[totals] ${note}`);
if (skipped) console.log(`[totals] ${skipped} skipped or todo`);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed > 0 || vitestExit !== 0 ? 1 : 0);
