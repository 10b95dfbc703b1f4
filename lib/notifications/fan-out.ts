import "server-only";
import { sql } from "drizzle-orm";
import type { Executor } from "@/db/client";
import type { DomainEvent } from "@/lib/events/types";
import { privilegedReaders, usersSeeingAccount } from "./audience";
import { followersOf } from "./follows";
import { accountHref, accountNameOf, actorNameOf, writeNotifications, type NewNotification, type NotificationKind } from "./notify";

/** The changes a follower hears of. account.created is left out: a new child says little on its own. */
const FOLLOWED_KINDS = new Set<string>([
  "health.band_changed",
  "stage.changed",
  "ticket.urgent",
  "usage.dropped",
  "touchpoint.logged",
  "asset.added",
  "task.completed",
  "account.updated",
  "account.moved",
  "account.archived",
]);

const BAND = { poor: "Poor", average: "Average", good: "Good" } as const;

type Words = { title: string; body: string; href: string };

/**
 * The event consumer (lib/events/consumers.ts): followers of the account (or of an ancestor,
 * "everything below it") who can see the account now get an inbox line, written for them, in
 * the emitting transaction. The actor is not told of their own change.
 */
export async function notifyFollowers(db: Executor, events: readonly DomainEvent[]): Promise<void> {
  for (const event of events) {
    if (!event.accountId || !FOLLOWED_KINDS.has(event.type)) continue;
    const followers = (await followersOf(db, event.accountId)).filter((id) => id !== event.actorId);
    if (!followers.length) continue;
    const seeing = await usersSeeingAccount(db, event.accountId, followers);
    if (!seeing.size) continue;
    const accountName = await accountNameOf(db, event.accountId);
    const viewers = [...seeing.values()];
    // Values some followers may not read are worded per reader.
    const readers = event.type === "account.updated" ? await privilegedReaders(db, event.accountId, viewers) : new Set<string>();
    const shared = event.type === "account.updated" ? null : await wordsFor(db, event, accountName);
    const rows: NewNotification[] = [];
    for (const viewer of viewers) {
      const words = shared ?? (await attributeChangeWords(db, event, accountName, readers.has(viewer.userId)));
      if (!words) continue;
      rows.push({ userId: viewer.userId, kind: event.type as NotificationKind, accountId: event.accountId, actorId: event.actorId, eventId: event.id, ...words });
    }
    await writeNotifications(db, rows);
  }
}

async function wordsFor(db: Executor, event: DomainEvent, account: string): Promise<Words | null> {
  const href = accountHref(event.accountId!);
  switch (event.type) {
    case "health.band_changed": {
      const { from, to, score, dimensions } = event.data;
      const worse = from !== null && ["good", "average", "poor"].indexOf(to) > ["good", "average", "poor"].indexOf(from);
      return {
        title: `${account}: health ${from ? `${worse ? "fell" : "rose"} from ${BAND[from]} to ${BAND[to]}` : `is ${BAND[to]}`}`,
        body: `Score ${Math.round(score)}.${dimensions.length ? ` Driven by ${dimensions.join(", ")}.` : ""}`,
        href,
      };
    }
    case "stage.changed": {
      const { rows } = await db.execute<{ id: string; name: string }>(sql`
        select id, name from lifecycle_stages where id in (${sql.join([event.data.toStageId, event.data.fromStageId].filter((x): x is string => Boolean(x)).map((id) => sql`${id}::uuid`), sql`, `)})`);
      const name = (id: string | null) => rows.find((r) => r.id === id)?.name ?? "another stage";
      return {
        title: `${account}: stage changed to ${name(event.data.toStageId)}`,
        body: `${event.data.fromStageId ? `From ${name(event.data.fromStageId)}. ` : ""}${event.data.note ?? ""}`.trim(),
        href,
      };
    }
    case "ticket.urgent":
      return { title: `${account}: urgent support ticket`, body: event.data.subject, href: accountHref(event.accountId!, "?tab=support") };
    case "usage.dropped": {
      const { from, to, windowDays } = event.data;
      const pct = from > 0 ? Math.round(((from - to) / from) * 100) : 100;
      // `from` is the weekly average of the weeks before (lib/notifications/usage-drops.ts).
      return {
        title: `${account}: usage dropped ${pct}%`,
        body: `${to.toLocaleString("en-US")} events in the last ${windowDays} days, against ${from.toLocaleString("en-US")} a week on average before.`,
        href: accountHref(event.accountId!, "?tab=usage"),
      };
    }
    case "touchpoint.logged": {
      const actor = await actorNameOf(db, event.actorId);
      return { title: `${account}: ${actor} logged a ${event.data.type === "qbr" ? "QBR" : event.data.type}`, body: event.data.subject, href };
    }
    case "asset.added": {
      const actor = await actorNameOf(db, event.actorId);
      return { title: `${account}: ${actor} added a file`, body: event.data.name, href: accountHref(event.accountId!, "?tab=assets") };
    }
    case "task.completed":
      return { title: `${account}: task completed`, body: event.data.title, href };
    case "account.moved":
      return { title: `${account} was moved in the hierarchy`, body: "", href };
    case "account.archived":
      return { title: `${account} was archived`, body: "", href };
    default:
      return null;
  }
}

/**
 * "account.updated" names the attributes that changed (and may carry their new `values`). A
 * privileged attribute is named, and its value shown, only to readers allowed to read it there; a
 * follower left with nothing they may read gets no line at all.
 */
async function attributeChangeWords(db: Executor, event: DomainEvent, account: string, readsPrivileged: boolean): Promise<Words | null> {
  if (event.type !== "account.updated") return null;
  const changed = event.data.changed ?? [];
  if (!changed.length) return null;
  const values = (event.data as { values?: Record<string, unknown> }).values ?? {};
  const { rows } = await db.execute<{ key: string; label: string; privileged: boolean }>(sql`
    select distinct on (d.key) d.key, d.label, d.privileged from attribute_definitions d
    join accounts a on a.type_id = d.account_type_id and a.id = ${event.accountId}::uuid
    where d.key in (${sql.join(changed.map((k) => sql`${k}`), sql`, `)}) and d.deleted_at is null
    order by d.key, d.privileged desc`);
  const byKey = new Map(rows.map((r) => [r.key, r]));
  const readable = changed.flatMap((key) => {
    const definition = byKey.get(key);
    // An unknown key (a built-in field such as the name) is not privileged.
    if (definition?.privileged && !readsPrivileged) return [];
    const label = definition?.label ?? key;
    return [key in values ? `${label}: ${String(values[key] ?? "(cleared)")}` : label];
  });
  if (!readable.length) return null;
  return { title: `${account}: details changed`, body: readable.join("; "), href: accountHref(event.accountId!) };
}
