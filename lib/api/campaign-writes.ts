import "server-only";
import { sql } from "drizzle-orm";
import { z } from "zod";
import { recordTimeline } from "@/lib/activity/timeline";
import { recordAudit } from "@/lib/admin/audit";
import { findAccount } from "@/lib/dal/accounts";
import { visibleAccount, type Ctx } from "@/lib/dal/viewer";
import { IngestError } from "@/lib/ingest/errors";
import { rows } from "@/lib/ingest/resolve";
import type { Mutation } from "./mutations";
import { fieldChanges, NOT_FOUND, ROW_DELETED, ROW_WRITTEN } from "./record-writes";

/*
 * PATCH and DELETE of a campaign and of one of its sends (issue 17, api3 helper).
 *
 * A campaign belongs to no one account (POST /api/v1/campaigns makes one for any token with the
 * scope; each send must be on an account the token may write to). So a token reaches a campaign
 * when it may see one of its sends, or when it has none; it may change or delete it only when it
 * may see every send (a subtree token cannot rename another region's campaign: 403). Deleting a
 * campaign that still has sends is refused (409, with their count): its sends are each account's
 * history, removed one by one (DELETE /api/v1/campaign-sends/{id}, each on the timeline) first.
 * A send belongs to its account: outside the token's subtree it is a 404 like a missing one.
 */

const instant = z.iso.datetime({ offset: true, error: "Use an ISO 8601 time with a zone, e.g. 2026-11-03T09:00:00Z." });
const atLeastOne = { message: "Send at least one field to change." };
const someField = (body: Record<string, unknown>) => Object.values(body).some((v) => v !== undefined);

export const campaignPatch = z
  .object({
    name: z.string().trim().min(1, "Give the campaign name.").max(200, "Use at most 200 characters.").optional(),
    channel: z.string().trim().min(1, "Give the channel.").max(40, "Use at most 40 characters.").optional(),
    sentAt: instant.optional(),
  })
  .strict()
  .refine(someField, atLeastOne);

export const campaignSendPatch = z
  .object({ sentAt: instant.optional(), openedAt: instant.nullish(), clickedAt: instant.nullish() })
  .strict()
  .refine(someField, atLeastOne);

type CampaignRow = { id: string; name: string; channel: string; sent_at: string };

/** The campaign, locked, if the token reaches it; 404 otherwise, 403 to write one it sees only in part. */
async function campaignForWrite(ctx: Ctx, id: string): Promise<{ row: CampaignRow; sends: number }> {
  const [row] = await rows<CampaignRow>(ctx.db, sql`select id, name, channel, sent_at::text from campaigns where id = ${id}::uuid for update`);
  if (!row) throw new IngestError(404, NOT_FOUND);
  const [count] = await rows<{ sends: number; mine: number }>(
    ctx.db,
    sql`select count(*)::int as sends, (count(*) filter (where ${visibleAccount(ctx.viewer, sql`a.id`, sql`a.type_id`)}))::int as mine
        from campaign_sends s join accounts a on a.id = s.account_id where s.campaign_id = ${id}::uuid`,
  );
  if (count.sends > 0 && count.mine === 0) throw new IngestError(404, NOT_FOUND);
  if (count.mine < count.sends) {
    throw new IngestError(403, "This campaign also went to accounts outside this token's reach: only a token that sees all of them may change or delete it.");
  }
  return { row, sends: count.sends };
}

type SendRow = { campaign_id: string; contact_id: string; account_id: string; sent_at: string; opened_at: string | null; clicked_at: string | null };

/** The send by its key "campaign:contact:account", locked, if its account is one the token may see. */
async function sendForWrite(ctx: Ctx, key: string): Promise<{ row: SendRow; campaign: string; channel: string; contact: string }> {
  const [campaignId, contactId, accountId] = key.split(":");
  const [found] = await rows<{ row: SendRow | string; campaign: string; channel: string; contact: string }>(
    ctx.db,
    sql`select to_jsonb(s) as row, c.name as campaign, c.channel, p.name as contact from campaign_sends s
        join campaigns c on c.id = s.campaign_id join contacts p on p.id = s.contact_id
        where s.campaign_id = ${campaignId}::uuid and s.contact_id = ${contactId}::uuid and s.account_id = ${accountId}::uuid for update of s`,
  );
  if (!found || !(await findAccount(ctx, accountId))) throw new IngestError(404, NOT_FOUND);
  return { ...found, row: typeof found.row === "string" ? JSON.parse(found.row) : found.row };
}

/** The send on its account's timeline, shaped like the campaign entries the widget shows. */
async function noteSend(ctx: Ctx, send: Awaited<ReturnType<typeof sendForWrite>>, after: SendRow | null): Promise<void> {
  const row = after ?? send.row;
  const changes = after ? fieldChanges(send.row, after) : null;
  await recordTimeline(ctx.db, [
    {
      accountId: row.account_id,
      kind: "campaign",
      refId: row.campaign_id,
      actorId: ctx.viewer.userId,
      title: changes ? `${send.campaign}: send to ${send.contact} changed (${changes.fields.join(", ")})` : `${send.campaign}: send to ${send.contact} deleted`,
      snapshot: {
        change: changes ? "edited" : "deleted",
        campaign: send.campaign,
        channel: send.channel,
        recipients: [send.contact],
        opened: row.opened_at ? 1 : 0,
        ...(changes ?? {}),
        via: ctx.viewer.name,
      },
      occurredAt: new Date(),
    },
  ]);
}

