/**
 * Stopping and starting a throwaway cluster from test/support/postgres.ts in place (same folder,
 * port and options), for the fault tests and the soak: the app must ride through it.
 */
import path from "node:path";
import { findPostgresBin, pgTool, type PostgresServer } from "./postgres";

function options(server: PostgresServer): string {
  return [`-p ${server.port}`, `-k ${server.dir}`, "-c listen_addresses=127.0.0.1", "-c fsync=off", "-c full_page_writes=off", "-c synchronous_commit=off"].join(" ");
}

/** `pg_ctl stop -m fast`: open connections are cut (57P01), new ones refused. */
export async function stopPostgresInPlace(server: PostgresServer): Promise<void> {
  await pgTool(findPostgresBin(), "pg_ctl", ["-D", path.join(server.dir, "db"), "-m", "fast", "-w", "stop"]);
}

export async function startPostgresInPlace(server: PostgresServer): Promise<void> {
  await pgTool(findPostgresBin(), "pg_ctl", ["-D", path.join(server.dir, "db"), "-l", path.join(server.dir, "server.log"), "-o", options(server), "-w", "-t", "60", "start"]);
}

/** `pg_ctl restart -m fast`, as an operator would; resolves once the server accepts connections. */
export async function restartPostgres(server: PostgresServer): Promise<void> {
  // -l: without a log file the new postmaster keeps pg_ctl's stdout open and the call never returns.
  await pgTool(findPostgresBin(), "pg_ctl", ["-D", path.join(server.dir, "db"), "-l", path.join(server.dir, "server.log"), "-m", "fast", "-w", "-t", "60", "restart"]);
}
