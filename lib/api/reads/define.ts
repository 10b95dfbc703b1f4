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
  /** Whether `GET {path}/{id}` reads one record by the first key column. */
  one: boolean;
};

export function resource(r: ReadResource): ReadResource {
  return r;
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
