import "server-only";
import { sql, type SQL } from "drizzle-orm";
import { may } from "@/lib/auth/permissions";
import { laggingDb, visibleAccount, type Ctx, type Viewer } from "@/lib/dal/viewer";
import { BUILTIN_COLUMNS, type Band, type ColumnKey, type ViewState } from "./state";

/*
 * A view's filters, columns and sort as SQL over `accounts a` (+ `account_types t`, `account_rollups r`).
 * Every filter is pushed into the one query, every row is visible to the viewer (visibleAccount),
 * and each filter is an indexed lookup per account (closure, assignments, contracts, touchpoints,
 * attribute values by their account-first keys) or a column of the precomputed rollup row
 * (`own_health`, `mrr`): no per-account loops in JavaScript.
 */

const FROM = sql`accounts a join account_types t on t.id = a.type_id left join account_rollups r on r.account_id = a.id`;

function escapeLike(q: string): string {
  return q.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** Privileged attributes are readable (and so filterable) only with "privileged.readAll". */
function attributeReadable(viewer: Viewer): SQL {
  return may(viewer, "privileged.readAll") ? sql`true` : sql`not d.privileged`;
}

export function viewConditions(viewer: Viewer, state: ViewState): SQL {
  const parts: SQL[] = [sql`a.archived_at is null`, visibleAccount(viewer, sql`a.id`, sql`a.type_id`)];
  if (state.q) {
    const like = `%${escapeLike(state.q)}%`;
    parts.push(sql`(a.name ilike ${like} or a.external_id = ${state.q})`);
  }
  if (state.type) parts.push(sql`t.key = ${state.type}`);
  if (state.parent) parts.push(sql`a.parent_id = ${state.parent}::uuid`);
  if (state.under) parts.push(sql`exists (select 1 from account_closure uc where uc.descendant_id = a.id and uc.ancestor_id = ${state.under}::uuid and uc.distance > 0)`);
  if (state.health.length) parts.push(sql`r.own_health in (${sql.join(state.health.map((b: Band) => sql`${b}::health_band`), sql`, `)})`);
  if (state.stage) {
    parts.push(sql`exists (select 1 from account_stages x join lifecycle_stages s on s.id = x.stage_id join lifecycles l on l.id = x.lifecycle_id
      where x.account_id = a.id and l.key = 'journey' and s.key = ${state.stage})`);
  }
  if (state.user || state.role) {
    const userId = state.user === "me" ? viewer.userId : state.user;
    parts.push(sql`exists (select 1 from assignments s where s.account_id = a.id
      ${userId ? sql`and s.user_id = ${userId}::uuid` : sql``} ${state.role ? sql`and s.role = ${state.role}` : sql``})`);
  }
  for (const attribute of state.attributes) {
    parts.push(sql`exists (select 1 from attribute_values v join attribute_definitions d on d.id = v.attribute_id
      where v.account_id = a.id and d.key = ${attribute.key} and d.deleted_at is null and ${attributeReadable(viewer)}
        and (v.value #>> '{}' = ${attribute.value} or (jsonb_typeof(v.value) = 'array' and v.value ? ${attribute.value})))`);
  }
  if (state.renewal !== undefined) {
    parts.push(sql`exists (select 1 from contracts c where c.account_id = a.id and c.active
      and c.end_date >= current_date and c.end_date <= current_date + ${state.renewal}::int)`);
  }
  if (state.quiet !== undefined) {
    parts.push(sql`not exists (select 1 from touchpoints tp where tp.account_id = a.id and tp.occurred_at > now() - make_interval(days => ${state.quiet}::int))`);
  }
  return sql.join(parts, sql` and `);
}

const nextRenewal = sql`(select min(c.end_date) from contracts c where c.account_id = a.id and c.active and c.end_date >= current_date)`;
const lastTouch = sql`(select max(tp.occurred_at) from touchpoints tp where tp.account_id = a.id)`;

/**
 * The sort as a tuple of non-null expressions ending in the id, so it is a total order and the
 * neighbours of a row (j / k on a profile) are one keyset lookup each.
 */
function sortTuple(state: ViewState): SQL[] {
  switch (state.sort) {
    case "name":
      return [sql`a.name`, sql`a.id`];
    case "health":
      return [sql`(case r.own_health when 'poor' then 0 when 'average' then 1 when 'good' then 2 else 3 end)`, sql`a.name`, sql`a.id`];
    case "mrr":
      return [sql`coalesce(r.mrr, 0)`, sql`a.name`, sql`a.id`];
    case "renewal":
      return [sql`coalesce(${nextRenewal}, date '9999-12-31')`, sql`a.name`, sql`a.id`];
    case "touch":
      return [sql`coalesce(${lastTouch}, '-infinity'::timestamptz)`, sql`a.name`, sql`a.id`];
    default:
      return [sql`a.depth`, sql`a.name`, sql`a.id`];
  }
}

function orderBy(state: ViewState, reverse = false): SQL {
  const dir = state.desc !== reverse ? sql`desc` : sql`asc`;
  return sql.join(
    sortTuple(state).map((e) => sql`${e} ${dir}`),
    sql`, `,
  );
}

function columnSql(viewer: Viewer, column: ColumnKey): SQL {
  if (column.startsWith("a.")) {
    return sql`(select v.value #>> '{}' from attribute_values v join attribute_definitions d on d.id = v.attribute_id
      where v.account_id = a.id and d.key = ${column.slice(2)} and d.deleted_at is null and ${attributeReadable(viewer)} limit 1)`;
  }
  switch (column as keyof typeof BUILTIN_COLUMNS) {
    case "type":
      return sql`t.name`;
    case "health":
      return sql`r.own_health::text`;
    case "stage":
      return sql`(select s.name from account_stages x join lifecycle_stages s on s.id = x.stage_id join lifecycles l on l.id = x.lifecycle_id
        where x.account_id = a.id and l.key = 'journey')`;
    case "csm":
      return sql`(select u.name from assignments s join users u on u.id = s.user_id where s.account_id = a.id and s.role = 'CSM' order by u.name limit 1)`;
    case "parent":
      return sql`(select p.name from accounts p where p.id = a.parent_id and ${visibleAccount(viewer, sql`p.id`, sql`p.type_id`)})`;
    case "mrr":
      return sql`r.mrr::text`;
    case "renewal":
      return sql`${nextRenewal}::text`;
    case "touch":
      return sql`${lastTouch}::text`;
  }
}

export type ViewRow = { id: string; name: string; typeName: string; depth: number; values: Record<string, string | null> };

/** One page of the list and its total, every row visible to the viewer (a list may lag: the read replica when there is one). */
export async function listView(ctx: Ctx, state: ViewState, page: { limit: number; offset: number }): Promise<{ rows: ViewRow[]; total: number }> {
  const where = viewConditions(ctx.viewer, state);
  const columns = state.columns.map((c, i) => sql`${columnSql(ctx.viewer, c)} as ${sql.raw(`"c${i}"`)}`);
  const [rows, counted] = await Promise.all([
    laggingDb(ctx).execute<Record<string, unknown> & { id: string; name: string; type_name: string; depth: number }>(sql`
      select a.id, a.name, t.name as type_name, a.depth ${columns.length ? sql`, ${sql.join(columns, sql`, `)}` : sql``}
      from ${FROM} where ${where} order by ${orderBy(state)} limit ${page.limit} offset ${page.offset}`),
    laggingDb(ctx).execute<{ total: number | string }>(sql`select count(*) as total from ${FROM} where ${where}`),
  ]);
  return {
    rows: rows.rows.map((r) => ({
      id: r.id,
      name: r.name,
      typeName: r.type_name,
      depth: Number(r.depth),
      values: Object.fromEntries(state.columns.map((c, i) => [c, (r[`c${i}`] as string | null) ?? null])),
    })),
    total: Number(counted.rows[0]?.total ?? 0),
  };
}

/**
 * The accounts before and after `accountId` in the list (j / k on a profile): one keyset lookup
 * each way from the account's own sort key. The account itself need not match the filters (it may
 * have changed since the list was opened); its neighbours do, and are visible to the viewer.
 */
export async function listNeighbours(ctx: Ctx, state: ViewState, accountId: string): Promise<{ previousId: string | null; nextId: string | null }> {
  const tuple = sortTuple(state);
  const row = sql`(${sql.join(tuple, sql`, `)})`;
  const keys = tuple.map((_, i) => sql.raw(`cur.k${i}`));
  const current = sql`(${sql.join(keys, sql`, `)})`;
  const where = viewConditions(ctx.viewer, state);
  const after = state.desc ? sql`<` : sql`>`;
  const before = state.desc ? sql`>` : sql`<`;
  const { rows } = await ctx.db.execute<{ previous_id: string | null; next_id: string | null }>(sql`
    with cur as (select ${sql.join(tuple.map((e, i) => sql`${e} as ${sql.raw(`k${i}`)}`), sql`, `)} from ${FROM} where a.id = ${accountId}::uuid)
    select
      (select a.id from ${FROM} cross join cur where ${where} and ${row} ${before} ${current} order by ${orderBy(state, true)} limit 1) as previous_id,
      (select a.id from ${FROM} cross join cur where ${where} and ${row} ${after} ${current} order by ${orderBy(state)} limit 1) as next_id`);
  return { previousId: rows[0]?.previous_id ?? null, nextId: rows[0]?.next_id ?? null };
}

/** Attribute keys offered as columns and filters: readable by the viewer, select ones with their options. */
export async function viewAttributeOptions(ctx: Ctx): Promise<{ key: string; label: string; options: string[] | null }[]> {
  const { rows } = await ctx.db.execute<{ key: string; label: string; options: string[] | string | null }>(sql`
    select distinct on (d.key) d.key, d.label, case when d.data_type in ('select', 'multi_select') then d.options end as options
    from attribute_definitions d where d.deleted_at is null and ${attributeReadable(ctx.viewer)}
    order by d.key, (d.data_type = 'select') desc, d.position`);
  return rows.map((r) => ({ key: r.key, label: r.label, options: typeof r.options === "string" ? (JSON.parse(r.options) as string[]) : r.options }));
}
