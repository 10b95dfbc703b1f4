import "server-only";
import { sql, type SQL } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { NO_CONTACT } from "@/db/schema";
import type { HealthRule } from "@/db/schema/health";
import { attributeNumberSql, rows } from "@/lib/rollups/sql";
import { pgPlainArray } from "@/lib/ingest/resolve";

/** Raw values of one rule for a set of accounts on a day: account id → value (absent: no data). */
export type RawValues = Map<string, number>;

/** Days since a touchpoint when an account never had one: far beyond any threshold. */
export const NEVER_DAYS = 9999;

/**
 * One set-based query per rule over the accounts given, as of the end of `asOf` (a UTC day): every
 * figure is read from what the product holds at that moment (tickets by their open and close
 * times, surveys and touchpoints by their dates), so past weeks can be recomputed the same way.
 * Attributes are read as they stood then: the old value of the first change (attribute_changes)
 * after the end of `asOf`, else the current value (see `attributeAsOf`).
 */
/**
 * An attribute value (`v`, a row of attribute_values) as it stood at `end`: the history keeps every
 * change with its old value, so the first change at or after `end` says what the value was; with no
 * later change it is the current value. One backward step of attribute_changes' (account, attribute,
 * time) index per value; for the current week there is no later change and the current value wins.
 */
function attributeAsOf(end: SQL): { join: SQL; value: SQL } {
  return {
    join: sql`left join lateral (select true as found, c.old_value from attribute_changes c
      where c.account_id = v.account_id and c.attribute_id = v.attribute_id and c.changed_at >= ${end}
      order by c.changed_at, c.id limit 1) later on true`,
    value: sql`(case when later.found then later.old_value else v.value end)`,
  };
}

