import "server-only";
import { sql } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { pgPlainArray as list } from "@/lib/ingest/resolve";
import { markHealthDirty } from "./dirty";

/**
 * After contracts were written: each one whose value rose over its stored value is an upsell
 * marker (kept with its time and amount), and every touched account is re-scored (renewal dates).
 */
export async function contractUpsells(
  db: Executor,
  before: readonly { external_id: string; value: string }[],
  after: readonly { id: string; externalId: string; accountId: string; value: number }[],
  touched: Iterable<string>,
): Promise<void> {
  const old = new Map(before.map((b) => [b.external_id, Number(b.value)]));
  const rises = after.filter((c) => old.has(c.externalId) && c.value > old.get(c.externalId)!);
  if (rises.length) {
    await db.execute(sql`insert into health_upsells (account_id, occurred_at, amount, source, contract_id)
      select a, now(), v, 'contract', c from unnest(${list(rises.map((r) => r.accountId))}::uuid[],
        ${list(rises.map((r) => Math.round((r.value - old.get(r.externalId)!) * 100) / 100))}::numeric[], ${list(rises.map((r) => r.id))}::uuid[]) as x(a, v, c)`);
  }
  await markHealthDirty(db, touched);
}
