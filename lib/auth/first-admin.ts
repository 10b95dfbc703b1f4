import "server-only";
import { sql } from "drizzle-orm";
import { getDb } from "@/db";

/** The command that makes the first admin of a new installation (shown on an empty sign-in page). */
export const FIRST_ADMIN_COMMAND = 'npm run user:create -- --email you@example.com --name "Your Name" --role admin';

/** Whether anyone can sign in yet: false on a new installation until `npm run user:create`. */
export async function hasUsers(): Promise<boolean> {
  const db = await getDb();
  const result = await db.execute<{ present: boolean }>(sql`select exists (select 1 from users) as present`);
  return Boolean(result.rows[0]?.present);
}
