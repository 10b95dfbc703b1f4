import "server-only";
import { and, eq, isNull, sql } from "drizzle-orm";
import { z } from "zod";
import { notifications } from "@/db/schema";
import { actionDefinition } from "@/lib/actions/definition";
import { requires } from "@/lib/auth/permissions";
import { visibleAccount, type Ctx } from "@/lib/dal/viewer";

export type InboxItem = { id: number; kind: string; title: string; body: string; href: string; createdAt: Date; read: boolean; accountName: string | null };

/** Unread lines for the bell: one count on the partial index of unread rows. */
export async function unreadCount(ctx: Ctx): Promise<number> {
  const [row] = await ctx.db
    .select({ n: sql<number>`count(*)::int` })
    .from(notifications)
    .where(and(eq(notifications.userId, ctx.viewer.userId), isNull(notifications.readAt)));
  return Number(row?.n ?? 0);
}

/**
 * The viewer's inbox, newest first. Lines about an account the viewer no longer sees are left out
 * (the same rule as everywhere: visibleAccount), so a lost scope hides what was said about it.
 */
export async function inbox(ctx: Ctx, options: { unreadOnly?: boolean; limit?: number; offset?: number } = {}): Promise<{ items: InboxItem[]; more: boolean }> {
  const limit = options.limit ?? 50;
  const { rows } = await ctx.db.execute<{ id: number | string; kind: string; title: string; body: string; href: string; created_at: string | Date; read_at: string | Date | null; account_name: string | null }>(sql`
    select n.id, n.kind, n.title, n.body, n.href, n.created_at, n.read_at, a.name as account_name
    from notifications n join accounts a on a.id = n.account_id
    where n.user_id = ${ctx.viewer.userId}::uuid ${options.unreadOnly ? sql`and n.read_at is null` : sql``}
      and a.archived_at is null and ${visibleAccount(ctx.viewer, sql`a.id`, sql`a.type_id`)}
    order by n.created_at desc, n.id desc
    limit ${limit + 1} offset ${options.offset ?? 0}`);
  const items = rows.slice(0, limit).map((r) => ({
    id: Number(r.id),
    kind: r.kind,
    title: r.title,
    body: r.body,
    href: r.href,
    createdAt: new Date(r.created_at),
    read: r.read_at !== null,
    accountName: r.account_name,
  }));
  return { items, more: rows.length > limit };
}

export const markReadInput = z.object({ notificationId: z.coerce.number({ error: "Unknown notification." }).int("Unknown notification.").positive("Unknown notification.").max(Number.MAX_SAFE_INTEGER, "Unknown notification.") });

/** Mark one of one's own notifications read (someone else's id changes nothing and says so). */
export const markNotificationRead = actionDefinition({
  name: "markNotificationRead",
  schema: markReadInput,
  authorize: requires("notifications.use"),
  async run(ctx, input) {
    const updated = await ctx.db
      .update(notifications)
      .set({ readAt: new Date() })
      .where(and(eq(notifications.id, input.notificationId), eq(notifications.userId, ctx.viewer.userId), isNull(notifications.readAt)))
      .returning({ id: notifications.id });
    return { changed: updated.length };
  },
  revalidate: () => ["/notifications"],
  message: (data) => (data.changed ? "Marked read." : "Already read."),
});

/** Mark every unread notification of the viewer read. */
export const markAllNotificationsRead = actionDefinition({
  name: "markAllNotificationsRead",
  schema: z.object({}),
  authorize: requires("notifications.use"),
  async run(ctx) {
    const updated = await ctx.db
      .update(notifications)
      .set({ readAt: new Date() })
      .where(and(eq(notifications.userId, ctx.viewer.userId), isNull(notifications.readAt)))
      .returning({ id: notifications.id });
    return { changed: updated.length };
  },
  revalidate: () => ["/notifications"],
  message: (data) => (data.changed ? `Marked ${data.changed} notification${data.changed === 1 ? "" : "s"} read.` : "Nothing was unread."),
});
