/**
 * The SQL floor: the time node `pg` needs to read what an account's Overview shows, as a dozen small
 * indexed queries run one after another on one connection (no ORM, no rendering, no HTTP). Parents
 * read their precomputed rollup rows, as the app does, so a root costs what a leaf does.
 * This is the reference the profile's latency is compared with (STACK-NOTES "Postgres floors").
 */
import pg from "pg";
import { median, percentile } from "./load";

type Query = { name: string; text: string; params: (a: { id: string; path: string[]; typeId: string }) => unknown[] };

const DAY = 86_400_000;

export const FLOOR_QUERIES: Query[] = [
  {
    name: "account",
    text: `select a.id, a.name, a.type_id, a.parent_id, a.path, a.depth, t.key, t.name as type_name, t.is_opportunity
           from accounts a join account_types t on t.id = a.type_id where a.id = $1 and a.archived_at is null`,
    params: (a) => [a.id],
  },
  {
    name: "breadcrumb",
    text: `select a.id, a.name, t.name as type_name from accounts a join account_types t on t.id = a.type_id where a.id = any($1::uuid[])`,
    params: (a) => [a.path],
  },
  { name: "rollup row", text: `select * from account_rollups where account_id = $1`, params: (a) => [a.id] },
  {
    name: "latest health",
    text: `select week_start, score, band, upsell, dimensions from health_snapshots where account_id = $1 order by week_start desc limit 1`,
    params: (a) => [a.id],
  },
  {
    name: "lifecycle stages",
    text: `select l.key, l.name, s.key as stage_key, s.name as stage_name, s.position, x.since
           from lifecycles l join lifecycle_stages s on s.lifecycle_id = l.id
           left join account_stages x on x.lifecycle_id = l.id and x.account_id = $1
           order by l.position, s.position`,
    params: (a) => [a.id],
  },
  {
    name: "children page",
    text: `select a.id, a.name, t.name as type_name, r.mrr, r.descendants, count(*) over () as total
           from accounts a join account_types t on t.id = a.type_id left join account_rollups r on r.account_id = a.id
           where a.parent_id = $1 and a.archived_at is null order by a.name limit 12`,
    params: (a) => [a.id],
  },
  {
    name: "open tasks",
    text: `select t.id, t.title, t.due_date, t.priority, t.status, u.name as assignee
           from tasks t left join users u on u.id = t.assignee_id
           where t.account_id = $1 and t.status in ('open', 'in_progress') order by t.due_date nulls last limit 5`,
    params: (a) => [a.id],
  },
  {
    name: "latest timeline 8",
    text: `select te.id, te.kind, te.title, te.snapshot, te.occurred_at, u.name as actor
           from timeline_entries te left join users u on u.id = te.actor_id
           where te.account_id = $1 order by te.occurred_at desc limit 8`,
    params: (a) => [a.id],
  },
  {
    name: "contacts",
    text: `select c.id, c.name, c.title, c.email, ac.role, ac.is_key from account_contacts ac join contacts c on c.id = ac.contact_id
           where ac.account_id = $1 order by ac.is_key desc, c.name limit 12`,
    params: (a) => [a.id],
  },
  {
    name: "assignments",
    text: `select u.id, u.name, a.role from assignments a join users u on u.id = a.user_id where a.account_id = $1 order by u.name`,
    params: (a) => [a.id],
  },
  {
    name: "key attributes",
    text: `select d.key, d.label, v.value from attribute_definitions d left join attribute_values v on v.attribute_id = d.id and v.account_id = $1
           where d.account_type_id = $2 and d.key_info and d.deleted_at is null order by d.position`,
    params: (a) => [a.id, a.typeId],
  },
  {
    name: "usage 30 days by module",
    text: `select m.key, sum(r.events)::float8 as events from usage_rollup_daily r join usage_modules m on m.id = r.module_id
           where r.account_id = $1 and r.day >= $2::date group by m.key order by events desc`,
    params: (a) => [a.id, new Date(Date.now() - 30 * DAY).toISOString().slice(0, 10)],
  },
];

export type FloorResult = {
  /** Median of the whole sequence of queries, in ms. */
  median_ms: number;
  p95_ms: number;
  runs: number;
  queries: number;
  /** Median per query, in ms. */
  per_query_ms: Record<string, number>;
};

/**
 * Runs the sequence `runs` times for each account (after `warmup` untimed runs), interleaving the
 * accounts run by run so that a noisy moment of a shared machine hits them all alike.
 */
export async function sqlFloors<K extends string>(url: string, accountIds: Record<K, string>, runs = 300, warmup = 30): Promise<Record<K, FloorResult>> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const cases = [];
    for (const [label, accountId] of Object.entries(accountIds) as [K, string][]) {
      const { rows } = await client.query<{ id: string; path: string[]; type_id: string }>(
        `select id, path, type_id from accounts where id = $1`,
        [accountId],
      );
      if (!rows.length) throw new Error(`sql floor: account ${accountId} not found`);
      const account = { id: rows[0].id, path: rows[0].path, typeId: rows[0].type_id };
      cases.push({
        label,
        // Named prepared statements, as a pooled app server would reuse them; parsing is not the point.
        prepared: FLOOR_QUERIES.map((q, i) => ({ name: `floor_${i}`, text: q.text, values: q.params(account) })),
        totals: [] as number[],
        perQuery: new Map<string, number[]>(FLOOR_QUERIES.map((q) => [q.name, []])),
      });
    }
    for (let run = 0; run < warmup + runs; run++) {
      for (const c of cases) {
        const t0 = performance.now();
        for (let i = 0; i < c.prepared.length; i++) {
          const q0 = performance.now();
          await client.query(c.prepared[i]);
          if (run >= warmup) c.perQuery.get(FLOOR_QUERIES[i].name)!.push(performance.now() - q0);
        }
        if (run >= warmup) c.totals.push(performance.now() - t0);
      }
    }
    const out = {} as Record<K, FloorResult>;
    for (const c of cases) {
      const sorted = [...c.totals].sort((a, b) => a - b);
      out[c.label] = {
        median_ms: percentile(sorted, 50),
        p95_ms: percentile(sorted, 95),
        runs,
        queries: FLOOR_QUERIES.length,
        per_query_ms: Object.fromEntries([...c.perQuery].map(([name, values]) => [name, round(median(values), 3)])),
      };
    }
    return out;
  } finally {
    await client.end();
  }
}

function round(n: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(n * f) / f;
}
