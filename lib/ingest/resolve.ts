import "server-only";
import { sql } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { visibleAccount, type Ctx } from "@/lib/dal/viewer";
import { IngestError, type ApiIssue } from "./errors";

/** Most issues listed in one answer: a batch with 10,000 bad rows gets the first ones. */
export const MAX_ISSUES = 50;

/** A Postgres array literal of strings (`{"a","b"}`), passed as ONE parameter: fast for large batches. */
export function pgArray(values: readonly (string | number | null)[]): string {
  let out = "{";
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (i) out += ",";
    out += v === null ? "NULL" : typeof v === "number" ? String(v) : `"${v.replace(/\\/g, "\\\\").replace(/"/g, '\\"')}"`;
  }
  return out + "}";
}

/**
 * A Postgres array literal of values that never need quoting: uuids, ISO dates and instants as
 * this code writes them, numbers; null becomes NULL. Much cheaper than pgArray for 10,000 values.
 */
export function pgPlainArray(values: readonly (string | number | null)[]): string {
  let out = "{";
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    out += (i ? "," : "") + (v === null ? "NULL" : v);
  }
  return out + "}";
}

export async function rows<T>(db: Executor, query: ReturnType<typeof sql>): Promise<T[]> {
  return ((await db.execute(query)) as unknown as { rows: T[] }).rows;
}

export type ResolvedAccount = { id: string; typeId: string; path: string[] };

/**
 * Ids of live accounts by external id, among those the caller may see (a token limited to a
 * subtree sees only that subtree). Missing, archived and forbidden accounts are simply absent.
 */
export async function accountsByExternalId(ctx: Ctx, externalIds: Iterable<string>): Promise<Map<string, ResolvedAccount>> {
  const wanted = [...new Set(externalIds)];
  const found = new Map<string, ResolvedAccount>();
  if (!wanted.length) return found;
  const result = await rows<{ external_id: string; id: string; type_id: string; path: string[] | string }>(
    ctx.db,
    sql`select a.external_id, a.id, a.type_id, a.path from accounts a
        where a.external_id = any(${pgArray(wanted)}::text[]) and a.archived_at is null
          and ${visibleAccount(ctx.viewer, sql`a.id`, sql`a.type_id`)}`,
  );
  for (const r of result) found.set(r.external_id, { id: r.id, typeId: r.type_id, path: parsePath(r.path) });
  return found;
}

/** uuid[] comes back as an array from node-postgres and PGlite alike; a string form is tolerated. */
function parsePath(path: string[] | string): string[] {
  if (Array.isArray(path)) return path;
  return path.replace(/[{}]/g, "").split(",").filter(Boolean);
}

export async function contactsByExternalId(db: Executor, externalIds: Iterable<string>): Promise<Map<string, string>> {
  const wanted = [...new Set(externalIds)];
  const found = new Map<string, string>();
  if (!wanted.length) return found;
  const result = await rows<{ external_id: string; id: string }>(
    db,
    sql`select external_id, id from contacts where external_id = any(${pgArray(wanted)}::text[])`,
  );
  for (const r of result) found.set(r.external_id, r.id);
  return found;
}

/** Collects issues and throws them together (up to MAX_ISSUES), so a caller fixes a file in one go. */
export class IssueList {
  readonly issues: ApiIssue[] = [];
  add(path: (string | number)[], message: string): void {
    if (this.issues.length < MAX_ISSUES) this.issues.push({ path, message });
  }
  get full(): boolean {
    return this.issues.length >= MAX_ISSUES;
  }
  throwIfAny(status = 422): void {
    if (this.issues.length) throw new IngestError(status, "Check the listed fields; nothing was written.", this.issues);
  }
}

export const unknownAccount = (externalId: string) =>
  `No account has the external id “${externalId}” (or it is archived, or outside what you may write to).`;
export const unknownContact = (externalId: string) => `No contact has the external id “${externalId}”.`;

/** Which of these account ids the caller may see (live accounts only). */
export async function visibleAccountIds(ctx: Ctx, ids: readonly string[]): Promise<Set<string>> {
  if (!ids.length) return new Set();
  const found = await rows<{ id: string }>(
    ctx.db,
    sql`select a.id from accounts a where a.id = any(${pgArray([...new Set(ids)])}::uuid[]) and a.archived_at is null
        and ${visibleAccount(ctx.viewer, sql`a.id`, sql`a.type_id`)}`,
  );
  return new Set(found.map((r) => r.id));
}
