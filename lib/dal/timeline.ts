import "server-only";
import { sql, type SQL } from "drizzle-orm";
import { TIMELINE_LIMIT, timelineKind } from "@/db/schema";
import type { AccountSummary } from "./accounts";
import { isUuid, visibleAccount, type Ctx } from "./viewer";

export type TimelineKind = (typeof timelineKind.enumValues)[number];
export const TIMELINE_KINDS: readonly TimelineKind[] = timelineKind.enumValues;
/**
 * Child activity shown on a parent's timeline: what people logged and planned, not every change.
 * It comes from the customer hierarchy only: opportunities keep their activity on their own
 * profile (and the Opportunities widget), so a product's timeline stays that product's history.
 */
export const DESCENDANT_KINDS: readonly TimelineKind[] = ["touchpoint", "task"];
export const TIMELINE_PAGE_SIZE = 50;

export type TimelineFilters = {
  page?: number;
  kinds?: readonly string[];
  /** A user id: entries they authored. */
  author?: string;
  /** A descendant account id: only entries of that account and the accounts below it. */
  child?: string;
  /** Inclusive `YYYY-MM-DD` bounds (UTC days). */
  from?: string;
  to?: string;
};

export type TimelineEntry = {
  id: number;
  kind: TimelineKind;
  title: string;
  /** The record as it was when the entry was written. */
  snapshot: Record<string, unknown>;
  occurredAt: Date;
  actorId: string | null;
  actorName: string | null;
  accountId: string;
  accountName: string;
  /** True for child activity shown on a parent. */
  fromDescendant: boolean;
};

export type TimelinePage = {
  entries: TimelineEntry[];
  total: number;
  page: number;
  pageCount: number;
  pageSize: number;
  /** The filters actually applied, after dropping unknown values. */
  filters: { kinds: TimelineKind[]; author?: string; child?: string; from?: string; to?: string };
};

type CleanFilters = { kinds: TimelineKind[]; author?: string; child?: string; from?: string; to?: string };

const isoDate = /^\d{4}-\d{2}-\d{2}$/;
function validDate(value: string | undefined): string | undefined {
  if (!value || !isoDate.test(value)) return undefined;
  const d = new Date(`${value}T00:00:00Z`);
  return Number.isNaN(d.getTime()) || d.toISOString().slice(0, 10) !== value ? undefined : value;
}

/** Drops unknown kinds and malformed ids/dates, so a crafted URL degrades to "no filter". */
function cleanFilters(filters: TimelineFilters): CleanFilters {
  const kinds = [...new Set((filters.kinds ?? []).filter((k): k is TimelineKind => (TIMELINE_KINDS as readonly string[]).includes(k)))];
  let from = validDate(filters.from);
  let to = validDate(filters.to);
  if (from && to && from > to) [from, to] = [to, from];
  return {
    kinds,
    author: isUuid(filters.author) ? filters.author : undefined,
    child: isUuid(filters.child) ? filters.child : undefined,
    from,
    to,
  };
}

/**
 * An author that is not a user, or a child that is not a visible descendant of the account, is
 * treated as no filter at all (one tiny query, only when such a filter is present).
 */
async function resolveFilters(ctx: Ctx, account: AccountSummary, filters: CleanFilters): Promise<CleanFilters> {
  if (!filters.author && !filters.child) return filters;
  const { rows } = await ctx.db.execute<{ author_ok: boolean | null; child_ok: boolean | null }>(sql`
    select
      ${filters.author ? sql`exists (select 1 from users u where u.id = ${filters.author}::uuid)` : sql`null::boolean`} as author_ok,
      ${
        filters.child
          ? sql`exists (select 1 from account_closure c join accounts a on a.id = c.descendant_id
              join account_types t on t.id = a.type_id and not t.is_opportunity
              where c.ancestor_id = ${account.id}::uuid and c.descendant_id = ${filters.child}::uuid and c.distance > 0
                and a.archived_at is null and ${visibleAccount(ctx.viewer, sql`a.id`, sql`a.type_id`)})`
          : sql`null::boolean`
      } as child_ok`);
  const row = rows[0];
  return { ...filters, author: row?.author_ok ? filters.author : undefined, child: row?.child_ok ? filters.child : undefined };
}

/** `YYYY-MM-DD` → ISO instant of the next UTC midnight (exclusive upper bound of an inclusive day). */
function dayAfter(day: string): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + 1);
  return d.toISOString();
}

function kindList(kinds: readonly TimelineKind[]): SQL {
  return sql.join(
    kinds.map((k) => sql`${k}::timeline_kind`),
    sql`, `,
  );
}