export async function measureRule(db: Executor, rule: HealthRule, accountIds: readonly string[], asOf: string): Promise<RawValues> {
  const out: RawValues = new Map();
  if (!accountIds.length) return out;
  const ids = sql`${pgPlainArray(accountIds as string[])}::uuid[]`;
  const day = sql`${asOf}::date`;
  const end = sql`((${asOf}::date + 1)::timestamp at time zone 'UTC')`;
  const put = (list: { account_id: string; v: number | string | null }[], fill?: number) => {
    if (fill !== undefined) for (const id of accountIds) out.set(id, fill);
    for (const r of list) if (r.v !== null) out.set(r.account_id, Number(r.v));
    return out;
  };
  const q = (query: SQL) => rows<{ account_id: string; v: number | string | null }>(db, query);

  switch (rule.kind) {
    case "usage": {
      const measure = rule.measure === "events" ? sql`sum(events)` : sql`count(distinct contact_id) filter (where contact_id <> ${NO_CONTACT}::uuid)`;
      if (rule.basis === "trend") {
        const cur = rule.measure === "events" ? sql`sum(events) filter (where day > ${day} - ${rule.days}::int)` : sql`count(distinct contact_id) filter (where contact_id <> ${NO_CONTACT}::uuid and day > ${day} - ${rule.days}::int)`;
        const prev = rule.measure === "events" ? sql`sum(events) filter (where day <= ${day} - ${rule.days}::int)` : sql`count(distinct contact_id) filter (where contact_id <> ${NO_CONTACT}::uuid and day <= ${day} - ${rule.days}::int)`;
        const list = await q(sql`
          select account_id, case when coalesce(p, 0) = 0 then case when coalesce(c, 0) > 0 then 200 end else round(100.0 * coalesce(c, 0) / p, 4) end::float8 as v
          from (select account_id, ${cur} as c, ${prev} as p from usage_daily
                where account_id = any(${ids}) and day > ${day} - ${2 * rule.days}::int and day <= ${day} group by account_id) t`);
        return put(list);
      }
      const list = await q(sql`select account_id, (${measure})::float8 as v from usage_daily
        where account_id = any(${ids}) and day > ${day} - ${rule.days}::int and day <= ${day} group by account_id`);
      if (rule.basis === "absolute") return put(list, 0);
      const seatsThen = attributeAsOf(end);
      const seats = await q(sql`
        select v.account_id, ${attributeNumberSql(seatsThen.value)}::float8 as v
        from attribute_values v join attribute_definitions d on d.id = v.attribute_id ${seatsThen.join}
        where v.account_id = any(${ids}) and d.key = ${rule.seatsAttribute ?? "seats"} and d.deleted_at is null`);
      const used = new Map(list.map((r) => [r.account_id, Number(r.v ?? 0)]));
      for (const s of seats) {
        const n = s.v === null ? 0 : Number(s.v);
        if (n > 0) out.set(s.account_id, Math.round(((used.get(s.account_id) ?? 0) / n) * 10_000) / 10_000);
      }
      return out;
    }
    case "adoption": {
      const list = await q(sql`
        with m as (select id from usage_modules where not hidden), total as (select count(*) as n from m)
        select a.id as account_id, case when total.n = 0 then null else round(100.0 * coalesce(u.used, 0) / total.n, 4) end::float8 as v
        from unnest(${ids}) as a(id) cross join total
        left join (select account_id, count(distinct module_id) as used from usage_daily
                   where account_id = any(${ids}) and day > ${day} - ${rule.days}::int and day <= ${day} and module_id in (select id from m)
                   group by account_id) u on u.account_id = a.id`);
      return put(list);
    }
    case "engagement": {
      const types = sql`${pgPlainArray(rule.touchpointTypes)}::touchpoint_type[]`;
      if (rule.measure === "days_since") {
        const list = await q(sql`select account_id, (${day} - max((occurred_at at time zone 'UTC')::date))::float8 as v from touchpoints
          where account_id = any(${ids}) and type = any(${types}) and occurred_at < ${end} group by account_id`);
        return put(list, NEVER_DAYS);
      }
      const list = await q(sql`select account_id, count(*)::float8 as v from touchpoints
        where account_id = any(${ids}) and type = any(${types}) and occurred_at < ${end} and occurred_at >= ${end} - interval '91 days' group by account_id`);
      return put(list, 0);
    }
    case "support": {
      const open = sql`opened_at < ${end} and (closed_at >= ${end} or (closed_at is null and status in ('new', 'open', 'pending')))`;
      const where =
        rule.measure === "open" ? open : rule.measure === "urgent" ? sql`${open} and priority = 'urgent'` : sql`opened_at < ${end} and opened_at >= ${end} - ${rule.days}::int * interval '1 day'`;
      const list = await q(sql`select account_id, count(*)::float8 as v from support_tickets where account_id = any(${ids}) and ${where} group by account_id`);
      return put(list, 0);
    }
    case "sentiment": {
      const within = sql`account_id = any(${ids}) and kind = ${rule.survey}::survey_kind and responded_at < ${end} and responded_at >= ${end} - ${rule.days}::int * interval '1 day'`;
      if (rule.measure === "latest") {
        return put(await q(sql`select distinct on (account_id) account_id, score::float8 as v from survey_responses where ${within} order by account_id, responded_at desc, id desc`));
      }
      const value = rule.survey === "nps" ? sql`round(100.0 * (count(*) filter (where score >= 9) - count(*) filter (where score <= 6)) / count(*), 4)` : sql`round(avg(score), 4)`;
      return put(await q(sql`select account_id, (${value})::float8 as v from survey_responses where ${within} group by account_id`));
    }
    case "renewal": {
      return put(await q(sql`select account_id, (min(end_date) - ${day})::float8 as v from contracts
        where account_id = any(${ids}) and active and not excluded and end_date >= ${day} group by account_id`));
    }
    case "attribute": {
      const then = attributeAsOf(end);
      const value = then.value;
      const date = sql`(case when jsonb_typeof(${value}) = 'string' and (${value} #>> '{}') ~ '^\\d{4}-\\d{2}-\\d{2}' then left(${value} #>> '{}', 10)::date end)`;
      const measure = rule.measure === "number" ? attributeNumberSql(value) : rule.measure === "days_since" ? sql`(${day} - ${date})` : sql`(${date} - ${day})`;
      return put(await q(sql`select v.account_id, (${measure})::float8 as v from attribute_values v
        join attribute_definitions d on d.id = v.attribute_id join accounts a on a.id = v.account_id and a.type_id = d.account_type_id
        ${then.join}
        where v.account_id = any(${ids}) and d.key = ${rule.key} and d.deleted_at is null
          and d.data_type in ${rule.measure === "number" ? sql`('number', 'currency', 'percent')` : sql`('date')`}`));
    }
  }
}
