/**
 * scripts/test-totals.mjs prints the line CI reads (`N passed, N failed`). `npm test` runs vitest twice
 * (everything on Node 24, the unit suites again on Node 20), so the line must sum every report.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";

const script = fileURLToPath(new URL("../scripts/test-totals.mjs", import.meta.url));
const dir = mkdtempSync(path.join(os.tmpdir(), "c360-totals-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

type Status = "passed" | "failed" | "skipped" | "flaky";
function report(name: string, files: { status: "passed" | "failed"; tests: Status[]; message?: string }[]): string {
  const file = path.join(dir, name);
  const testResults = files.map((f, i) => ({
    name: path.join(dir, `case-${i}.test.ts`),
    status: f.status,
    message: f.message ?? "",
    assertionResults: f.tests.map((status, j) => ({
      title: `t${j}`,
      status: status === "flaky" ? "passed" : status,
      failureMessages: status === "failed" || status === "flaky" ? ["AssertionError: expected 1 to be 2\n    at stack"] : [],
    })),
  }));
  writeFileSync(file, JSON.stringify({ testResults }));
  return file;
}

function totals(...args: string[]) {
  const run = spawnSync(process.execPath, [script, ...args], { encoding: "utf8" });
  const lines = run.stdout.trim().split("\n");
  return { exit: run.status, last: lines.at(-1), lines };
}

describe("test totals", () => {
  it("sums several runs into the last line and names each run's own totals", () => {
    const node24 = report("a.json", [{ status: "passed", tests: ["passed", "passed", "skipped"] }]);
    const node20 = report("b.json", [{ status: "passed", tests: ["passed"] }]);
    const out = totals(node24, "--label", "Node 24", "--vitest-exit", "0", node20, "--label", "Node 20", "--vitest-exit", "0");
    expect(out.last).toBe("3 passed, 0 failed");
    expect(out.exit).toBe(0);
    expect(out.lines).toContain("[totals] Node 24: 2 passed, 0 failed, 1 skipped or todo");
    expect(out.lines).toContain("[totals] Node 20: 1 passed, 0 failed");
  });

  it("counts a failure in any run, a file that did not run its cases, a crashed run and a set-up step", () => {
    const good = report("c.json", [{ status: "passed", tests: ["passed", "passed"] }]);
    const bad = report("d.json", [
      { status: "failed", tests: ["passed", "failed"] },
      { status: "failed", tests: ["skipped", "skipped"], message: "beforeAll threw\nstack" },
    ]);
    const out = totals(good, "--vitest-exit", "0", bad, "--label", "Node 20", "--vitest-exit", "1", "--extra-failure", "next build");
    // 1 failed case + 2 cases that could not run + the failed build.
    expect(out.last).toBe("3 passed, 4 failed");
    expect(out.exit).toBe(1);
    // CI shows only the tail of the output, so each failed case is named there with its first line.
    expect(out.lines.filter((l) => l.includes("FAILED"))).toEqual([
      expect.stringMatching(/^\[totals\] Node 20: FAILED \S*case-0\.test\.ts > t1: AssertionError: expected 1 to be 2$/),
    ]);
  });

  it("names a case that passed only on its retry, and still counts it as passed", () => {
    const flaky = report("f.json", [{ status: "passed", tests: ["passed", "flaky"] }]);
    const out = totals(flaky, "--label", "Node 24", "--vitest-exit", "0");
    expect(out.last).toBe("2 passed, 0 failed");
    expect(out.exit).toBe(0);
    expect(out.lines).toContain("[totals] Node 24: 2 passed (1 on retry), 0 failed");
    expect(out.lines.filter((l) => l.includes("passed on retry"))).toEqual([
      expect.stringMatching(/^\[totals\] Node 24: passed on retry \S*case-0\.test\.ts > t1: first failed with AssertionError: expected 1 to be 2$/),
    ]);
  });

  it("fails a run whose vitest exited non-zero without a report, and still keeps the old one-report form", () => {
    const good = report("e.json", [{ status: "passed", tests: ["passed"] }]);
    expect(totals(good, "--vitest-exit", "0").last).toBe("1 passed, 0 failed");
    const crashed = totals(good, "--vitest-exit", "0", path.join(dir, "missing.json"), "--vitest-exit", "1");
    expect(crashed.last).toBe("1 passed, 1 failed");
    expect(crashed.exit).toBe(1);
  });
});
