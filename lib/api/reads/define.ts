import "server-only";
import { sql, type SQL } from "drizzle-orm";
import { z } from "zod";
import type { Viewer } from "@/lib/dal/viewer";
import type { ApiScope } from "../scopes";

/**
 * What a read of /api/v1 knows about its caller: the token (cursors are bound to it), what it may
 * read, and the viewer it acts as (its subtree). The MCP tool server reads through the same
 * functions with the same scope.
 */
export type TokenScope = { tokenId: string; scopes: readonly ApiScope[]; viewer: Viewer };

/** A JSON Schema fragment, as it appears in the OpenAPI document. */
export type JsonSchema = Record<string, unknown>;

/** One field of a record: its SQL (over the resource's aliases) and its schema. */
export type ReadField = { schema: JsonSchema; sql: SQL | ((scope: TokenScope) => SQL) };

/** One query filter: its zod parser (query strings are strings), its SQL and its documentation. */
export type ReadFilter = {
  description: string;
  schema: z.ZodType;
  openapi: JsonSchema;
  where: (value: never, scope: TokenScope) => SQL;
};

/** The order (and keyset) of a list: indexed columns, compared as one row. */
export type ReadKey = { sql: SQL; type: "uuid" | "bigint" | "date" | "text" };

export type ReadResource = {
  /** Unique name, also the OpenAPI schema's name. */
  name: string;
  path: string;
  scope: ApiScope;
  summary: string;
  description: string;
  /**
   * The FROM clause. With `accountBound`, it exposes the row's account as `a` (accounts) so the
   * token's subtree, archived accounts and the accountId/subtree filters apply to every row.
   */
  from: SQL | ((filters: Record<string, unknown>) => SQL);
  accountBound: boolean;
  /** Visibility of rows that belong to no one account (contacts). */
  visible?: (scope: TokenScope) => SQL;
  fields: Record<string, ReadField>;
  key: ReadKey[];
  order: "asc" | "desc";
  filters: Record<string, ReadFilter>;
  /** Filters named `<prefix>.<suffix>`, e.g. `attribute.segment=Enterprise`. */
  prefixFilters?: Record<string, { description: string; where: (suffix: string, value: string, scope: TokenScope) => SQL }>;
  /** Whether `GET {path}/{id}` reads one record by its key (several key columns: their values joined by ":"). */
  one: boolean;
};

export function resource(r: ReadResource): ReadResource {
  return r;
}

/**
 * A column of a record, written as one word so a resource reads as a table: its JSON type, with
 * `?` when it may be null, or a list of the values it takes. A ReadField when it needs its own SQL.
 */
export type Column = "uuid" | "uuid?" | "text" | "text?" | "num" | "num?" | "day" | "day?" | "time" | "time?" | "bool" | "int" | "bigint" | readonly string[] | ReadField;

const COLUMN_KINDS: Record<string, (expr: SQL) => ReadField> = {
  uuid: (e) => uuidField(e),
  "uuid?": (e) => uuidField(e, true),
  text: (e) => text(e),
  "text?": (e) => text(e, true),
  num: (e) => num(e),
  "num?": (e) => num(e, true),
  day: (e) => day(e),
  "day?": (e) => day(e, true),
  time: (e) => time(e),
  "time?": (e) => time(e, true),
  bool: (e) => bool(e),
  int: (e) => int(e),
  bigint: (e) => ({ sql: e, schema: { type: "integer" } }),
};

/** `accountId` → `r.account_id`: a record's column of the same name, in its table aliased `r`. */
function columnOf(name: string): SQL {
  return sql.raw(`r.${name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`)}`);
}

function fieldOf(name: string, column: Column): ReadField {
  if (typeof column === "string") return COLUMN_KINDS[column](columnOf(name));
  if (Array.isArray(column)) return oneOf(columnOf(name), column as readonly string[]);
  return column as ReadField;
}

/** The records of one table (aliased `r`) that each belong to one account (joined as `a`). */
export type RecordTable = {
  name: string;
  path: string;
  scope: ApiScope;
  /** The list's summary and description in the OpenAPI document. */
  doc: readonly [summary: string, description: string];
  /** The table, or a subquery in parentheses; `joins` adds more tables after the account. */
  table: string;
  joins?: string;
  columns: Record<string, Column>;
  filters?: Record<string, ReadFilter>;
  /** The list's order and cursor: default the record's uuid `id`, ascending. */
  key?: ReadKey[];
  order?: "asc" | "desc";
  /** Default true: `GET {path}/{id}`; a key of several columns reads `{first}:{second}…`. */
  one?: boolean;
};

/** The one way every account-bound table becomes a read of /api/v1 (lib/api/reads/engine.ts). */
export function accountRecords(t: RecordTable): ReadResource {
  const key = t.key ?? [{ sql: sql`r.id`, type: "uuid" }];
  const one = t.one ?? true;
  const fields = Object.fromEntries(Object.entries(t.columns).map(([name, column]) => [name, fieldOf(name, column)]));
  return {
    name: t.name,
    path: t.path,
    scope: t.scope,
    summary: t.doc[0],
    description: t.doc[1],
    from: sql.raw(`${t.table} r join accounts a on a.id = r.account_id${t.joins ? ` ${t.joins}` : ""}`),
    accountBound: true,
    // A record read by a key of several columns carries that key as its id.
    fields: one && key.length > 1 && !("id" in fields) ? { id: compositeId(key), ...fields } : fields,
    key,
    order: t.order ?? "asc",
    filters: t.filters ?? {},
    one,
  };
}

/** The id of a record keyed by several columns: their text joined by ":" (the last may hold ":" itself). */
export function compositeId(key: ReadKey[]): ReadField {
  return { sql: sql`concat_ws(':', ${sql.join(key.map((k) => sql`(${k.sql})::text`), sql`, `)})`, schema: { type: "string", description: `The record's key: ${key.length} values joined by “:”.` } };
}

