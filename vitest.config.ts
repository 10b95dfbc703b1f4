import path from "node:path";
import { fileURLToPath } from "node:url";
import { configDefaults, defineConfig } from "vitest/config";

const root = path.dirname(fileURLToPath(import.meta.url));

const alias = {
  "@": root,
  // Data-layer modules `import "server-only"`; the real package throws outside a React server build.
  "server-only": path.join(root, "test/support/server-only-stub.ts"),
  // next-auth imports these without an extension, which Node's ESM resolution (outside Next's
  // bundler) refuses; the authorization tests import the server-action files, which pull it in.
  "next/server": path.join(root, "node_modules/next/server.js"),
  "next/headers": path.join(root, "node_modules/next/headers.js"),
  "next/navigation": path.join(root, "node_modules/next/navigation.js"),
};

export default defineConfig({
  test: {
    // Root-only options (reporters come from the command line: see scripts/test.sh).
    projects: [
      {
        resolve: { alias },
        test: {
          name: "unit",
          root,
          // Run next-auth through Vite so the aliases above apply to its imports.
          server: { deps: { inline: [/next-auth/] } },
          include: ["test/**/*.test.ts"],
          // scripts/test.sh leaves a few exhaustive files out of its second (older Node) run this way;
          // vitest's --exclude flag does not reach a project's own list.
          exclude: [...configDefaults.exclude, "test/e2e/**", ...(process.env.VITEST_UNIT_SKIP?.split(",").filter(Boolean) ?? [])],
          environment: "node",
          globalSetup: ["test/support/global-setup.ts"],
          testTimeout: 30_000,
          hookTimeout: 60_000,
          maxWorkers: 2,
          // Unit files first, then the browser tests: they would fight over the 2 cores.
          sequence: { groupOrder: 0 },
        },
      },
      {
        resolve: { alias },
        test: {
          name: "e2e",
          root,
          include: ["test/e2e/**/*.test.ts"],
          exclude: [...configDefaults.exclude],
          environment: "node",
          globalSetup: ["test/e2e/global-setup.ts"],
          fileParallelism: false,
          // A browser test that times out on a busy machine gets one more try; scripts/test-totals.mjs
          // names every case that needed it ("passed on retry"), so flakiness stays visible.
          retry: 1,
          testTimeout: 60_000,
          hookTimeout: 120_000,
          sequence: { groupOrder: 1 },
        },
      },
    ],
  },
});
