import "server-only";
import { sql, type SQL } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { visibleAccount } from "@/lib/dal/viewer";
import { IngestError, type ApiIssue } from "@/lib/ingest/errors";
import { decodeCursor, encodeCursor } from "./cursor";
import { byId, isUuidText, type ReadFilter, type ReadKey, type ReadResource, type TokenScope } from "./define";

/**
 * The one list and one-record read behind every GET of /api/v1: the token's read scope, its
 * subtree (rows of accounts it may not see are never read, so never counted), the filters (unknown
 * ones are a 400 naming the allowed ones), sparse fields, and keyset pagination on the resource's
 * indexed order with a signed cursor. Each record is built by Postgres as JSON, so pg and PGlite
 * answer the same types.
 */
export const DEFAULT_LIMIT = 50;
export const MAX_LIMIT = 200;
/** Query parameters every list takes besides its filters. */
export const LIST_PARAMETERS = ["limit", "cursor", "fields"] as const;

export type ListPage = { data: Record<string, unknown>[]; next_cursor: string | null };

function refuse(status: number, message: string, issues: ApiIssue[] = []): never {
  throw new IngestError(status, message, issues);
}

/** Filters common to every resource that belongs to an account. */
function accountFilters(scope: TokenScope): Record<string, ReadFilter> {
  return {
    accountId: byId("Only rows of this account.", sql`a.id`),
    subtree: {
      ...byId("Only rows of this account and every account below it.", sql`a.id`),
      where: (v: string) => sql`exists (select 1 from account_closure fc join accounts fa on fa.id = fc.ancestor_id
        where fc.ancestor_id = ${v}::uuid and fc.descendant_id = a.id and fa.archived_at is null
          and ${visibleAccount(scope.viewer, sql`fa.id`, sql`fa.type_id`)})`,
    },
  };
}

/** Every filter a resource takes, by name (for the OpenAPI document too). */
export function filtersOf(resource: ReadResource, scope: TokenScope): Record<string, ReadFilter> {
  return { ...(resource.accountBound ? accountFilters(scope) : {}), ...resource.filters };
}

function mayRead(resource: ReadResource, scope: TokenScope): void {
  if (!scope.scopes.includes(resource.scope)) refuse(403, `This token may not do this: it needs the ${resource.scope} scope.`);
}

function visibility(resource: ReadResource, scope: TokenScope): SQL {
  if (resource.accountBound) return sql`a.archived_at is null and ${visibleAccount(scope.viewer, sql`a.id`, sql`a.type_id`)}`;
  return resource.visible ? resource.visible(scope) : sql`true`;
}

function recordSql(resource: ReadResource, scope: TokenScope, names: string[]): SQL {
  const pairs = names.map((name) => {
    const field = resource.fields[name];
    const expr = typeof field.sql === "function" ? field.sql(scope) : field.sql;
    return sql`${sql.raw(`'${name}'`)}, ${expr}`;
  });
  return sql`json_build_object(${sql.join(pairs, sql`, `)})`;
}

function selectedFields(resource: ReadResource, raw: string | null): string[] {
  const all = Object.keys(resource.fields);
  if (raw === null) return all;
  const asked = [...new Set(raw.split(",").map((s) => s.trim()).filter(Boolean))];
  const unknown = asked.filter((f) => !all.includes(f));
  if (unknown.length || !asked.length) {
    refuse(400, `Unknown field${unknown.length === 1 ? "" : "s"} ${unknown.map((f) => `“${f.slice(0, 60)}”`).join(", ") || "(none given)"}. Allowed fields: ${all.join(", ")}.`, [
      { path: ["fields"], message: `Allowed: ${all.join(", ")}.` },
    ]);
  }
  return asked;
}

function parseLimit(raw: string | null): number {
  if (raw === null) return DEFAULT_LIMIT;
  if (!/^\d{1,4}$/.test(raw) || Number(raw) < 1 || Number(raw) > MAX_LIMIT) {
    refuse(400, `limit must be a whole number from 1 to ${MAX_LIMIT}.`, [{ path: ["limit"], message: `From 1 to ${MAX_LIMIT}.` }]);
  }
  return Number(raw);
}

/** The list's filters from the query: validated, with the canonical form the cursor is bound to. */
function parseFilters(resource: ReadResource, scope: TokenScope, params: URLSearchParams): { where: SQL[]; values: Record<string, unknown>; canonical: string } {
  const filters = filtersOf(resource, scope);
  const prefixes = resource.prefixFilters ?? {};
  const allowed = [...Object.keys(filters), ...Object.keys(prefixes).map((p) => `${p}.<key>`)];
  const where: SQL[] = [];
  const values: Record<string, unknown> = {};
  const issues: ApiIssue[] = [];
  const seen = new Set<string>();
  const unknown: string[] = [];
  for (const [name, value] of params) {
    if ((LIST_PARAMETERS as readonly string[]).includes(name)) continue;
    if (seen.has(name)) {
      issues.push({ path: [name], message: "Give each filter once." });
      continue;
    }
    seen.add(name);
    const filter = Object.hasOwn(filters, name) ? filters[name] : undefined;
    if (filter) {
      const parsed = filter.schema.safeParse(value);
      if (!parsed.success) issues.push({ path: [name], message: parsed.error.issues[0]?.message ?? "Not a valid value." });
      else {
        values[name] = parsed.data;
        where.push(filter.where(parsed.data as never, scope));
      }
      continue;
    }
    const dot = name.indexOf(".");
    const prefix = dot > 0 && Object.hasOwn(prefixes, name.slice(0, dot)) ? prefixes[name.slice(0, dot)] : undefined;
    const suffix = name.slice(dot + 1);
    if (prefix && /^[a-z][a-z0-9_]{0,62}$/.test(suffix) && value.length <= 500) {
      values[name] = value;
      where.push(prefix.where(suffix, value, scope));
      continue;
    }
    unknown.push(name);
  }
  if (unknown.length) {
    const names = unknown.map((n) => `“${n.slice(0, 60)}”`).join(", ");
    refuse(400, `Unknown filter${unknown.length === 1 ? "" : "s"} ${names}. Allowed filters: ${allowed.join(", ") || "none"}; and ${LIST_PARAMETERS.join(", ")}.`, unknown.map((n) => ({ path: [n.slice(0, 60)], message: `Allowed: ${allowed.join(", ")}.` })));
  }
  if (issues.length) refuse(400, "Check the listed filters.", issues);
  const canonical = JSON.stringify(Object.keys(values).sort().map((k) => [k, values[k]]));
  return { where, values, canonical };
}

