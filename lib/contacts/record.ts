import "server-only";
import { and, eq, sql } from "drizzle-orm";
import { accountContacts, accounts, contacts } from "@/db/schema";
import { ActionError } from "@/lib/actions/define";
import { recordTimeline } from "@/lib/activity/timeline";
import { recordAudit } from "@/lib/admin/audit";
import { findContact, type ContactProfile } from "@/lib/dal/contacts";
import type { Ctx } from "@/lib/dal/viewer";

/*
 * What every contact writer shares: the refusal for a contact the viewer may not act on, the email
 * rule, and the record of a change (a timeline entry on each account it concerns, one audit row).
 */

export const CONTACT_NOT_FOUND = "This contact does not exist or you may not act on it.";

/** The contact, if linked to at least one account the viewer can see; else the one refusal. */
export async function contactForWrite(ctx: Ctx, contactId: string): Promise<ContactProfile> {
  const contact = await findContact(ctx, contactId);
  if (!contact) throw new ActionError(CONTACT_NOT_FOUND);
  return contact;
}

/** Refuses an email another contact already has (emails are unique, compared without case). */
export async function assertEmailFree(ctx: Ctx, email: string | undefined, exceptId?: string): Promise<void> {
  if (!email) return;
  const [taken] = await ctx.db
    .select({ id: contacts.id })
    .from(contacts)
    .where(and(sql`lower(${contacts.email}) = lower(${email})`, exceptId ? sql`${contacts.id} <> ${exceptId}` : undefined))
    .limit(1);
  if (taken) throw new ActionError("Check the highlighted fields.", { email: ["Another contact already has this email."] });
}

/** Every account the contact is linked to (visible or not: the change is part of each one's history). */
export async function linkedAccountIds(ctx: Ctx, contactId: string): Promise<string[]> {
  const rows = await ctx.db.select({ accountId: accountContacts.accountId }).from(accountContacts).where(eq(accountContacts.contactId, contactId));
  return rows.map((r) => r.accountId);
}

export async function accountName(ctx: Ctx, accountId: string): Promise<string> {
  const [row] = await ctx.db.select({ name: accounts.name }).from(accounts).where(eq(accounts.id, accountId));
  return row?.name ?? "";
}

export type ContactChange = {
  /** The audit log's action, e.g. "contact.create". */
  action: string;
  contactId: string;
  title: string;
  snapshot: Record<string, unknown>;
  before?: unknown;
  after?: unknown;
};

/** One timeline entry per account (same title and snapshot) and one audit row, in the caller's transaction. */
export async function recordContactChange(ctx: Ctx, accountIds: string[], change: ContactChange): Promise<void> {
  const now = new Date();
  for (const accountId of new Set(accountIds)) {
    await recordTimeline(ctx.db, [
      { accountId, kind: "contact", refId: change.contactId, actorId: ctx.viewer.userId, title: change.title, snapshot: change.snapshot, occurredAt: now },
    ]);
  }
  await recordAudit(ctx.db, ctx.viewer, {
    action: change.action,
    targetType: "contact",
    targetId: change.contactId,
    before: change.before,
    after: change.after,
    details: { ...change.snapshot, accountIds: [...new Set(accountIds)] },
  });
}
