import "server-only";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { sql } from "drizzle-orm";
import { from as copyFrom } from "pg-copy-streams";
import { transactionPgClient } from "@/db/client";
import { NO_CONTACT, USER_WINDOW_DAYS } from "@/db/schema";
import type { Ctx } from "@/lib/dal/viewer";
import { queueSuccessUnits } from "@/lib/success-units/queue";
import { lockForUsage } from "@/lib/rollups/locks";
import { addUsageAggregates, usageWindowAsOf, type UsageAggregates } from "@/lib/rollups/usage";
import { accountsByExternalId, contactsByExternalId, IssueList, pgArray, pgPlainArray as list, rows, unknownAccount, unknownContact } from "./resolve";
import type { UsageEventItem } from "./schemas";
import { markHealthDirty } from "@/lib/health/dirty";

export type UsageIngestResult = { inserted: number; aggregates: number };

/**
 * Writes a batch of usage events in the caller's transaction, built for throughput:
 * - accounts, contacts and activities are resolved with one query each (not per event);
 * - events are summed here, and fanned out to every ancestor here (summarizeUsage), so Postgres
 *   upserts one row per aggregate of each rollup table and does no join, sort or grouping;
 * - the raw events go in with COPY on Postgres (inside the caller's transaction), and on PGlite with
 *   ONE `insert … select from unnest(arrays)` statement whose array parameters are Postgres array
 *   literals (one parameter per column, whatever the batch size).
 * A module or activity named for the first time is created (see createActivities); a batch naming
 * only known ones costs no extra query. Any unknown account or contact refuses the whole batch
 * with the events' field paths.
 */
export async function ingestUsage(ctx: Ctx, events: readonly UsageEventItem[], base: (string | number)[] = ["events"]): Promise<UsageIngestResult> {
  if (!events.length) return { inserted: 0, aggregates: 0 };
  // Before resolving ids: an account cannot be moved, archived or deleted, nor the windows slide,
  // between here and commit.
  await lockForUsage(ctx.db);
  const accountIds = new Set<string>();
  const contactIds = new Set<string>();
  for (const e of events) {
    accountIds.add(e.accountExternalId);
    if (e.userExternalId) contactIds.add(e.userExternalId);
  }
  const accounts = await accountsByExternalId(ctx, accountIds);
  const contacts = await contactsByExternalId(ctx.db, contactIds);
  let activityRows = await knownActivities(ctx);
  const missing = missingActivities(activityRows, events);
  if (missing.length) {
    await createActivities(ctx, missing);
    activityRows = await knownActivities(ctx);
  }
  const asOf = await usageWindowAsOf(ctx.db);

  const batch = new UsageBatch(asOf);
  const activityIndex = new Map<string, Map<string, number>>();
  for (const r of activityRows) {
    let byKey = activityIndex.get(r.module_key);
    if (!byKey) activityIndex.set(r.module_key, (byKey = new Map()));
    byKey.set(r.activity_key, batch.activity(r.id, r.module_id));
  }
  const accountIndex = new Map<string, number>();
  for (const [externalId, account] of accounts) accountIndex.set(externalId, batch.account(account.id, account.path));
  const contactIndex = new Map<string, number>();
  for (const [externalId, id] of contacts) contactIndex.set(externalId, batch.contact(id));

  const n = events.length;
  const issues = new IssueList();
  for (let i = 0; i < n && !issues.full; i++) {
    const e = events[i];
    const account = accountIndex.get(e.accountExternalId);
    if (account === undefined) issues.add([...base, i, "accountExternalId"], unknownAccount(e.accountExternalId));
    const activity = activityIndex.get(e.module)?.get(e.activity);
    // Created above; absent only if an admin merged it away between the two reads (not while we hold the lock).
    if (activity === undefined) issues.add([...base, i, "activity"], `There is no activity “${e.activity}” in a module “${e.module}”.`);
    let contact = NONE;
    if (e.userExternalId) {
      contact = contactIndex.get(e.userExternalId) ?? UNKNOWN;
      if (contact === UNKNOWN) issues.add([...base, i, "userExternalId"], unknownContact(e.userExternalId));
    }
    if (account === undefined || activity === undefined || contact === UNKNOWN || issues.issues.length) continue;
    batch.add(account, activity, contact, e.occurredAt, e.count ?? 1);
  }
  issues.throwIfAny();

  const copyClient = transactionPgClient(ctx.db);
  if (copyClient) {
    // Postgres: COPY, about twice as fast for the database as the same rows through unnest().
    await pipeline(
      Readable.from([batch.copyText()]),
      copyClient.query(copyFrom("copy usage_events (account_id, contact_id, module_id, activity_id, occurred_at, count) from stdin")),
    );
  } else {
    const c = batch.eventColumns();
    await ctx.db.execute(sql`
      insert into usage_events (account_id, contact_id, module_id, activity_id, occurred_at, count)
      select * from unnest(${c.accountIds}::uuid[], ${c.contactIds}::uuid[], ${c.moduleIds}::uuid[],
        ${c.activityIds}::uuid[], ${c.occurredAt}::timestamptz[], ${c.counts}::int[])`);
  }
  const summary = batch.summarize();
  await addUsageAggregates(ctx.db, summary.aggregates);
  // Success units (issue 16): the accounts are queued; a background worker recolours them.
  await queueSuccessUnits(ctx.db, [...accounts.values()].map((a) => a.id));
  await markHealthDirty(ctx.db, [...accounts.values()].map((a) => a.id));
  return { inserted: batch.events, aggregates: summary.dailyRows };
}

