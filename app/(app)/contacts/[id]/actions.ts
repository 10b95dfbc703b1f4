"use server";

/* The contact page's server actions (definitions in lib/contacts, where tests run them); the
 * contact search is the profile's (app/(app)/accounts/[id]/actions.ts). */
import { defineAction } from "@/lib/actions/define";
import { updateContact } from "@/lib/contacts/edit";
import { mergeContacts } from "@/lib/contacts/merge";

export const updateContactAction = defineAction(updateContact);
export const mergeContactsAction = defineAction(mergeContacts);
