import "server-only";
import { and, desc, eq, isNotNull, isNull, sql } from "drizzle-orm";
import { z } from "zod";
import { webhookEndpoints } from "@/db/schema";
import { ActionError, assertMay } from "@/lib/actions/define";
import { actionDefinition } from "@/lib/actions/definition";
import { idField } from "@/lib/actions/fields";
import { recordAudit } from "@/lib/admin/audit";
import { requires } from "@/lib/auth/permissions";
import type { Ctx } from "@/lib/dal/viewer";
import { checkWebhookUrl } from "./address";
import { newSigningSecret } from "./signature";
import { WEBHOOK_EVENT_TYPES } from "./event-types";

/** How long the previous secret still signs after a rotation. */
export const ROTATION_OVERLAP_HOURS = 24;

export type EndpointSummary = {
  id: string;
  url: string;
  description: string;
  eventTypes: string[];
  consecutiveFailures: number;
  disabledAt: Date | null;
  disabledReason: string | null;
  createdAt: Date;
  rotating: boolean;
};

export async function listWebhookEndpoints(ctx: Ctx): Promise<EndpointSummary[]> {
  assertMay(ctx, "webhooks.manage");
  const rows = await ctx.db
    .select({
      id: webhookEndpoints.id,
      url: webhookEndpoints.url,
      description: webhookEndpoints.description,
      eventTypes: webhookEndpoints.eventTypes,
      consecutiveFailures: webhookEndpoints.consecutiveFailures,
      disabledAt: webhookEndpoints.disabledAt,
      disabledReason: webhookEndpoints.disabledReason,
      createdAt: webhookEndpoints.createdAt,
      previousSecretExpiresAt: webhookEndpoints.previousSecretExpiresAt,
    })
    .from(webhookEndpoints)
    .orderBy(desc(webhookEndpoints.createdAt));
  const now = Date.now();
  return rows.map(({ previousSecretExpiresAt, ...r }) => ({ ...r, rotating: Boolean(previousSecretExpiresAt && previousSecretExpiresAt.getTime() > now) }));
}

/** Endpoints the sender turned off after repeated failures (the notice on every admin page). */
export async function failingEndpoints(ctx: Ctx): Promise<{ id: string; url: string; disabledAt: Date }[]> {
  const rows = await ctx.db
    .select({ id: webhookEndpoints.id, url: webhookEndpoints.url, disabledAt: webhookEndpoints.disabledAt })
    .from(webhookEndpoints)
    .where(and(isNotNull(webhookEndpoints.disabledAt), eq(webhookEndpoints.disabledReason, "failures")));
  return rows.map((r) => ({ ...r, disabledAt: r.disabledAt! }));
}

const eventTypesField = z.preprocess(
  (value) => (value === undefined || value === null || value === "" ? [] : Array.isArray(value) ? value : [value]),
  z.array(z.enum(WEBHOOK_EVENT_TYPES, { error: "Pick events from the list." })).min(1, "Tick at least one event to send."),
);

async function checkedUrl(raw: string): Promise<string> {
  const check = await checkWebhookUrl(raw);
  if (!check.ok) throw new ActionError("Check the highlighted fields.", { url: [check.message] });
  return check.url;
}