// Field and filter helpers, so each resource reads as a table of names.
export const text = (expr: SQL, nullable = false): ReadField => ({ sql: expr, schema: nullable ? { type: ["string", "null"] } : { type: "string" } });
export const uuidField = (expr: SQL, nullable = false): ReadField => ({ sql: expr, schema: nullable ? { type: ["string", "null"], format: "uuid" } : { type: "string", format: "uuid" } });
export const time = (expr: SQL, nullable = false): ReadField => ({ sql: expr, schema: { type: nullable ? ["string", "null"] : "string", format: "date-time" } });
export const day = (expr: SQL, nullable = false): ReadField => ({ sql: sql`to_char(${expr}, 'YYYY-MM-DD')`, schema: { type: nullable ? ["string", "null"] : "string", format: "date" } });
export const num = (expr: SQL, nullable = false): ReadField => ({ sql: sql`(${expr})::float8`, schema: { type: nullable ? ["number", "null"] : "number" } });
export const int = (expr: SQL): ReadField => ({ sql: expr, schema: { type: "integer" } });
export const bool = (expr: SQL): ReadField => ({ sql: expr, schema: { type: "boolean" } });
export const oneOf = (expr: SQL, values: readonly string[]): ReadField => ({ sql: expr, schema: { type: "string", enum: [...values] } });
export const object = (expr: SQL | ((scope: TokenScope) => SQL), description: string): ReadField => ({ sql: expr, schema: { type: "object", additionalProperties: true, description } });

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const uuidSchema = z.string().regex(UUID, "Use an id (a UUID).");
const timeSchema = z
  .string()
  .max(40)
  .refine((v) => /^\d{4}-\d{2}-\d{2}([T ][\d:.]+(Z|[+-]\d{2}:?\d{2})?)?$/.test(v) && !Number.isNaN(Date.parse(v)), "Use an ISO date or time, e.g. 2026-11-01 or 2026-11-01T09:00:00Z.")
  .transform((v) => new Date(v).toISOString());
const daySchema = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "Use a date, e.g. 2026-11-01.").refine((v) => !Number.isNaN(Date.parse(v)), "Not a real date.");

export const byId = (description: string, column: SQL): ReadFilter => ({
  description,
  schema: uuidSchema,
  openapi: { type: "string", format: "uuid" },
  where: (v: string) => sql`${column} = ${v}::uuid`,
});
export const byText = (description: string, column: SQL): ReadFilter => ({
  description,
  schema: z.string().min(1, "Give a value.").max(500, "Use at most 500 characters."),
  openapi: { type: "string" },
  where: (v: string) => sql`${column} = ${v}`,
});
export const byEnum = (description: string, column: SQL, values: readonly [string, ...string[]]): ReadFilter => ({
  description,
  schema: z.enum(values, { error: `Use one of: ${values.join(", ")}.` }),
  openapi: { type: "string", enum: [...values] },
  where: (v: string) => sql`${column}::text = ${v}`,
});
export const byBoolean = (description: string, condition: SQL): ReadFilter => ({
  description,
  schema: z.enum(["true", "false"], { error: "Use true or false." }),
  openapi: { type: "string", enum: ["true", "false"] },
  where: (v: string) => (v === "true" ? sql`(${condition})` : sql`not (${condition})`),
});
export const since = (description: string, column: SQL): ReadFilter => ({
  description,
  schema: timeSchema,
  openapi: { type: "string", format: "date-time" },
  where: (v: string) => sql`${column} >= ${v}::timestamptz`,
});
export const until = (description: string, column: SQL): ReadFilter => ({
  description,
  schema: timeSchema,
  openapi: { type: "string", format: "date-time" },
  where: (v: string) => sql`${column} < ${v}::timestamptz`,
});
export const fromDay = (description: string, column: SQL): ReadFilter => ({
  description,
  schema: daySchema,
  openapi: { type: "string", format: "date" },
  where: (v: string) => sql`${column} >= ${v}::date`,
});
export const toDay = (description: string, column: SQL): ReadFilter => ({
  description,
  schema: daySchema,
  openapi: { type: "string", format: "date" },
  where: (v: string) => sql`${column} <= ${v}::date`,
});

export function isUuidText(value: string): boolean {
  return UUID.test(value);
}