type ActivityRow = { module_key: string; activity_key: string; id: string; module_id: string };

/**
 * Every name an event may use for an activity: the activities under their module's key, and the
 * names retired by a merge or a move (usage_activity_aliases), which count on the activity they point to.
 */
function knownActivities(ctx: Ctx): Promise<ActivityRow[]> {
  return rows<ActivityRow>(
    ctx.db,
    sql`select m.key as module_key, a.key as activity_key, a.id, a.module_id from usage_activities a join usage_modules m on m.id = a.module_id
        union all
        select l.module_key, l.activity_key, a.id, a.module_id from usage_activity_aliases l join usage_activities a on a.id = l.activity_id`,
  );
}

/** (module, activity) pairs the batch names that no known name matches, sorted (see createActivities). */
function missingActivities(known: readonly ActivityRow[], events: readonly UsageEventItem[]): { module: string; activity: string }[] {
  const names = new Map<string, Set<string>>();
  for (const r of known) {
    let keys = names.get(r.module_key);
    if (!keys) names.set(r.module_key, (keys = new Set()));
    keys.add(r.activity_key);
  }
  const missing = new Map<string, Set<string>>();
  for (const e of events) {
    if (names.get(e.module)?.has(e.activity)) continue;
    let keys = missing.get(e.module);
    if (!keys) missing.set(e.module, (keys = new Set()));
    keys.add(e.activity);
  }
  const out: { module: string; activity: string }[] = [];
  for (const [module, keys] of missing) for (const activity of keys) out.push({ module, activity });
  return out.sort((a, b) => (a.module < b.module ? -1 : a.module > b.module ? 1 : a.activity < b.activity ? -1 : a.activity > b.activity ? 1 : 0));
}

/** "export_csv" → "Export csv": a readable first name, which an admin can change at /admin/usage. */
export function nameFromKey(key: string): string {
  const words = key.replace(/[_\-.]+/g, " ").trim();
  return words ? words[0].toUpperCase() + words.slice(1) : key;
}

/**
 * Creates the modules and activities a batch names for the first time, so a clean install ingests
 * usage without defining its product first. Race-safe: `on conflict do nothing` waits for a
 * concurrent batch inserting the same key and then skips it (the caller reads the rows again), and
 * the keys go in sorted, so two batches never wait on each other in opposite orders.
 */
