import { sql, type SQL } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { NO_CONTACT, USER_WINDOW_DAYS } from "@/db/schema";
import { WINDOW_LOCK } from "./locks";
import { rebuildUserWindows, utcToday, WINDOW_PERIODS } from "./rebuild";
import { rows } from "./sql";

/**
 * Subtracts `removed` (rows of account_id, period_days, contact_id, events, last_day) from the user
 * windows. A row that reaches 0 goes. When the removed part held the row's last day, the user also
 * has events elsewhere below the account (a contact linked to several accounts) and the last day is
 * re-read from usage_daily for those rows alone, leaving out the subtree of `leaving` (a subtree on
 * its way out, which the closure still places below).
 */
export async function shrinkUserWindows(db: Executor, removed: SQL, leaving?: SQL): Promise<void> {
  await db.execute(sql`
    with r as (${removed})
    update usage_user_windows u set events = u.events - r.events
    from r
    where u.account_id = r.account_id and u.period_days = r.period_days and u.contact_id = r.contact_id`);
  // Separate statements: within one, a DELETE cannot see the rows an UPDATE of the same statement changed.
  await db.execute(sql`
    with r as (${removed})
    delete from usage_user_windows u using r
    where u.account_id = r.account_id and u.period_days = r.period_days and u.contact_id = r.contact_id and u.events <= 0`);
  // Only rows still present count.
  await db.execute(sql`
    with r as (${removed}),
    stale as (
      select u.account_id, u.period_days, u.contact_id
      from usage_user_windows u join r
        on u.account_id = r.account_id and u.period_days = r.period_days and u.contact_id = r.contact_id
      where r.last_day >= u.last_day
    ),
    fresh as (
      select x.account_id, x.period_days, x.contact_id, max(d.day) as last_day
      from stale x
      join usage_window_state st on st.id = 1
      join account_closure c on c.ancestor_id = x.account_id
      join accounts a on a.id = c.descendant_id and a.archived_at is null
        ${leaving ? sql`and not exists (select 1 from account_closure lc where lc.ancestor_id = ${leaving} and lc.descendant_id = a.id)` : sql``}
      join usage_daily d on d.account_id = c.descendant_id and d.contact_id = x.contact_id
        and d.day > st.as_of - x.period_days::int and d.day <= st.as_of
      group by x.account_id, x.period_days, x.contact_id
    )
    update usage_user_windows u set last_day = f.last_day
    from fresh f
    where u.account_id = f.account_id and u.period_days = f.period_days and u.contact_id = f.contact_id`);
}

/**
 * Slides the user windows to end on `today` (UTC, default now): subtracts the days that left each
 * window, adds the days in (as_of, today] (events that arrived for days after as_of were left out
 * when they were ingested), and records the new as_of. Runs in its own transaction under the
 * exclusive window lock, so no ingestion sees a half-slid state; a long gap rebuilds instead.
 * Cheap: it reads the usage_daily rows of the days that moved (a day is ~0.1% of a year's rows).
 * Readers call it when they find as_of behind today; calling it twice the same day does nothing.
 */
export async function slideUserWindows(db: Executor, today: string = utcToday()): Promise<"current" | "slid" | "rebuilt"> {
  return db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(${WINDOW_LOCK})`);
    const [state] = await rows<{ as_of: string; gap: number }>(
      tx,
      sql`select as_of::text as as_of, (${today}::date - as_of)::int as gap from usage_window_state where id = 1`,
    );
    if (state && state.gap <= 0) return "current";
    if (!state || state.gap >= MAX_WINDOW) {
      await rebuildUserWindows(tx, today);
      return "rebuilt";
    }
    const asOf = state.as_of;
    await shrinkUserWindows(
      tx,
      sql`select c.ancestor_id as account_id, w.days as period_days, u.contact_id, sum(u.events) as events, max(u.day) as last_day
        from ${WINDOW_PERIODS}
        join usage_daily u on u.day > ${asOf}::date - w.days and u.day <= ${today}::date - w.days
          and u.contact_id <> ${NO_CONTACT}::uuid
        join accounts a on a.id = u.account_id and a.archived_at is null
        join account_closure c on c.descendant_id = u.account_id
        group by c.ancestor_id, w.days, u.contact_id`,
    );
    await tx.execute(sql`
      insert into usage_user_windows (account_id, period_days, contact_id, events, last_day)
      select c.ancestor_id, w.days, u.contact_id, sum(u.events), max(u.day)
      from ${WINDOW_PERIODS}
      join usage_daily u on u.day > ${asOf}::date and u.day <= ${today}::date and u.day > ${today}::date - w.days
        and u.contact_id <> ${NO_CONTACT}::uuid
      join accounts a on a.id = u.account_id and a.archived_at is null
      join account_closure c on c.descendant_id = u.account_id
      group by c.ancestor_id, w.days, u.contact_id
      on conflict (account_id, period_days, contact_id) do update set
        events = usage_user_windows.events + excluded.events,
        last_day = greatest(usage_user_windows.last_day, excluded.last_day)`);
    await tx.execute(sql`update usage_window_state set as_of = ${today}::date where id = 1`);
    return "slid";
  });
}

const MAX_WINDOW = Math.max(...USER_WINDOW_DAYS);
