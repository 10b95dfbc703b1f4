/**
 * A background worker's shape in a plain Node process (no Next, so none of Next's own handlers):
 * a run holds a pooled connection inside a transaction while Postgres cuts it (pg_terminate_backend,
 * as a restart or failover does). node-postgres then emits 'error' on a client nobody listens to,
 * an uncaughtException. Run by test/process-errors.test.ts with "logged" (our handlers installed)
 * or "bare" (none: the process dies, which shows the test can fail).
 */
import { sql } from "drizzle-orm";
import pg from "pg";
import { openDatabase } from "../../db/client";
import { installProcessErrorLogging } from "../../lib/observability/process-errors";

async function main(url: string, mode: string): Promise<void> {
  if (mode === "logged") installProcessErrorLogging();
  const handle = await openDatabase({ driver: "pg", url, poolSize: 2 });
  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

  // The runner's loop (lib/background/runner.ts): a failed run is logged and the next one runs.
  for (let run = 1; run <= 2; run++) {
    try {
      await handle.db.transaction(async (tx) => {
        const { rows } = await tx.execute<{ pid: number }>(sql`select pg_backend_pid() as pid`);
        if (run === 1) {
          const admin = new pg.Client({ connectionString: url });
          await admin.connect();
          await admin.query("select pg_terminate_backend($1)", [rows[0].pid]);
          await admin.end();
          await sleep(500); // the worker between two statements when the connection goes
        }
        await tx.execute(sql`select 1`);
      });
      console.log(`run ${run}: done`);
    } catch (error) {
      console.log(`run ${run}: failed (${(error as Error).message.split("\n")[0]})`);
    }
  }
  await handle.close();
  console.log("ALIVE");
}

const [url, mode] = process.argv.slice(2);
void main(url, mode);
