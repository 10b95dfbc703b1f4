import "server-only";
import { sql } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { mailOutbox } from "@/db/schema";
import { mailEnabled } from "./config";

export type EmailMode = "instant" | "digest" | "off";
export const EMAIL_MODES: readonly EmailMode[] = ["instant", "digest", "off"];

/**
 * Queues one mail per new notification for recipients who want mail at once (no settings row
 * means instant). Only a row in Postgres, in the caller's transaction: sending is the mail
 * worker's job, so a slow or absent SMTP server never holds up or fails the write.
 */
export async function queueInstantMail(db: Executor, notices: readonly { id: number; userId: string }[]): Promise<void> {
  if (!notices.length || !mailEnabled()) return;
  const userIds = [...new Set(notices.map((n) => n.userId))];
  const { rows } = await db.execute<{ user_id: string }>(sql`
    select u.id as user_id from users u left join notification_settings s on s.user_id = u.id
    where u.id in (${sql.join(userIds.map((id) => sql`${id}::uuid`), sql`, `)})
      and u.disabled_at is null and coalesce(s.email_mode, 'instant') = 'instant'`);
  const instant = new Set(rows.map((r) => r.user_id));
  const queued = notices.filter((n) => instant.has(n.userId));
  if (queued.length) await db.insert(mailOutbox).values(queued.map((n) => ({ userId: n.userId, kind: "instant", notificationIds: [n.id] })));
}

/**
 * The daily digest: for each user on "digest" whose hour (UTC) has come and who had no digest yet
 * today, one queued mail with their unread notifications since the last digest (or the last day).
 * Rows are claimed with `for update skip locked`, so two instances never queue the same digest.
 * Returns how many digests were queued.
 */
export async function queueDigests(db: Executor, now: Date = new Date(), limit = 200): Promise<number> {
  if (!mailEnabled()) return 0;
  return db.transaction(async (tx) => {
    const at = sql`${now.toISOString()}::timestamptz`;
    const { rows: due } = await tx.execute<{ user_id: string; since: string | Date }>(sql`
      select s.user_id, coalesce(s.last_digest_at, ${at} - interval '1 day') as since
      from notification_settings s join users u on u.id = s.user_id
      where s.email_mode = 'digest' and u.disabled_at is null
        and extract(hour from ${at} at time zone 'UTC') >= s.digest_hour
        and (s.last_digest_at is null or s.last_digest_at < date_trunc('day', ${at} at time zone 'UTC') at time zone 'UTC' + make_interval(hours => s.digest_hour))
      order by s.user_id limit ${limit}
      for update of s skip locked`);
    let queued = 0;
    for (const user of due) {
      const since = new Date(user.since).toISOString();
      const { rows: notices } = await tx.execute<{ id: number | string }>(sql`
        select id from notifications where user_id = ${user.user_id}::uuid and read_at is null
          and created_at > ${since}::timestamptz and created_at <= ${at} order by created_at limit 200`);
      if (notices.length) {
        await tx.insert(mailOutbox).values({ userId: user.user_id, kind: "digest", notificationIds: notices.map((n) => Number(n.id)), nextAttemptAt: now, createdAt: now });
        queued++;
      }
      await tx.execute(sql`update notification_settings set last_digest_at = ${at} where user_id = ${user.user_id}::uuid`);
    }
    return queued;
  });
}
