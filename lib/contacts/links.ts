import "server-only";
import { and, eq, sql } from "drizzle-orm";
import { z } from "zod";
import { accountContacts } from "@/db/schema";
import { ActionError } from "@/lib/actions/define";
import { actionDefinition } from "@/lib/actions/definition";
import { checkboxField, idField, optionalIdField, textField } from "@/lib/actions/fields";
import { accountForWrite, authorizeOnAccount, NOT_FOUND_MESSAGE } from "@/lib/activity/permissions";
import { may, refusal } from "@/lib/auth/permissions";
import { findAccount } from "@/lib/dal/accounts";
import { findContact, searchContacts as searchVisibleContacts } from "@/lib/dal/contacts";
import { roleField } from "./edit";
import { CONTACT_NOT_FOUND, contactForWrite, recordContactChange } from "./record";

/*
 * A contact's links to accounts, from the account profile's Contacts widget: link an existing
 * contact with a role, unlink, mark or unmark a key contact. The account must be visible, and the
 * contact linked to at least one account the viewer can see (checked in that order, so an account
 * out of scope answers like a missing one).
 */

const linkInput = { accountId: idField("Unknown account."), contactId: idField("Choose a contact.") };

async function currentLink(ctx: Parameters<typeof accountForWrite>[0], accountId: string, contactId: string) {
  const [link] = await ctx.db
    .select({ role: accountContacts.role, isKey: accountContacts.isKey })
    .from(accountContacts)
    .where(and(eq(accountContacts.accountId, accountId), eq(accountContacts.contactId, contactId)))
    .for("update");
  return link ?? null;
}

/** Link a contact the viewer can see to this account with a role. */
export const linkContact = actionDefinition({
  name: "linkContact",
  schema: z.object({ ...linkInput, role: roleField, isKey: checkboxField }),
  authorize: (ctx, input) => authorizeOnAccount(ctx, input.accountId, "contacts.edit"),
  async run(ctx, input) {
    const account = await accountForWrite(ctx, input.accountId);
    const contact = await contactForWrite(ctx, input.contactId);
    const inserted = await ctx.db
      .insert(accountContacts)
      .values({ accountId: account.id, contactId: contact.id, role: input.role, isKey: input.isKey })
      .onConflictDoNothing()
      .returning({ contactId: accountContacts.contactId });
    if (!inserted.length) throw new ActionError(`${contact.name} is already linked to this account.`, { contactId: ["Already linked here."] });
    await recordContactChange(ctx, [account.id], {
      action: "contact.link",
      contactId: contact.id,
      title: `${contact.name} linked as ${input.role}${input.isKey ? " (key contact)" : ""}`,
      snapshot: { change: "linked", contactId: contact.id, name: contact.name, role: input.role, isKey: input.isKey, accountName: account.name },
      after: { accountId: account.id, role: input.role, isKey: input.isKey },
    });
    return { accountId: account.id, contactId: contact.id, name: contact.name };
  },
  revalidate: (input) => [`/accounts/${input.accountId}`, `/contacts/${input.contactId}`],
  message: (data) => `${data.name} linked.`,
});

/** Remove the contact from this account (a contact keeps at least one account). */
export const unlinkContact = actionDefinition({
  name: "unlinkContact",
  schema: z.object(linkInput),
  authorize: (ctx, input) => authorizeOnAccount(ctx, input.accountId, "contacts.edit"),
  async run(ctx, input) {
    const account = await accountForWrite(ctx, input.accountId);
    const contact = await contactForWrite(ctx, input.contactId);
    const link = await currentLink(ctx, account.id, contact.id);
    if (!link) throw new ActionError(`${contact.name} is no longer linked here: the page was out of date. Reload it.`);
    const [{ links }] = await ctx.db.select({ links: sql<number>`count(*)::int` }).from(accountContacts).where(eq(accountContacts.contactId, contact.id));
    if (Number(links) <= 1) throw new ActionError(`This is ${contact.name}'s only account: link them to another account first, or merge them into a duplicate.`);
    await ctx.db.delete(accountContacts).where(and(eq(accountContacts.accountId, account.id), eq(accountContacts.contactId, contact.id)));
    await recordContactChange(ctx, [account.id], {
      action: "contact.unlink",
      contactId: contact.id,
      title: `${contact.name} unlinked (was ${link.role})`,
      snapshot: { change: "unlinked", contactId: contact.id, name: contact.name, role: link.role, isKey: link.isKey, accountName: account.name },
      before: { accountId: account.id, ...link },
    });
    return { accountId: account.id, contactId: contact.id, name: contact.name };
  },
  revalidate: (input) => [`/accounts/${input.accountId}`, `/contacts/${input.contactId}`],
  message: (data) => `${data.name} unlinked.`,
});

/** Mark or unmark the contact as a key contact of this account. */
export const setKeyContact = actionDefinition({
  name: "setKeyContact",
  schema: z.object({ ...linkInput, isKey: checkboxField }),
  authorize: (ctx, input) => authorizeOnAccount(ctx, input.accountId, "contacts.edit"),
  async run(ctx, input) {
    const account = await accountForWrite(ctx, input.accountId);
    const contact = await contactForWrite(ctx, input.contactId);
    const link = await currentLink(ctx, account.id, contact.id);
    if (!link) throw new ActionError(`${contact.name} is no longer linked here: the page was out of date. Reload it.`);
    if (link.isKey === input.isKey) return { accountId: account.id, name: contact.name, isKey: input.isKey };
    await ctx.db
      .update(accountContacts)
      .set({ isKey: input.isKey })
      .where(and(eq(accountContacts.accountId, account.id), eq(accountContacts.contactId, contact.id)));
    await recordContactChange(ctx, [account.id], {
      action: input.isKey ? "contact.key" : "contact.unkey",
      contactId: contact.id,
      title: input.isKey ? `${contact.name} marked as key contact` : `${contact.name} no longer a key contact`,
      snapshot: { change: input.isKey ? "key" : "unkey", contactId: contact.id, name: contact.name, role: link.role, from: link.isKey, to: input.isKey },
      before: { isKey: link.isKey },
      after: { isKey: input.isKey },
    });
    return { accountId: account.id, name: contact.name, isKey: input.isKey };
  },
  revalidate: (input) => [`/accounts/${input.accountId}`, `/contacts/${input.contactId}`],
  message: (data) => (data.isKey ? `${data.name} is a key contact.` : `${data.name} is no longer a key contact.`),
});

/**
 * Contacts the viewer can see whose name or email contains the words (the link and merge forms'
 * search). A read, as an action so the forms can ask while one types; it writes nothing.
 */
export const searchContacts = actionDefinition({
  name: "searchContacts",
  schema: z.object({
    q: textField("a name or email", 200),
    excludeAccountId: optionalIdField("Unknown account."),
    excludeContactId: optionalIdField("Unknown contact."),
  }),
  // The account and contact left out must be ones the viewer can see (the forms name their own page's).
  async authorize(ctx, input) {
    if (!may(ctx.viewer, "contacts.edit")) return refusal(ctx.viewer, "contacts.edit");
    if (input.excludeAccountId && !(await findAccount(ctx, input.excludeAccountId))) return NOT_FOUND_MESSAGE;
    if (input.excludeContactId && !(await findContact(ctx, input.excludeContactId))) return CONTACT_NOT_FOUND;
    return true;
  },
  run: (ctx, input) => searchVisibleContacts(ctx, input.q, { excludeAccountId: input.excludeAccountId, excludeContactId: input.excludeContactId }),
});