async function createActivities(ctx: Ctx, missing: readonly { module: string; activity: string }[]): Promise<void> {
  const modules = [...new Set(missing.map((m) => m.module))].sort();
  await ctx.db.execute(sql`
    insert into usage_modules (key, name)
    select k, n from unnest(${pgArray(modules)}::text[], ${pgArray(modules.map(nameFromKey))}::text[]) with ordinality as x(k, n, o)
    order by o
    on conflict (key) do nothing`);
  await ctx.db.execute(sql`
    insert into usage_activities (module_id, key, name)
    select m.id, x.k, x.n
    from unnest(${pgArray(missing.map((m) => m.module))}::text[], ${pgArray(missing.map((m) => m.activity))}::text[],
      ${pgArray(missing.map((m) => nameFromKey(m.activity)))}::text[]) with ordinality as x(mk, k, n, o)
    join usage_modules m on m.key = x.mk
    where not exists (select 1 from usage_activity_aliases l where l.module_key = x.mk and l.activity_key = x.k)
    order by x.o
    on conflict (module_id, key) do nothing`);
}

/** Contact index of an event with no end user, and of one naming an unknown contact. */
const NONE = -1;
const UNKNOWN = -2;

const DAY_MS = 86_400_000;

/**
 * Row numbers keyed by two small non-negative integers, through two levels of Map, so no key is
 * built as a string and no product of counts can exceed the safe integers.
 */
class RowIndex {
  private readonly outer = new Map<number, Map<number, number>>();
  /** The row already holding (hi, lo); else registers `next` as its row and returns -1. */
  claim(hi: number, lo: number, next: number): number {
    let inner = this.outer.get(hi);
    if (!inner) this.outer.set(hi, (inner = new Map()));
    const row = inner.get(lo);
    if (row !== undefined) return row;
    inner.set(lo, next);
    return -1;
  }
}

/**
 * One batch of usage events with ids already resolved, summed for the rollup tables. Accounts
 * (with their ancestors), activities, contacts and days get small integer indexes, so the sums are
 * keyed by numbers (RowIndex). Exported for tests: summarize() must agree with what Postgres would
 * compute from the raw rows (test/ingest.test.ts compares it with the SQL rebuild).
 */
export class UsageBatch {
  /** Accounts and ancestors by index; `chains[i]` = the account itself, then its ancestors. */
  private readonly targets: string[] = [];
  private readonly targetIndex = new Map<string, number>();
  private readonly chains: number[][] = [];
  private readonly activities: { id: string; moduleId: string; copyPrefix: string }[] = [];
  private readonly contacts: string[] = [];
  private readonly days: string[] = [];
  private readonly dayIndex = new Map<string, number>();
  /** Bit k set: the day is inside USER_WINDOW_DAYS[k]'s window ending on as_of. */
  private readonly dayWindows: number[] = [];
  private readonly windowStarts: string[];
  private readonly asOf: string | null;
  // Raw events, as parallel columns.
  private readonly evAccount: number[] = [];
  private readonly evActivity: number[] = [];
  private readonly evContact: number[] = [];
  private readonly evAt: string[] = [];
  private readonly evCount: number[] = [];
  // Own per-day sums, one row per (account, contact) × (day, activity).
  private readonly dailyIndex = new RowIndex();
  private readonly dAccount: number[] = [];
  private readonly dDay: number[] = [];
  private readonly dActivity: number[] = [];
  private readonly dContact: number[] = [];
  private readonly dEvents: number[] = [];

  constructor(asOf: string | null) {
    this.asOf = asOf;
    // Day strings (YYYY-MM-DD) compare like dates: a day is in the window when start < day <= asOf.
    const end = asOf ? Date.parse(`${asOf}T00:00:00Z`) : NaN;
    this.windowStarts = USER_WINDOW_DAYS.map((d) => (asOf ? new Date(end - d * DAY_MS).toISOString().slice(0, 10) : ""));
  }

  get events(): number {
    return this.evAccount.length;
  }

  private target(id: string): number {
    let i = this.targetIndex.get(id);
    if (i === undefined) {
      i = this.targets.length;
      this.targets.push(id);
      this.targetIndex.set(id, i);
    }
    return i;
  }

  /** An account (live, resolved) and its ancestors from accounts.path; returns its index. */
  account(id: string, path: readonly string[]): number {
    const self = this.target(id);
    if (!this.chains[self]) this.chains[self] = [self, ...path.map((a) => this.target(a))];
    return self;
  }

  activity(id: string, moduleId: string): number {
    this.activities.push({ id, moduleId, copyPrefix: `${moduleId}\t${id}\t` });
    return this.activities.length - 1;
  }

  contact(id: string): number {
    this.contacts.push(id);
    return this.contacts.length - 1;
  }

