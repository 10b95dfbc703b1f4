import "server-only";
import { randomUUID } from "node:crypto";
import { sql } from "drizzle-orm";
import type { CollectionColumn } from "@/db/schema";
import type { Ctx } from "@/lib/dal/viewer";
import { accountsByExternalId, IssueList, pgArray, rows, unknownAccount } from "./resolve";
import type { CollectionRecordItem } from "./schemas";

/*
 * Records of admin-defined collections (e.g. CRM opportunities) from the system that owns them.
 * Each value is checked against its column (as defined at /admin/collections); the Collection
 * widget reads them per account as they are, so a write needs no upkeep.
 */

type Collection = { id: string; key: string; account_type_id: string | null; columns: CollectionColumn[] };

export async function collectionsByKey(ctx: Ctx, keys: Iterable<string>): Promise<Map<string, Collection>> {
  const found = await rows<Collection>(ctx.db, sql`select id, key, account_type_id, columns from collections where key = any(${pgArray([...new Set(keys)])}::text[])`);
  return new Map(found.map((c) => [c.key, c]));
}

/** Issues with values for a collection's columns: unknown keys, and values of the wrong type. */
export function checkCollectionValues(issues: IssueList, path: (string | number)[], columns: CollectionColumn[], values: Record<string, unknown>): void {
  const byKey = new Map(columns.map((c) => [c.key, c]));
  for (const [key, value] of Object.entries(values)) {
    const column = byKey.get(key);
    if (!column) {
      issues.add([...path, key], `No column “${key.slice(0, 80)}” in this collection. Its columns: ${columns.map((c) => c.key).join(", ")}.`);
      continue;
    }
    if (value === null) continue;
    const ok =
      column.type === "text" ? typeof value === "string" : column.type === "date" ? typeof value === "string" && /^\d{4}-\d{2}-\d{2}$/.test(value) && !Number.isNaN(Date.parse(value)) : typeof value === "number" && Number.isFinite(value);
    if (!ok) issues.add([...path, key], column.type === "text" ? "Give text." : column.type === "date" ? "Give a date as YYYY-MM-DD." : "Give a number.");
  }
}

/** Adds records to collections, each on an account of a type the collection is for. */
export async function addCollectionRecords(ctx: Ctx, items: readonly CollectionRecordItem[], base: (string | number)[] = ["records"]): Promise<{ created: number; ids: string[] }> {
  const issues = new IssueList();
  const accounts = await accountsByExternalId(ctx, items.map((r) => r.accountExternalId));
  const collections = await collectionsByKey(ctx, items.map((r) => r.collection));
  items.forEach((item, i) => {
    const account = accounts.get(item.accountExternalId);
    const collection = collections.get(item.collection);
    if (!account) issues.add([...base, i, "accountExternalId"], unknownAccount(item.accountExternalId));
    if (!collection) issues.add([...base, i, "collection"], `No collection has the key “${item.collection}” (see /admin/collections).`);
    else {
      if (account && collection.account_type_id && collection.account_type_id !== account.typeId) issues.add([...base, i, "collection"], "This collection is for accounts of another type.");
      checkCollectionValues(issues, [...base, i, "values"], collection.columns, item.values);
    }
  });
  issues.throwIfAny();
  const ids = items.map(() => randomUUID());
  await ctx.db.execute(sql`
    insert into collection_records (id, collection_id, account_id, values)
    select * from unnest(${pgArray(ids)}::uuid[], ${pgArray(items.map((r) => collections.get(r.collection)!.id))}::uuid[],
      ${pgArray(items.map((r) => accounts.get(r.accountExternalId)!.id))}::uuid[], ${pgArray(items.map((r) => JSON.stringify(r.values)))}::jsonb[])`);
  return { created: ids.length, ids };
}
