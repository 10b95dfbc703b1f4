import "server-only";
import { sql } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { notifications } from "@/db/schema";
import { queueInstantMail } from "@/lib/mail/outbox";
import { usersSeeingAccount } from "./audience";

export type NotificationKind =
  | "mention"
  | "request"
  | "request_answered"
  | "assigned"
  | "task_assigned"
  | "health.band_changed"
  | "stage.changed"
  | "touchpoint.logged"
  | "task.completed"
  | "asset.added"
  | "ticket.urgent"
  | "usage.dropped"
  | "account.updated"
  | "account.moved"
  | "account.archived";

export type NewNotification = {
  userId: string;
  kind: NotificationKind;
  accountId: string;
  actorId: string | null;
  eventId?: number | null;
  title: string;
  body?: string;
  href: string;
};

/**
 * Writes inbox lines (in the caller's transaction) and queues their mail for people who want it
 * at once. Callers have already checked each recipient may see the account (fan-out: one check
 * per event; `notifyIfSeeing` for one-off notices); nobody is told about their own action.
 */
export async function writeNotifications(db: Executor, rows: readonly NewNotification[]): Promise<number[]> {
  const wanted = rows.filter((r) => r.userId !== r.actorId);
  if (!wanted.length) return [];
  const inserted = await db
    .insert(notifications)
    .values(wanted.map((r) => ({ userId: r.userId, kind: r.kind, accountId: r.accountId, actorId: r.actorId, eventId: r.eventId ?? null, title: r.title, body: r.body ?? "", href: r.href })))
    .returning({ id: notifications.id, userId: notifications.userId });
  await queueInstantMail(db, inserted);
  return inserted.map((r) => r.id);
}

/** A notice to particular people (a mention, a request, an assignment), for those who can see the account. */
export async function notifyIfSeeing(db: Executor, notice: Omit<NewNotification, "userId">, userIds: readonly string[]): Promise<number[]> {
  const recipients = [...new Set(userIds)].filter((id) => id !== notice.actorId);
  if (!recipients.length) return [];
  const seeing = await usersSeeingAccount(db, notice.accountId, recipients);
  return writeNotifications(
    db,
    recipients.filter((id) => seeing.has(id)).map((userId) => ({ ...notice, userId })),
  );
}

/** The account's name, for the words of a notice ("" when it is gone). */
export async function accountNameOf(db: Executor, accountId: string): Promise<string> {
  const { rows } = await db.execute<{ name: string }>(sql`select name from accounts where id = ${accountId}::uuid`);
  return rows[0]?.name ?? "";
}

/** The actor's name ("Someone" for an integration or a removed user). */
export async function actorNameOf(db: Executor, userId: string | null): Promise<string> {
  if (!userId) return "An integration";
  const { rows } = await db.execute<{ name: string }>(sql`select name from users where id = ${userId}::uuid`);
  return rows[0]?.name ?? "Someone";
}

export function accountHref(accountId: string, suffix = ""): string {
  return `/accounts/${accountId}${suffix}`;
}