  /** `occurredAt`: ISO 8601 with a zone, as the request schema checked it. `contact`: NONE when unknown. */
  add(account: number, activity: number, contact: number, occurredAt: string, count: number): void {
    // A UTC instant with at most microseconds is what Postgres stores as written, and its UTC day
    // is its first 10 characters; anything else (an offset, nanoseconds) is normalised by Date, as
    // Postgres would otherwise round 23:59:59.9999999Z into the next day.
    const at = occurredAt.length <= 27 && occurredAt.charCodeAt(occurredAt.length - 1) === 90 ? occurredAt : new Date(occurredAt).toISOString();
    const dayText = at.slice(0, 10);
    let day = this.dayIndex.get(dayText);
    if (day === undefined) {
      day = this.days.length;
      this.days.push(dayText);
      this.dayIndex.set(dayText, day);
      let bits = 0;
      if (this.asOf && dayText <= this.asOf) {
        for (let k = 0; k < this.windowStarts.length; k++) if (dayText > this.windowStarts[k]) bits |= 1 << k;
      }
      this.dayWindows.push(bits);
    }
    this.evAccount.push(account);
    this.evActivity.push(activity);
    this.evContact.push(contact);
    this.evAt.push(at);
    this.evCount.push(count);
    // Contacts are numbered from NONE (-1): contact + 1 >= 0. Activities are all known already.
    const row = this.dailyIndex.claim(account * (this.contacts.length + 1) + contact + 1, day * this.activities.length + activity, this.dEvents.length);
    if (row >= 0) this.dEvents[row] += count;
    else {
      this.dAccount.push(account);
      this.dDay.push(day);
      this.dActivity.push(activity);
      this.dContact.push(contact);
      this.dEvents.push(count);
    }
  }

  /**
   * The events grouped by account (a counting sort, stable: each account's events keep their
   * order). Written in this order, each account's entries in usage_events' (account, time) index go
   * in together: a COPY of 100k events in arrival order took ~1.4 s here, grouped ~1.0 s.
   */
  private eventOrder(): Uint32Array {
    const n = this.evAccount.length;
    const next = new Uint32Array(this.targets.length + 1);
    for (let i = 0; i < n; i++) next[this.evAccount[i] + 1]++;
    for (let t = 0; t < this.targets.length; t++) next[t + 1] += next[t];
    const order = new Uint32Array(n);
    for (let i = 0; i < n; i++) order[next[this.evAccount[i]]++] = i;
    return order;
  }

  /** The raw events in COPY text format (tab-separated, \N for null), grouped by account. */
  copyText(): string {
    const order = this.eventOrder();
    const lines: string[] = new Array(order.length);
    for (let k = 0; k < lines.length; k++) {
      const i = order[k];
      const c = this.evContact[i];
      lines[k] = `${this.targets[this.evAccount[i]]}\t${c === NONE ? "\\N" : this.contacts[c]}\t${this.activities[this.evActivity[i]].copyPrefix}${this.evAt[i]}\t${this.evCount[i]}\n`;
    }
    return lines.join("");
  }

  /** The raw events as Postgres array literals, one per column (PGlite's path), grouped by account. */
  eventColumns() {
    const order = Array.from(this.eventOrder());
    return {
      accountIds: list(order.map((i) => this.targets[this.evAccount[i]])),
      contactIds: list(order.map((i) => (this.evContact[i] === NONE ? null : this.contacts[this.evContact[i]]))),
      moduleIds: list(order.map((i) => this.activities[this.evActivity[i]].moduleId)),
      activityIds: list(order.map((i) => this.activities[this.evActivity[i]].id)),
      occurredAt: list(order.map((i) => this.evAt[i])),
      counts: list(order.map((i) => this.evCount[i])),
    };
  }

