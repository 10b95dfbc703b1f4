import "server-only";
import { sql } from "drizzle-orm";
import nodemailer, { type Transporter } from "nodemailer";
import type { Executor } from "@/db/client";
import { loadViewer, visibleAccount } from "@/lib/dal/viewer";
import { renderMail } from "./render";

export type DeliveryOptions = {
  smtpUrl: string;
  from: string;
  /** Base of links in mail (PUBLIC_URL); relative paths without it. */
  baseUrl: string | null;
  now?: Date;
  limit?: number;
};

export type DeliveryReport = { claimed: number; sent: number; withheld: number; failed: number };

const LEASE = "2 minutes";

/** 30 s, 1 min, 2 min, … up to an hour between attempts; a queued mail is never given up. */
export function retryDelayMs(attempts: number): number {
  return Math.min(30_000 * 2 ** Math.max(0, attempts - 1), 3_600_000);
}

const transports = new Map<string, Transporter>();
function transportFor(url: string): Transporter {
  let transport = transports.get(url);
  if (!transport) {
    transport = nodemailer.createTransport(url, { connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 30_000 } as never);
    transports.set(url, transport);
  }
  return transport;
}

type Claimed = { id: number | string; user_id: string; kind: "instant" | "digest"; notification_ids: (number | string)[] | string; attempts: number };

/**
 * One batch of the mail worker: claims due mail (a lease, taken with `for update skip locked`, so
 * no transaction stays open while talking SMTP and other instances skip these rows), re-checks
 * that the recipient may still see each account named, renders and sends. A failure keeps the row
 * with its next attempt later (backoff); it is never dropped. Mail about nothing the recipient may
 * still see is marked withheld instead of sent.
 */
export async function deliverQueuedMail(db: Executor, options: DeliveryOptions): Promise<DeliveryReport> {
  const now = options.now ?? new Date();
  const at = sql`${now.toISOString()}::timestamptz`;
  const { rows: claimed } = await db.execute<Claimed>(sql`
    update mail_outbox set lease_until = ${at} + interval '${sql.raw(LEASE)}', attempts = attempts + 1
    where id in (
      select id from mail_outbox
      where status = 'queued' and next_attempt_at <= ${at} and (lease_until is null or lease_until < ${at})
      order by next_attempt_at, id limit ${options.limit ?? 20}
      for update skip locked)
    returning id, user_id, kind, notification_ids, attempts`);
  const report: DeliveryReport = { claimed: claimed.length, sent: 0, withheld: 0, failed: 0 };
  for (const mail of claimed) {
    const outcome = await deliverOne(db, mail, options, now);
    report[outcome]++;
  }
  return report;
}

function idsOf(value: Claimed["notification_ids"]): number[] {
  if (Array.isArray(value)) return value.map(Number);
  return value.replace(/^\{|\}$/g, "").split(",").filter(Boolean).map(Number);
}

async function deliverOne(db: Executor, mail: Claimed, options: DeliveryOptions, now: Date): Promise<"sent" | "withheld" | "failed"> {
  const id = Number(mail.id);
  try {
    const viewer = await loadViewer(db, mail.user_id);
    const ids = idsOf(mail.notification_ids);
    // Sending time is the second check: an account the recipient no longer sees is left out.
    const notices = viewer && ids.length
      ? (
          await db.execute<{ title: string; body: string; href: string; created_at: string | Date }>(sql`
            select n.title, n.body, n.href, n.created_at from notifications n
            join accounts a on a.id = n.account_id
            where n.id in (${sql.join(ids.map((n) => sql`${n}`), sql`, `)}) and n.user_id = ${mail.user_id}::uuid
              and a.archived_at is null and ${visibleAccount(viewer, sql`a.id`, sql`a.type_id`)}
            order by n.created_at`)
        ).rows
      : [];
    if (!viewer || !notices.length) {
      await db.execute(sql`update mail_outbox set status = 'withheld', lease_until = null where id = ${id}`);
      return "withheld";
    }
    const rendered = renderMail(
      mail.kind,
      notices.map((n) => ({ title: n.title, body: n.body, href: n.href, createdAt: new Date(n.created_at) })),
      options.baseUrl,
    );
    const info = await transportFor(options.smtpUrl).sendMail({ from: options.from, to: viewer.email, ...rendered });
    await db.execute(sql`update mail_outbox set status = 'sent', sent_at = ${now.toISOString()}::timestamptz, message_id = ${info.messageId ?? null}, lease_until = null, last_error = null where id = ${id}`);
    return "sent";
  } catch (error) {
    const next = new Date(now.getTime() + retryDelayMs(mail.attempts));
    const message = (error as Error).message?.slice(0, 500) ?? String(error);
    console.error(`[mail] delivery of mail ${id} failed (attempt ${mail.attempts}); retrying at ${next.toISOString()}: ${message}`);
    await db.execute(sql`update mail_outbox set next_attempt_at = ${next.toISOString()}::timestamptz, lease_until = null, last_error = ${message} where id = ${id}`);
    return "failed";
  }
}
