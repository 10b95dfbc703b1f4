import { sql } from "drizzle-orm";
import { getDatabaseHandle } from "@/db";

export const dynamic = "force-dynamic";

/** Readiness: 200 once the database is open, migrated and (if configured) seeded. */
export async function GET() {
  try {
    const handle = await getDatabaseHandle();
    await handle.db.execute(sql`select 1`);
    return Response.json({ status: "ok", driver: handle.driver });
  } catch (error) {
    console.error("[health]", error);
    return Response.json({ status: "unavailable", error: "Database is not ready" }, { status: 503 });
  }
}