/** A page of the resource's list, as the token may see it. */
export async function listRecords(db: Executor, scope: TokenScope, resource: ReadResource, params: URLSearchParams): Promise<ListPage> {
  mayRead(resource, scope);
  const limit = parseLimit(params.get("limit"));
  const names = selectedFields(resource, params.get("fields"));
  const { where, values, canonical } = parseFilters(resource, scope, params);
  const binding = `${resource.name}\n${scope.tokenId}\n${canonical}`;
  const conditions: SQL[] = [visibility(resource, scope), ...where];
  const rawCursor = params.get("cursor");
  if (rawCursor !== null) {
    const key = decodeCursor(binding, rawCursor);
    if (!key || key.length !== resource.key.length) {
      refuse(400, "That cursor is not valid for this list: it was changed, or made for another list, other filters or another token. Start again without a cursor.", [{ path: ["cursor"], message: "Use the next_cursor of the previous page of this same list." }]);
    }
    const columns = sql.join(resource.key.map((k) => k.sql), sql`, `);
    const bounds = sql.join(key.map((v, i) => sql`${v}::${sql.raw(resource.key[i].type)}`), sql`, `);
    conditions.push(resource.order === "asc" ? sql`(${columns}) > (${bounds})` : sql`(${columns}) < (${bounds})`);
  }
  const from = typeof resource.from === "function" ? resource.from(values) : resource.from;
  const keys = sql.join(resource.key.map((k, i) => sql`(${k.sql})::text as ${sql.raw(`k${i}`)}`), sql`, `);
  const order = sql.join(resource.key.map((k) => sql`${k.sql} ${sql.raw(resource.order)}`), sql`, `);
  const result = await db.execute(sql`
    select ${recordSql(resource, scope, names)} as record, ${keys}
    from ${from}
    where ${sql.join(conditions, sql` and `)}
    order by ${order}
    limit ${limit + 1}`);
  const rows = (result as unknown as { rows: Record<string, unknown>[] }).rows;
  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  const next = rows.length > limit && last ? encodeCursor(binding, resource.key.map((_, i) => String(last[`k${i}`]))) : null;
  return { data: page.map((r) => parseJson(r.record)), next_cursor: next };
}

/** One record by its id, or null when missing or outside what the token may see (same answer). */
export async function readRecord(db: Executor, scope: TokenScope, resource: ReadResource, id: string, params: URLSearchParams = new URLSearchParams()): Promise<Record<string, unknown> | null> {
  mayRead(resource, scope);
  const unknown = [...params.keys()].filter((k) => k !== "fields");
  if (unknown.length) refuse(400, `Unknown parameter${unknown.length === 1 ? "" : "s"} ${unknown.map((n) => `“${n.slice(0, 60)}”`).join(", ")}. Allowed: fields.`);
  const names = selectedFields(resource, params.get("fields"));
  const parts = keyParts(resource.key.length, id);
  const valid = parts.length === resource.key.length && parts.every((part, i) => validKeyValue(resource.key[i].type, part));
  if (!resource.one || !valid) return null;
  const from = typeof resource.from === "function" ? resource.from({}) : resource.from;
  const matches = resource.key.map((k, i) => sql`${k.sql} = ${parts[i]}::${sql.raw(k.type)}`);
  const result = await db.execute(sql`
    select ${recordSql(resource, scope, names)} as record from ${from}
    where ${visibility(resource, scope)} and ${sql.join(matches, sql` and `)}
    limit 1`);
  const row = (result as unknown as { rows: { record: unknown }[] }).rows[0];
  return row ? parseJson(row.record) : null;
}

/** A record's id split into its key's values: "{first}:{second}…", the last taking any further ":". */
function keyParts(count: number, id: string): string[] {
  const parts = id.split(":");
  return count === 1 ? [id] : [...parts.slice(0, count - 1), parts.slice(count - 1).join(":")];
}

function validKeyValue(type: ReadKey["type"], value: string): boolean {
  if (type === "uuid") return isUuidText(value);
  if (type === "bigint") return /^\d{1,18}$/.test(value);
  if (type === "date") return /^\d{4}-\d{2}-\d{2}$/.test(value) && !Number.isNaN(Date.parse(value));
  return value.length > 0 && value.length <= 500;
}

function parseJson(value: unknown): Record<string, unknown> {
  return (typeof value === "string" ? JSON.parse(value) : value) as Record<string, unknown>;
}
