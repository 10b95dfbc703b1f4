import "server-only";
import { eq } from "drizzle-orm";
import { z } from "zod";
import { accountContacts, contacts } from "@/db/schema";
import { actionDefinition } from "@/lib/actions/definition";
import { checkboxField, idField, optionalEmailField, optionalTextField, textField } from "@/lib/actions/fields";
import { accountForWrite, authorizeOnAccount } from "@/lib/activity/permissions";
import { may, refusal } from "@/lib/auth/permissions";
import { findContact } from "@/lib/dal/contacts";
import { assertEmailFree, CONTACT_NOT_FOUND, contactForWrite, linkedAccountIds, recordContactChange } from "./record";

/*
 * Creating a contact on an account (the profile's Contacts widget) and editing a contact's details
 * (the contact page). The API and CSV import write contacts through lib/ingest/contacts.ts.
 */

const details = {
  name: textField("the contact's name", 200),
  email: optionalEmailField,
  title: optionalTextField(200),
  phone: optionalTextField(60),
};

/** The contact's role on an account (e.g. "Champion", "Billing contact"). */
export const roleField = textField("their role on this account", 80);

type Details = { name: string; email: string | null; title: string | null; phone: string | null };
const detailsOf = (input: { name: string; email?: string; title?: string; phone?: string }): Details => ({
  name: input.name,
  email: input.email ?? null,
  title: input.title ?? null,
  phone: input.phone ?? null,
});

/** A new contact, linked to the account with a role (and key contact or not). */
export const createContact = actionDefinition({
  name: "createContact",
  schema: z.object({ accountId: idField("Unknown account."), ...details, role: roleField, isKey: checkboxField }),
  authorize: (ctx, input) => authorizeOnAccount(ctx, input.accountId, "contacts.edit"),
  async run(ctx, input) {
    const account = await accountForWrite(ctx, input.accountId);
    await assertEmailFree(ctx, input.email);
    const values = detailsOf(input);
    const [created] = await ctx.db.insert(contacts).values(values).returning({ id: contacts.id });
    await ctx.db.insert(accountContacts).values({ accountId: account.id, contactId: created.id, role: input.role, isKey: input.isKey });
    await recordContactChange(ctx, [account.id], {
      action: "contact.create",
      contactId: created.id,
      title: `${values.name} added as ${input.role}${input.isKey ? " (key contact)" : ""}`,
      snapshot: { change: "created", contactId: created.id, ...values, role: input.role, isKey: input.isKey, accountName: account.name },
      after: values,
    });
    return { id: created.id, accountId: account.id, name: values.name };
  },
  revalidate: (input, data) => [`/accounts/${input.accountId}`, `/contacts/${data.id}`],
  message: (data) => `${data.name} added.`,
});

/** Name, email, title and phone of a contact linked to an account the viewer can see. */
export const updateContact = actionDefinition({
  name: "updateContact",
  schema: z.object({ contactId: idField("Unknown contact."), ...details }),
  async authorize(ctx, input) {
    if (!may(ctx.viewer, "contacts.edit")) return refusal(ctx.viewer, "contacts.edit");
    return (await findContact(ctx, input.contactId)) ? true : CONTACT_NOT_FOUND;
  },
  async run(ctx, input) {
    const contact = await contactForWrite(ctx, input.contactId);
    await assertEmailFree(ctx, input.email, contact.id);
    const before: Details = { name: contact.name, email: contact.email, title: contact.title, phone: contact.phone };
    const after = detailsOf(input);
    const changed = (Object.keys(after) as (keyof Details)[]).filter((key) => before[key] !== after[key]);
    if (!changed.length) return { id: contact.id, name: after.name, changed };
    await ctx.db.update(contacts).set(after).where(eq(contacts.id, contact.id));
    await recordContactChange(ctx, await linkedAccountIds(ctx, contact.id), {
      action: "contact.update",
      contactId: contact.id,
      title: `${after.name}'s details changed (${changed.join(", ")})`,
      snapshot: { change: "edited", contactId: contact.id, fields: changed, from: pick(before, changed), to: pick(after, changed) },
      before,
      after,
    });
    return { id: contact.id, name: after.name, changed };
  },
  revalidate: (input) => [`/contacts/${input.contactId}`],
  message: (data) => (data.changed.length ? `${data.name} saved.` : "Nothing changed."),
});

function pick(details: Details, keys: (keyof Details)[]): Partial<Details> {
  return Object.fromEntries(keys.map((key) => [key, details[key]]));
}