export const webhookActions = {
  create: actionDefinition({
    name: "createWebhookEndpoint",
    schema: z.object({
      url: z.string().trim().min(1, "Enter the address to send events to.").max(2000, "Use at most 2,000 characters."),
      description: z.string().trim().max(200, "Use at most 200 characters.").default(""),
      eventTypes: eventTypesField,
    }),
    authorize: requires("webhooks.manage"),
    async run(ctx, input) {
      const url = await checkedUrl(input.url);
      const secret = newSigningSecret();
      const [row] = await ctx.db
        .insert(webhookEndpoints)
        .values({ url, description: input.description, eventTypes: [...new Set(input.eventTypes)], secret, createdBy: ctx.viewer.userId })
        .returning({ id: webhookEndpoints.id, url: webhookEndpoints.url });
      await recordAudit(ctx.db, ctx.viewer, { action: "webhook.create", targetType: "webhook", targetId: row.id, after: { url, eventTypes: input.eventTypes } });
      return { id: row.id, url: row.url, secret };
    },
    revalidate: () => ["/admin/webhooks"],
    message: (data) => `Endpoint ${data.url} added. Copy its signing secret now: it is shown only once.`,
  }),
  update: actionDefinition({
    name: "updateWebhookEndpoint",
    schema: z.object({ endpointId: idField("Unknown endpoint."), eventTypes: eventTypesField }),
    authorize: requires("webhooks.manage"),
    async run(ctx, input) {
      const [before] = await ctx.db.select({ eventTypes: webhookEndpoints.eventTypes }).from(webhookEndpoints).where(eq(webhookEndpoints.id, input.endpointId));
      if (!before) throw new ActionError("That endpoint was not found.");
      await ctx.db.update(webhookEndpoints).set({ eventTypes: [...new Set(input.eventTypes)], updatedAt: new Date() }).where(eq(webhookEndpoints.id, input.endpointId));
      await recordAudit(ctx.db, ctx.viewer, { action: "webhook.update", targetType: "webhook", targetId: input.endpointId, before, after: { eventTypes: input.eventTypes } });
      return { id: input.endpointId };
    },
    revalidate: () => ["/admin/webhooks"],
    message: () => "Events saved.",
  }),
  rotate: actionDefinition({
    name: "rotateWebhookSecret",
    schema: z.object({ endpointId: idField("Unknown endpoint.") }),
    authorize: requires("webhooks.manage"),
    async run(ctx, input) {
      const secret = newSigningSecret();
      const [row] = await ctx.db
        .update(webhookEndpoints)
        .set({
          previousSecret: sql`${webhookEndpoints.secret}`,
          previousSecretExpiresAt: new Date(Date.now() + ROTATION_OVERLAP_HOURS * 3600_000),
          secret,
          updatedAt: new Date(),
        })
        .where(eq(webhookEndpoints.id, input.endpointId))
        .returning({ id: webhookEndpoints.id, url: webhookEndpoints.url });
      if (!row) throw new ActionError("That endpoint was not found.");
      await recordAudit(ctx.db, ctx.viewer, { action: "webhook.rotate_secret", targetType: "webhook", targetId: row.id, details: { url: row.url } });
      return { id: row.id, url: row.url, secret };
    },
    revalidate: () => ["/admin/webhooks"],
    message: () => `New signing secret made. Copy it now: it is shown only once. The old one also signs for ${ROTATION_OVERLAP_HOURS} hours.`,
  }),
  setEnabled: actionDefinition({
    name: "setWebhookEnabled",
    schema: z.object({ endpointId: idField("Unknown endpoint."), enabled: z.enum(["true", "false"], { error: "Choose on or off." }) }),
    authorize: requires("webhooks.manage"),
    async run(ctx, input) {
      const on = input.enabled === "true";
      const [row] = await ctx.db
        .update(webhookEndpoints)
        .set(on ? { disabledAt: null, disabledReason: null, consecutiveFailures: 0, updatedAt: new Date() } : { disabledAt: new Date(), disabledReason: "admin", updatedAt: new Date() })
        .where(on ? eq(webhookEndpoints.id, input.endpointId) : and(eq(webhookEndpoints.id, input.endpointId), isNull(webhookEndpoints.disabledAt)))
        .returning({ id: webhookEndpoints.id, url: webhookEndpoints.url });
      if (!row) throw new ActionError(on ? "That endpoint was not found." : "That endpoint was not found or is already off.");
      // Turned back on: waiting deliveries go out now rather than at their backed-off time.
      if (on) await ctx.db.execute(sql`update webhook_deliveries set next_attempt_at = now() where endpoint_id = ${row.id} and status = 'pending'`);
      await recordAudit(ctx.db, ctx.viewer, { action: on ? "webhook.enable" : "webhook.disable", targetType: "webhook", targetId: row.id, details: { url: row.url } });
      return { id: row.id, url: row.url, on };
    },
    revalidate: () => ["/admin", "/admin/webhooks"],
    message: (data) => (data.on ? `Deliveries to ${data.url} resumed.` : `Deliveries to ${data.url} paused; events are kept until you turn it back on.`),
  }),
  remove: actionDefinition({
    name: "deleteWebhookEndpoint",
    schema: z.object({ endpointId: idField("Unknown endpoint.") }),
    authorize: requires("webhooks.manage"),
    async run(ctx, input) {
      const [row] = await ctx.db.delete(webhookEndpoints).where(eq(webhookEndpoints.id, input.endpointId)).returning({ id: webhookEndpoints.id, url: webhookEndpoints.url });
      if (!row) throw new ActionError("That endpoint was not found.");
      await recordAudit(ctx.db, ctx.viewer, { action: "webhook.delete", targetType: "webhook", targetId: row.id, before: { url: row.url } });
      return row;
    },
    revalidate: () => ["/admin/webhooks"],
    message: (data) => `Endpoint ${data.url} deleted with its delivery log.`,
  }),
};
