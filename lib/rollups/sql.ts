import { sql, type SQL } from "drizzle-orm";
import type { Executor } from "@/db/client";

/** The rows of a raw query (node-postgres and PGlite both answer `{ rows }`). */
export async function rows<T extends Record<string, unknown>>(db: Executor, query: SQL): Promise<T[]> {
  const result = await db.execute(query);
  return (result as unknown as { rows: T[] }).rows;
}

/** `array[...]::uuid[]` of the ids (an empty array when none). */
export function uuidArray(ids: readonly string[]): SQL {
  if (!ids.length) return sql`'{}'::uuid[]`;
  return sql`array[${sql.join(
    ids.map((id) => sql`${id}`),
    sql`, `,
  )}]::uuid[]`;
}

/** Whether an attribute value counts as present (the same rule as `isEmptyValue` in lib/dal/accounts.ts). */
export function attributePresentSql(value: SQL): SQL {
  return sql`(${value} is not null and jsonb_typeof(${value}) <> 'null' and ${value} <> '""'::jsonb and ${value} <> '[]'::jsonb)`;
}

/** The number an attribute value stands for: a JSON number, or a string holding a plain decimal. */
export function attributeNumberSql(value: SQL): SQL {
  return sql`(case
    when jsonb_typeof(${value}) = 'number' then (${value} #>> '{}')::numeric
    when jsonb_typeof(${value}) = 'string' and btrim(${value} #>> '{}') ~ '^-?[0-9]+(\\.[0-9]+)?$' then btrim(${value} #>> '{}')::numeric
  end)`;
}
