/**
 * `npm run seed`                     seeds the demo data set into the configured database if it is empty
 *                                    (DATABASE_URL set: Postgres; unset: PGlite in PGLITE_DIR or ./data/pglite)
 * `npm run seed -- --size large`     fills the Postgres at DATABASE_URL with the large benchmark set
 *
 * Runs outside Next: it reads the environment itself; `server-only` modules (the health engine the
 * demo seed scores its current week with) load after allowServerOnly().
 */
import path from "node:path";
import { isEmpty, migrateDatabase, openDatabase, type DatabaseHandle } from "@/db/client";
import { readEnv } from "@/lib/env";

type Args = { size: "demo" | "large"; help: boolean };

function parseArgs(argv: string[]): Args {
  const args: Args = { size: "demo", help: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === "--help" || arg === "-h") args.help = true;
    else if (arg === "--size" || arg.startsWith("--size=")) {
      const value = arg.includes("=") ? arg.slice("--size=".length) : argv[++i];
      if (value !== "demo" && value !== "large") throw new UsageError(`--size must be "demo" or "large", not "${value ?? ""}"`);
      args.size = value;
    } else throw new UsageError(`unknown argument "${arg}"`);
  }
  return args;
}

class UsageError extends Error {}

const USAGE = `Usage:
  npm run seed                    seed the demo data set into an empty database
  npm run seed -- --size large    seed the large benchmark set (needs DATABASE_URL)`;

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

function printCounts(counts: Record<string, number>): void {
  const width = Math.max(...Object.keys(counts).map((k) => k.length));
  for (const [table, n] of Object.entries(counts).sort(([a], [b]) => a.localeCompare(b))) {
    console.log(`  ${table.padEnd(width)}  ${n.toLocaleString("en-US").padStart(12)}`);
  }
}

async function seedDemoSet(): Promise<void> {
  const env = readEnv();
  const target = env.DATABASE_URL ? "Postgres (DATABASE_URL)" : `PGlite at ${path.resolve(env.PGLITE_DIR)}`;
  let handle: DatabaseHandle | undefined;
  try {
    handle = env.DATABASE_URL
      ? await openDatabase({ driver: "pg", url: env.DATABASE_URL })
      : await openDatabase({ driver: "pglite", dataDir: path.resolve(env.PGLITE_DIR) });
    await migrateDatabase(handle);
    if (!(await isEmpty(handle.db))) {
      console.log(`The database (${target}) already holds data: skipped seeding.`);
      return;
    }
    console.log(`Seeding the demo data set into ${target}…`);
    const started = performance.now();
    // The demo seed scores its current week with the health engine (server modules): see allow-server-only.ts.
    (await import("./allow-server-only")).allowServerOnly();
    const { seedAll } = await import("./all");
    const { putObject } = await import("@/lib/storage");
    const summary = await seedAll(handle.db, { putAsset: (key, bytes, contentType) => putObject(key, bytes, { contentType }) });
    console.log(`Seeded in ${seconds(performance.now() - started)}. Rows per table:`);
    printCounts(summary.counts);
    console.log(`Sign in as admin@demo.test, csm@demo.test, leader@demo.test or viewer@demo.test (password "${summary.password}").`);
  } finally {
    await handle?.close();
  }
}

async function seedLargeSet(): Promise<void> {
  const url = process.env.DATABASE_URL;
  if (!url) throw new UsageError("--size large needs DATABASE_URL pointing at a Postgres database (PGlite is too small for it)");
  if (!/^postgres(ql)?:\/\//.test(url)) throw new UsageError("DATABASE_URL must be a postgres:// or postgresql:// URL");
  const { seedLarge } = await import("./large");
  const started = performance.now();
  console.log("Seeding the large data set (100,000 accounts, 10 million usage events); this takes several minutes…");
  const summary = await seedLarge(url, (message) => console.log(`  [${seconds(performance.now() - started).padStart(7)}] ${message}`));
  if (summary.skipped) console.log(`The database already holds the large data set: skipped (${seconds(summary.elapsedMs)}).`);
  else console.log(`Seeded the large data set in ${seconds(summary.elapsedMs)}.`);
  console.log("Rows per table:");
  printCounts(summary.counts);
  console.log(`Root ${summary.rootId}, EMEA ${summary.emeaRegionId}, line of business ${summary.lineOfBusinessId}, division ${summary.divisionId}, product ${summary.leafId}`);
}

async function main(): Promise<number> {
  let args: Args;
  try {
    args = parseArgs(process.argv.slice(2));
  } catch (error) {
    console.error(`seed: ${(error as Error).message}\n\n${USAGE}`);
    return 2;
  }
  if (args.help) {
    console.log(USAGE);
    return 0;
  }
  try {
    if (args.size === "large") await seedLargeSet();
    else await seedDemoSet();
    return 0;
  } catch (error) {
    if (error instanceof UsageError) {
      console.error(`seed: ${error.message}`);
      return 2;
    }
    const e = error as Error;
    console.error(`seed: failed: ${e.message}`);
    if (process.env.DEBUG) console.error(e.stack);
    return 1;
  }
}

main().then((code) => {
  process.exitCode = code;
});
