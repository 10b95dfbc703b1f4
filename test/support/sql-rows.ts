import type { sql } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { IngestError } from "@/lib/ingest/errors";

/** The rows of a raw query, on PGlite and pg alike. */
export async function q<T>(db: Executor, query: ReturnType<typeof sql>): Promise<T[]> {
  return ((await db.execute(query)) as unknown as { rows: T[] }).rows;
}

/** The IngestError a write is refused with; fails the test if it is not refused. */
export async function refused(run: () => Promise<unknown>): Promise<IngestError> {
  try {
    await run();
  } catch (error) {
    if (error instanceof IngestError) return error;
    throw error;
  }
  throw new Error("expected the write to be refused");
}
