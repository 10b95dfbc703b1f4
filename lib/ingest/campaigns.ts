import "server-only";
import { randomUUID } from "node:crypto";
import { sql } from "drizzle-orm";
import type { Ctx } from "@/lib/dal/viewer";
import { accountsByExternalId, contactsByExternalId, IssueList, pgArray, unknownAccount, unknownContact } from "./resolve";
import type { CampaignItem } from "./schemas";

/*
 * Campaigns from a marketing tool, with who got them at which account and who opened or clicked
 * (the profile's Campaigns widget). Every send must be on an account the token may write to.
 * A contact sent the same campaign twice at one account is one send (its first times are kept).
 */
export async function addCampaigns(ctx: Ctx, items: readonly CampaignItem[], base: (string | number)[] = ["campaigns"]): Promise<{ created: number; sends: number; ids: string[] }> {
  const issues = new IssueList();
  const sends = items.flatMap((c) => c.sends);
  const accounts = await accountsByExternalId(ctx, sends.map((s) => s.accountExternalId));
  const contacts = await contactsByExternalId(ctx.db, sends.map((s) => s.contactExternalId));
  items.forEach((campaign, i) =>
    campaign.sends.forEach((send, j) => {
      if (!accounts.has(send.accountExternalId)) issues.add([...base, i, "sends", j, "accountExternalId"], unknownAccount(send.accountExternalId));
      if (!contacts.has(send.contactExternalId)) issues.add([...base, i, "sends", j, "contactExternalId"], unknownContact(send.contactExternalId));
    }),
  );
  issues.throwIfAny();
  const ids = items.map(() => randomUUID());
  await ctx.db.execute(sql`
    insert into campaigns (id, name, channel, sent_at)
    select * from unnest(${pgArray(ids)}::uuid[], ${pgArray(items.map((c) => c.name))}::text[], ${pgArray(items.map((c) => c.channel ?? "email"))}::text[],
      ${pgArray(items.map((c) => new Date(c.sentAt).toISOString()))}::timestamptz[])`);
  const rowsOf = items.flatMap((c, i) =>
    c.sends.map((s) => ({
      campaignId: ids[i],
      contactId: contacts.get(s.contactExternalId)!,
      accountId: accounts.get(s.accountExternalId)!.id,
      sentAt: new Date(s.sentAt ?? c.sentAt).toISOString(),
      openedAt: s.openedAt ? new Date(s.openedAt).toISOString() : null,
      clickedAt: s.clickedAt ? new Date(s.clickedAt).toISOString() : null,
    })),
  );
  const result = await ctx.db.execute(sql`
    insert into campaign_sends (campaign_id, contact_id, account_id, sent_at, opened_at, clicked_at)
    select * from unnest(${pgArray(rowsOf.map((r) => r.campaignId))}::uuid[], ${pgArray(rowsOf.map((r) => r.contactId))}::uuid[],
      ${pgArray(rowsOf.map((r) => r.accountId))}::uuid[], ${pgArray(rowsOf.map((r) => r.sentAt))}::timestamptz[],
      ${pgArray(rowsOf.map((r) => r.openedAt))}::timestamptz[], ${pgArray(rowsOf.map((r) => r.clickedAt))}::timestamptz[])
    on conflict do nothing`);
  return { created: ids.length, sends: (result as unknown as { rowCount?: number | null }).rowCount ?? rowsOf.length, ids };
}