/** Conditions shared by both branches of the stream, on alias `te`. */
function entryConditions(filters: CleanFilters, kinds: readonly TimelineKind[] | null): SQL[] {
  const where: SQL[] = [];
  if (kinds) where.push(sql`te.kind in (${kindList(kinds)})`);
  if (filters.author) where.push(sql`te.actor_id = ${filters.author}::uuid`);
  if (filters.from) where.push(sql`te.occurred_at >= ${`${filters.from}T00:00:00Z`}::timestamptz`);
  if (filters.to) where.push(sql`te.occurred_at < ${dayAfter(filters.to)}::timestamptz`);
  return where;
}

/**
 * The account's stream, newest first and capped at `cap` entries (never more than TIMELINE_LIMIT):
 * its own entries (served by the (account_id, occurred_at desc) index, or (account_id, kind,
 * occurred_at desc) when filtered by kind) plus, on parents, the touchpoints and tasks of the
 * visible accounts below it, found through account_closure. Only the narrow columns needed to
 * order, count and page are read here; the page's rows are joined back afterwards.
 */
function streamSql(ctx: Ctx, account: AccountSummary, filters: CleanFilters, cap: number): SQL | null {
  const limit = Math.max(1, Math.min(cap, TIMELINE_LIMIT));
  const branches: SQL[] = [];
  if (!filters.child) {
    const where = [sql`te.account_id = ${account.id}::uuid`, ...entryConditions(filters, filters.kinds.length ? filters.kinds : null)];
    branches.push(sql`(select te.id, te.occurred_at, false as from_descendant from timeline_entries te
      where ${sql.join(where, sql` and `)}
      order by te.occurred_at desc, te.id desc limit ${limit})`);
  }
  const childKinds = filters.kinds.length ? DESCENDANT_KINDS.filter((k) => filters.kinds.includes(k)) : DESCENDANT_KINDS;
  if (childKinds.length) {
    const where = [
      sql`c.ancestor_id = ${account.id}::uuid`,
      sql`c.distance > 0`,
      sql`a.archived_at is null`,
      visibleAccount(ctx.viewer, sql`a.id`, sql`a.type_id`),
      ...entryConditions(filters, childKinds),
    ];
    if (filters.child) {
      where.push(sql`exists (select 1 from account_closure cc where cc.ancestor_id = ${filters.child}::uuid and cc.descendant_id = a.id)`);
    }
    branches.push(sql`(select te.id, te.occurred_at, true as from_descendant
      from account_closure c
      join accounts a on a.id = c.descendant_id
      join account_types at on at.id = a.type_id and not at.is_opportunity
      join timeline_entries te on te.account_id = c.descendant_id
      where ${sql.join(where, sql` and `)}
      order by te.occurred_at desc, te.id desc limit ${limit})`);
  }
  if (!branches.length) return null;
  if (branches.length === 1) return branches[0];
  return sql`(select * from (${sql.join(branches, sql` union all `)}) b order by b.occurred_at desc, b.id desc limit ${limit})`;
}

type EntryRow = {
  id: number | string;
  account_id: string;
  account_name: string;
  kind: TimelineKind;
  title: string;
  snapshot: Record<string, unknown> | string | null;
  occurred_at: Date | string;
  actor_id: string | null;
  actor_name: string | null;
  from_descendant: boolean;
};

function toEntry(row: EntryRow): TimelineEntry {
  const snapshot = typeof row.snapshot === "string" ? (JSON.parse(row.snapshot) as Record<string, unknown>) : (row.snapshot ?? {});
  return {
    id: Number(row.id),
    kind: row.kind,
    title: row.title,
    snapshot,
    occurredAt: row.occurred_at instanceof Date ? row.occurred_at : new Date(row.occurred_at),
    actorId: row.actor_id,
    actorName: row.actor_name,
    accountId: row.account_id,
    accountName: row.account_name,
    fromDescendant: Boolean(row.from_descendant),
  };
}

/** Entries `offset .. offset + limit` of the stream, with their account and author names. */
async function readEntries(ctx: Ctx, account: AccountSummary, filters: CleanFilters, limit: number, offset: number): Promise<TimelineEntry[]> {
  const stream = streamSql(ctx, account, filters, offset + limit);
  if (!stream) return [];
  const { rows } = await ctx.db.execute<EntryRow>(sql`
    select te.id, te.account_id, a.name as account_name, te.kind, te.title, te.snapshot, te.occurred_at, te.actor_id,
      u.name as actor_name, s.from_descendant
    from (select * from ${stream} s0 order by s0.occurred_at desc, s0.id desc limit ${limit} offset ${offset}) s
    join timeline_entries te on te.id = s.id
    join accounts a on a.id = te.account_id
    left join users u on u.id = te.actor_id
    order by s.occurred_at desc, s.id desc`);
  return rows.map(toEntry);
}

