import { eq, sql } from "drizzle-orm";
import type { Database } from "@/db/client";
import { users } from "@/db/schema";
import { ENDPOINTS } from "@/lib/api/endpoints";
import { MUTATIONS } from "@/lib/api/mutations";
import { loadViewer, type Ctx, type Viewer } from "@/lib/dal/viewer";
import { q } from "./sql-rows";

/*
 * API writes run as the handler runs them (the body through its zod schema, then one transaction),
 * without HTTP, for the API write tests on both databases.
 */

/** A POST of `ENDPOINTS[name]`. */
export function post(db: Database, viewer: Viewer, name: keyof typeof ENDPOINTS, body: unknown): Promise<{ ids: string[] }> {
  const endpoint = ENDPOINTS[name];
  return db.transaction((tx) => endpoint.run({ db: tx, viewer } as Ctx, endpoint.body.parse(body) as never)) as Promise<{ ids: string[] }>;
}

/** A PATCH or DELETE of one record, `MUTATIONS[name]`. */
export function mutate(db: Database, viewer: Viewer, name: keyof typeof MUTATIONS, id: string, body?: unknown): Promise<unknown> {
  const mutation = MUTATIONS[name] as { body?: { parse: (b: unknown) => unknown }; run: (ctx: Ctx, id: string, body: never) => Promise<unknown> };
  return db.transaction((tx) => mutation.run({ db: tx, viewer }, id, (mutation.body ? mutation.body.parse(body) : undefined) as never));
}

type Account = { external_id: string; id: string };

/**
 * Who writes and where, on the demo data: the admin, the admin's token narrowed to the EMEA
 * subtree, the first EMEA product (in reach) and the first Americas product (out of the subtree's reach).
 */
export async function apiWriteFixture(db: Database): Promise<{ admin: Viewer; emea: Viewer; product: Account; outside: Account }> {
  const [user] = await db.select({ id: users.id }).from(users).where(eq(users.email, "admin@demo.test"));
  const admin = (await loadViewer(db, user.id))!;
  const [region] = await q<{ id: string }>(db, sql`select id from accounts where external_id = 'demo-emea'`);
  const firstProduct = async (prefix: string) =>
    (
      await q<Account>(db, sql`select a.external_id, a.id from accounts a join account_types t on t.id = a.type_id
        where t.key = 'product' and a.external_id like ${`${prefix}%`} and a.archived_at is null order by a.external_id limit 1`)
    )[0];
  return { admin, emea: { ...admin, seesAll: false, scopeRoots: [region.id] }, product: await firstProduct("demo-emea-"), outside: await firstProduct("demo-americas-") };
}
