#!/usr/bin/env node
/**
 * Prints the totals of one or more vitest runs from their JSON reports, ending with the line CI reads:
 *   N passed, N failed
 * (the sum over every report) and exits non-zero when anything failed.
 *
 *   node scripts/test-totals.mjs REPORT.json [--label "what ran"] [--vitest-exit CODE]
 *                                [REPORT2.json [--label …] [--vitest-exit CODE]]…
 *                                [--extra-failure "what failed"]…
 *
 * --label and --vitest-exit belong to the report named before them. Per report, failed counts failed
 * test cases; in a file that failed without a failed test case (it did not load, or a beforeAll hook
 * threw) the cases that could not run, or 1 when it has none; plus one if that vitest run exited
 * non-zero without any of the above (unhandled error, crash, no report). Each --extra-failure (a set-up
 * step that failed) adds one.
 */
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";

/** @typedef {{ file: string | undefined, label: string | undefined, vitestExit: number }} Run */

/** @returns {{ runs: Run[], extraFailures: string[] }} */
function parseArgs(args) {
  /** @type {Run[]} */
  const runs = [];
  const extraFailures = [];
  const current = () => {
    if (runs.length === 0) runs.push({ file: undefined, label: undefined, vitestExit: 0 });
    return runs[runs.length - 1];
  };
  for (let i = 0; i < args.length; i++) {
    if (args[i] === "--vitest-exit") current().vitestExit = Number(args[++i]);
    else if (args[i] === "--label") current().label = args[++i];
    else if (args[i] === "--extra-failure") extraFailures.push(args[++i]);
    else if (runs.length === 1 && runs[0].file === undefined) runs[0].file = args[i];
    else runs.push({ file: args[i], label: undefined, vitestExit: 0 });
  }
  if (runs.length === 0) runs.push({ file: undefined, label: undefined, vitestExit: 0 });
  return { runs, extraFailures };
}

/** Counts one vitest run. */
function countRun(run) {
  let passed = 0;
  let failed = 0;
  let skipped = 0;
  let retried = 0;
  const notes = [];
  if (run.file && existsSync(run.file)) {
    let report;
    try {
      report = JSON.parse(readFileSync(run.file, "utf8"));
    } catch (error) {
      notes.push(`could not parse ${run.file}: ${error.message}`);
    }
    for (const file of report?.testResults ?? []) {
      const name = path.relative(process.cwd(), file.name ?? "?");
      let failedHere = 0;
      let notRunHere = 0;
      for (const test of file.assertionResults ?? []) {
        if (test.status === "passed") {
          passed++;
          // A passed case that still carries failure messages failed first and passed on its retry.
          if (test.failureMessages?.length) {
            retried++;
            const why = String(test.failureMessages[0]).split("\n")[0].slice(0, 200);
            notes.push(`passed on retry ${name} > ${test.fullName ?? test.title}: first failed with ${why}`);
          }
        }
        else if (test.status === "failed") {
          failed++;
          failedHere++;
          const why = String(test.failureMessages?.[0] ?? "").split("\n")[0].slice(0, 200);
          notes.push(`FAILED ${name} > ${test.fullName ?? test.title}${why ? `: ${why}` : ""}`);
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
    notes.push(`no vitest report at ${run.file ?? "(none given)"}`);
  }
  if (run.vitestExit !== 0 && failed === 0) {
    failed++;
    notes.push(`vitest exited with code ${run.vitestExit} (an error outside the test cases: see its output above)`);
  }
  return { passed, failed, skipped, retried, notes };
}

const { runs, extraFailures } = parseArgs(process.argv.slice(2));
let passed = 0;
let failed = 0;
let anyVitestExit = false;
for (const run of runs) {
  const counts = countRun(run);
  const label = run.label ?? run.file ?? "vitest";
  for (const note of counts.notes) console.log(`[totals] ${label}: ${note}`);
  console.log(
    `[totals] ${label}: ${counts.passed} passed${counts.retried ? ` (${counts.retried} on retry)` : ""}, ${counts.failed} failed${counts.skipped ? `, ${counts.skipped} skipped or todo` : ""}`,
  );
  passed += counts.passed;
  failed += counts.failed;
  if (run.vitestExit !== 0) anyVitestExit = true;
}
for (const what of extraFailures) {
  failed++;
  console.log(`[totals] set-up failed: ${what}`);
}

console.log(`${passed} passed, ${failed} failed`);
process.exit(failed > 0 || anyVitestExit ? 1 : 0);