/** How many entries the (capped) stream holds. */
async function countEntries(ctx: Ctx, account: AccountSummary, filters: CleanFilters): Promise<number> {
  const stream = streamSql(ctx, account, filters, TIMELINE_LIMIT);
  if (!stream) return 0;
  const { rows } = await ctx.db.execute<{ n: number | string }>(sql`select count(*)::int as n from ${stream} s`);
  return Number(rows[0]?.n ?? 0);
}

/**
 * One page of the account's timeline with the filters applied. A page past the end (or any bad
 * page number) falls back to the first page.
 */
export async function timelinePage(ctx: Ctx, account: AccountSummary, filters: TimelineFilters = {}): Promise<TimelinePage> {
  const clean = await resolveFilters(ctx, account, cleanFilters(filters));
  const pageSize = TIMELINE_PAGE_SIZE;
  const maxPage = Math.ceil(TIMELINE_LIMIT / pageSize);
  const requested = Number.isInteger(filters.page) && filters.page! >= 1 && filters.page! <= maxPage ? filters.page! : 1;
  const applied = { kinds: clean.kinds, author: clean.author, child: clean.child, from: clean.from, to: clean.to };

  let page = requested;
  let [entries, total] = await Promise.all([
    readEntries(ctx, account, clean, pageSize, (page - 1) * pageSize),
    countEntries(ctx, account, clean),
  ]);
  if (!entries.length && page > 1) {
    page = 1;
    entries = total ? await readEntries(ctx, account, clean, pageSize, 0) : [];
  }
  return { entries, total, page, pageCount: Math.max(1, Math.ceil(total / pageSize)), pageSize, filters: applied };
}

/** Entries `offset .. offset + limit` of the filtered stream, for readers of the whole of it (the CSV export). */
export async function timelineBatch(ctx: Ctx, account: AccountSummary, filters: TimelineFilters, offset: number, limit: number): Promise<TimelineEntry[]> {
  const clean = await resolveFilters(ctx, account, cleanFilters(filters));
  return readEntries(ctx, account, clean, limit, offset);
}

/** The newest `n` entries of the account's stream (child activity included on parents). */
export async function latestTimeline(ctx: Ctx, account: AccountSummary, n = 8): Promise<TimelineEntry[]> {
  const limit = Math.max(1, Math.min(Math.trunc(n) || 8, 50));
  return readEntries(ctx, account, { kinds: [] }, limit, 0);
}

export type TimelineFilterOptions = {
  authors: { id: string; name: string }[];
  /** Visible accounts below this one that have child activity, shallowest first. */
  children: { id: string; name: string; typeName: string; depth: number }[];
};

/**
 * Choices for the timeline filters: users who authored entries on this account's stream and the
 * visible descendants that contribute entries to it.
 */
export async function timelineFilterOptions(ctx: Ctx, account: AccountSummary): Promise<TimelineFilterOptions> {
  const visible = visibleAccount(ctx.viewer, sql`a.id`, sql`a.type_id`);
  const [authors, children] = await Promise.all([
    ctx.db.execute<{ id: string; name: string }>(sql`
      select u.id, u.name from users u
      where u.id in (
        select te.actor_id from timeline_entries te where te.account_id = ${account.id}::uuid
        union
        select te.actor_id from account_closure c
        join accounts a on a.id = c.descendant_id
        join account_types at on at.id = a.type_id and not at.is_opportunity
        join timeline_entries te on te.account_id = c.descendant_id
        where c.ancestor_id = ${account.id}::uuid and c.distance > 0 and a.archived_at is null
          and te.kind in (${kindList(DESCENDANT_KINDS)}) and ${visible}
      )
      order by u.name`),
    ctx.db.execute<{ id: string; name: string; type_name: string; depth: number }>(sql`
      select a.id, a.name, t.name as type_name, a.depth
      from account_closure c
      join accounts a on a.id = c.descendant_id
      join account_types t on t.id = a.type_id and not t.is_opportunity
      where c.ancestor_id = ${account.id}::uuid and c.distance > 0 and a.archived_at is null and ${visible}
        and exists (select 1 from account_closure cc join timeline_entries te on te.account_id = cc.descendant_id
          join accounts ca on ca.id = cc.descendant_id join account_types ct on ct.id = ca.type_id and not ct.is_opportunity
          where cc.ancestor_id = a.id and ca.archived_at is null and te.kind in (${kindList(DESCENDANT_KINDS)}))
      order by a.depth, a.name
      limit 500`),
  ]);
  return {
    authors: authors.rows,
    children: children.rows.map((r) => ({ id: r.id, name: r.name, typeName: r.type_name, depth: Number(r.depth) })),
  };
}
