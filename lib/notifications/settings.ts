import "server-only";
import { eq } from "drizzle-orm";
import { z } from "zod";
import { notificationSettings } from "@/db/schema";
import { actionDefinition } from "@/lib/actions/definition";
import { requires } from "@/lib/auth/permissions";
import type { Ctx } from "@/lib/dal/viewer";
import { EMAIL_MODES, type EmailMode } from "@/lib/mail/outbox";

export type NotificationPreferences = { emailMode: EmailMode; digestHour: number };
export const DEFAULT_PREFERENCES: NotificationPreferences = { emailMode: "instant", digestHour: 8 };

export async function preferencesOf(ctx: Ctx): Promise<NotificationPreferences> {
  const [row] = await ctx.db
    .select({ emailMode: notificationSettings.emailMode, digestHour: notificationSettings.digestHour })
    .from(notificationSettings)
    .where(eq(notificationSettings.userId, ctx.viewer.userId))
    .limit(1);
  return row ? { emailMode: row.emailMode as EmailMode, digestHour: row.digestHour } : DEFAULT_PREFERENCES;
}

export const preferencesInput = z.object({
  emailMode: z.enum(EMAIL_MODES as [EmailMode, ...EmailMode[]], { error: "Choose at once, a daily digest or no mail." }),
  digestHour: z.coerce
    .number({ error: "Pick the hour of the digest." })
    .int("Pick a whole hour.")
    .min(0, "Pick an hour from 0 to 23.")
    .max(23, "Pick an hour from 0 to 23.")
    .default(8),
});

/** Each user's own mail setting: every notification at once, one daily digest, or none. */
export const saveNotificationPreferences = actionDefinition({
  name: "saveNotificationPreferences",
  schema: preferencesInput,
  authorize: requires("notifications.use"),
  async run(ctx, input) {
    const now = new Date();
    await ctx.db
      .insert(notificationSettings)
      .values({ userId: ctx.viewer.userId, emailMode: input.emailMode, digestHour: input.digestHour, updatedAt: now, lastDigestAt: input.emailMode === "digest" ? now : null })
      .onConflictDoUpdate({ target: notificationSettings.userId, set: { emailMode: input.emailMode, digestHour: input.digestHour, updatedAt: now } });
    return input;
  },
  revalidate: () => ["/notifications/settings"],
  message: (data) =>
    data.emailMode === "instant" ? "Saved: mail for each notification, as it happens." : data.emailMode === "digest" ? `Saved: one digest a day at ${String(data.digestHour).padStart(2, "0")}:00 UTC.` : "Saved: no mail; your inbox still fills.",
});
