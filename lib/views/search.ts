import "server-only";
import { sql } from "drizzle-orm";
import { searchContacts } from "@/lib/dal/contacts";
import { visibleAccount, type Ctx } from "@/lib/dal/viewer";

export type PaletteResults = {
  accounts: { id: string; name: string; typeName: string; externalId: string | null }[];
  contacts: { id: string; name: string; detail: string }[];
};

/**
 * The command palette's jump list: accounts (by name, or by external id exactly) and contacts the
 * viewer may see. Names that start with the words come first. One query each, both bounded.
 */
export async function paletteSearch(ctx: Ctx, q: string): Promise<PaletteResults> {
  const words = q.trim().slice(0, 100);
  if (!words) return { accounts: [], contacts: [] };
  const escaped = words.replace(/[\\%_]/g, (c) => `\\${c}`);
  const [accounts, contacts] = await Promise.all([
    ctx.db.execute<{ id: string; name: string; type_name: string; external_id: string | null }>(sql`
      select a.id, a.name, t.name as type_name, a.external_id from accounts a join account_types t on t.id = a.type_id
      where a.archived_at is null and (a.name ilike ${`%${escaped}%`} or a.external_id = ${words})
        and ${visibleAccount(ctx.viewer, sql`a.id`, sql`a.type_id`)}
      order by (a.external_id = ${words}) desc nulls last, (a.name ilike ${`${escaped}%`}) desc, a.depth, a.name limit 8`),
    searchContacts(ctx, words, { limit: 5 }),
  ]);
  return {
    accounts: accounts.rows.map((r) => ({ id: r.id, name: r.name, typeName: r.type_name, externalId: r.external_id })),
    contacts: contacts.map((c) => ({ id: c.id, name: c.name, detail: [c.title, c.accounts[0]].filter(Boolean).join(" · ") })),
  };
}
