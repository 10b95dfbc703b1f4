import Module, { createRequire } from "node:module";
import path from "node:path";

/**
 * Makes `import "server-only"` resolve to the package's empty module in this process (as the tests'
 * alias does): for scripts run outside Next (the seed CLI, benchmarks) that use the app's server
 * modules, such as the health engine the demo seed scores its current week with.
 */
export function allowServerOnly(): void {
  const loader = Module as unknown as { _resolveFilename: (request: string, ...rest: unknown[]) => string; __benchServerOnly?: boolean };
  if (loader.__benchServerOnly) return;
  const empty = path.join(path.dirname(createRequire(`${process.cwd()}/package.json`).resolve("server-only")), "empty.js");
  const resolve = loader._resolveFilename;
  loader._resolveFilename = function (this: unknown, request: string, ...rest: unknown[]) {
    return request === "server-only" ? empty : resolve.call(this, request, ...rest);
  };
  loader.__benchServerOnly = true;
}