  /** The rows to add to usage_daily, usage_rollup_daily and usage_user_windows. */
  summarize(): { aggregates: UsageAggregates; dailyRows: number } {
    const daily = this.dEvents.length;
    const activities = this.activities.length;
    const periods = USER_WINDOW_DAYS.length;
    // 1. The accounts' own sums per (account, day, activity) and per (account, window, contact),
    //    so step 2 fans out a few rows per account instead of every daily row.
    const own = new RowIndex();
    const oAccount: number[] = [];
    const oDay: number[] = [];
    const oActivity: number[] = [];
    const oEvents: number[] = [];
    const ownWindows = new RowIndex();
    const owAccount: number[] = [];
    const owPeriod: number[] = [];
    const owContact: number[] = [];
    const owEvents: number[] = [];
    const owLast: number[] = [];
    for (let r = 0; r < daily; r++) {
      const account = this.dAccount[r];
      const day = this.dDay[r];
      const events = this.dEvents[r];
      const i = own.claim(account, day * activities + this.dActivity[r], oEvents.length);
      if (i >= 0) oEvents[i] += events;
      else {
        oAccount.push(account);
        oDay.push(day);
        oActivity.push(this.dActivity[r]);
        oEvents.push(events);
      }
      const contact = this.dContact[r];
      const bits = this.dayWindows[day];
      if (contact === NONE || !bits) continue;
      for (let k = 0; k < periods; k++) {
        if (!(bits & (1 << k))) continue;
        const w = ownWindows.claim(account * periods + k, contact, owEvents.length);
        if (w >= 0) {
          owEvents[w] += events;
          if (this.days[day] > this.days[owLast[w]]) owLast[w] = day;
        } else {
          owAccount.push(account);
          owPeriod.push(k);
          owContact.push(contact);
          owEvents.push(events);
          owLast.push(day);
        }
      }
    }
    // 2. Each own row added to the account itself and to each of its ancestors.
    const rolledIndex = new RowIndex();
    const rTarget: number[] = [];
    const rDay: number[] = [];
    const rActivity: number[] = [];
    const rEvents: number[] = [];
    for (let o = 0; o < oEvents.length; o++) {
      const day = oDay[o];
      const activity = oActivity[o];
      const events = oEvents[o];
      for (const t of this.chains[oAccount[o]]) {
        const i = rolledIndex.claim(t, day * activities + activity, rEvents.length);
        if (i >= 0) rEvents[i] += events;
        else {
          rTarget.push(t);
          rDay.push(day);
          rActivity.push(activity);
          rEvents.push(events);
        }
      }
    }
    const windowIndex = new RowIndex();
    const wTarget: number[] = [];
    const wPeriod: number[] = [];
    const wContact: number[] = [];
    const wEvents: number[] = [];
    const wLast: number[] = [];
    for (let o = 0; o < owEvents.length; o++) {
      const k = owPeriod[o];
      const contact = owContact[o];
      const events = owEvents[o];
      const last = owLast[o];
      for (const t of this.chains[owAccount[o]]) {
        const i = windowIndex.claim(t * periods + k, contact, wEvents.length);
        if (i >= 0) {
          wEvents[i] += events;
          if (this.days[last] > this.days[wLast[i]]) wLast[i] = last;
        } else {
          wTarget.push(t);
          wPeriod.push(USER_WINDOW_DAYS[k]);
          wContact.push(contact);
          wEvents.push(events);
          wLast.push(last);
        }
      }
    }
    const uuid = (t: number) => this.targets[t];
    const dayOf = (d: number) => this.days[d];
    return {
      dailyRows: daily,
      aggregates: {
        daily: {
          accountIds: list(this.dAccount.map(uuid)),
          days: list(this.dDay.map(dayOf)),
          activityIds: list(this.dActivity.map((x) => this.activities[x].id)),
          moduleIds: list(this.dActivity.map((x) => this.activities[x].moduleId)),
          contactIds: list(this.dContact.map((c) => (c === NONE ? NO_CONTACT : this.contacts[c]))),
          events: list(this.dEvents),
        },
        rolled: {
          accountIds: list(rTarget.map(uuid)),
          days: list(rDay.map(dayOf)),
          activityIds: list(rActivity.map((x) => this.activities[x].id)),
          moduleIds: list(rActivity.map((x) => this.activities[x].moduleId)),
          events: list(rEvents),
        },
        windows: {
          accountIds: list(wTarget.map(uuid)),
          periods: list(wPeriod),
          contactIds: list(wContact.map((c) => this.contacts[c])),
          events: list(wEvents),
          lastDays: list(wLast.map(dayOf)),
        },
      },
    };
  }
}