function mutation<S extends z.ZodType>(m: Mutation<S>): Mutation<S> {
  return m;
}

const SEND_KEY = "campaign, contact and account ids joined by “:” (the send's id as GET /api/v1/campaign-sends reads it)";

export const CAMPAIGN_MUTATIONS = {
  patchCampaign: mutation({
    path: "/api/v1/campaigns/{id}",
    method: "PATCH",
    scope: "campaigns:write",
    summary: "Change a campaign",
    description:
      "Renames a campaign, or changes its channel or time. A token limited to a subtree may change only campaigns whose sends are all in its subtree (403 otherwise). In the audit log with the campaign before and after.",
    body: campaignPatch,
    response: ROW_WRITTEN,
    async run(ctx, id, body) {
      const { row } = await campaignForWrite(ctx, id);
      const [after] = await rows<CampaignRow>(
        ctx.db,
        sql`update campaigns set name = coalesce(${body.name ?? null}, name), channel = coalesce(${body.channel ?? null}, channel),
            sent_at = coalesce(${body.sentAt ?? null}::timestamptz, sent_at) where id = ${id}::uuid returning id, name, channel, sent_at::text`,
      );
      await recordAudit(ctx.db, ctx.viewer, { action: "campaign.update", targetType: "campaign", targetId: id, before: row, after, details: { via: "api" } });
      return { id };
    },
  }),
  deleteCampaign: mutation({
    path: "/api/v1/campaigns/{id}",
    method: "DELETE",
    scope: "campaigns:write",
    summary: "Delete a campaign without sends",
    description:
      "Deletes a campaign that has no sends (made by mistake, or whose sends were each deleted). A campaign with sends is refused with 409 and `references.campaign_sends`: its sends are the accounts' history; delete them first with DELETE /api/v1/campaign-sends/{id} (each on its account's timeline). The audit log keeps the campaign as it was.",
    conflict: "The campaign still has sends (their count in references.campaign_sends): delete them first; or a conflicting concurrent write (retry).",
    response: ROW_DELETED,
    async run(ctx, id) {
      const { row, sends } = await campaignForWrite(ctx, id);
      if (sends > 0) {
        throw new IngestError(
          409,
          `This campaign has ${sends} send${sends === 1 ? "" : "s"} (each account's history), so it was not deleted. Delete its sends first with DELETE /api/v1/campaign-sends/{id}, or keep the campaign.`,
          [],
          { references: { campaign_sends: sends } },
        );
      }
      await ctx.db.execute(sql`delete from campaigns where id = ${id}::uuid`);
      await recordAudit(ctx.db, ctx.viewer, { action: "campaign.delete", targetType: "campaign", targetId: id, before: row, details: { via: "api" } });
      return { id, deleted: true };
    },
  }),
  patchCampaignSend: mutation({
    path: "/api/v1/campaign-sends/{id}",
    method: "PATCH",
    scope: "campaigns:write",
    summary: "Change a campaign send (e.g. record an open or a click)",
    description: `The id is the ${SEND_KEY}. Changes the times sent (null clears openedAt or clickedAt). On the account's timeline and in the audit log with the send before and after.`,
    body: campaignSendPatch,
    idParts: 3,
    response: ROW_WRITTEN,
    async run(ctx, id, body) {
      const send = await sendForWrite(ctx, id);
      const [campaignId, contactId, accountId] = id.split(":");
      const keep = (field: keyof typeof body) => (body[field] === undefined ? sql`true` : sql`false`);
      const [after] = await rows<{ row: SendRow | string }>(
        ctx.db,
        sql`update campaign_sends s set
              sent_at = case when ${keep("sentAt")} then sent_at else ${body.sentAt ?? null}::timestamptz end,
              opened_at = case when ${keep("openedAt")} then opened_at else ${body.openedAt ?? null}::timestamptz end,
              clicked_at = case when ${keep("clickedAt")} then clicked_at else ${body.clickedAt ?? null}::timestamptz end
            where campaign_id = ${campaignId}::uuid and contact_id = ${contactId}::uuid and account_id = ${accountId}::uuid
            returning to_jsonb(s) as row`,
      );
      const row = (typeof after.row === "string" ? JSON.parse(after.row) : after.row) as SendRow;
      await recordAudit(ctx.db, ctx.viewer, { action: "campaign_send.update", targetType: "campaign_send", targetId: id, before: send.row, after: row, details: { via: "api" } });
      if (JSON.stringify(row) !== JSON.stringify(send.row)) await noteSend(ctx, send, row);
      return { id };
    },
  }),
  deleteCampaignSend: mutation({
    path: "/api/v1/campaign-sends/{id}",
    method: "DELETE",
    scope: "campaigns:write",
    summary: "Delete a campaign send",
    description: `The id is the ${SEND_KEY}. Deletes the send (sent by mistake); a timeline entry on its account notes the deletion and the audit log keeps it as it was.`,
    idParts: 3,
    response: ROW_DELETED,
    async run(ctx, id) {
      const send = await sendForWrite(ctx, id);
      const [campaignId, contactId, accountId] = id.split(":");
      await ctx.db.execute(sql`delete from campaign_sends where campaign_id = ${campaignId}::uuid and contact_id = ${contactId}::uuid and account_id = ${accountId}::uuid`);
      await recordAudit(ctx.db, ctx.viewer, { action: "campaign_send.delete", targetType: "campaign_send", targetId: id, before: send.row, details: { via: "api" } });
      await noteSend(ctx, send, null);
      return { id, deleted: true };
    },
  }),
};
