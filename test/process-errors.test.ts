/**
 * instrumentation.ts installs lib/observability/process-errors.ts: an uncaught exception (here a
 * pooled Postgres connection cut while a background worker held it) is logged with its stack and
 * the process goes on; without the handlers the same process dies. Issue #19.
 */
import { execFile } from "node:child_process";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { inject } from "vitest";

const root = path.resolve(import.meta.dirname, "..");
const child = path.join(root, "test/support/transient-error-child.ts");

function runChild(mode: "logged" | "bare"): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(path.join(root, "node_modules/.bin/tsx"), [child, inject("pgAdminUrl"), mode], { cwd: root, timeout: 25_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });
}

describe("uncaught errors", () => {
  it("a connection cut under a background worker is logged with its stack and the process keeps running", async () => {
    const [logged, bare] = await Promise.all([runChild("logged"), runChild("bare")]);

    expect(logged.code, logged.stderr).toBe(0);
    expect(logged.stdout).toMatch(/run 1: failed/);
    expect(logged.stdout).toMatch(/run 2: done/);
    expect(logged.stdout).toMatch(/ALIVE/);
    expect(logged.stderr).toMatch(/\[uncaughtException\] transient database error, the app keeps serving/);
    expect(logged.stderr).toMatch(/request=- \(outside a request\)/);
    expect(logged.stderr).toMatch(/terminating connection due to administrator command/);
    expect(logged.stderr).toMatch(/\n\s+at .+:\d+:\d+/); // a stack

    // The same process without the handlers: the unlistened 'error' kills it before run 2.
    expect(bare.code).not.toBe(0);
    expect(bare.stdout).not.toMatch(/ALIVE/);
  });
});
