"use server";

import { z } from "zod";
import { defineAction } from "@/lib/actions/define";
import { deleteAccountType, updateAccountType } from "@/lib/data-model/account-types";
import { createAccountType, setAllowedParents } from "@/lib/hierarchy/account-types";

/** Checkbox groups arrive as nothing, one string or several: always an array of ids. */
const typeIds = z.preprocess(
  (value) => (value === undefined || value === null || value === "" ? [] : Array.isArray(value) ? value : [value]),
  z.array(z.guid("Unknown account type.")).max(50),
);

const adminsOnly = (ctx: { viewer: { role: string } }) => ctx.viewer.role === "admin" || "Only admins can change account types.";

export const setAllowedParentsAction = defineAction({
  name: "setAllowedParents",
  schema: z.object({ typeId: z.guid("Unknown account type."), parentTypeIds: typeIds }),
  authorize: adminsOnly,
  run: (ctx, input) => setAllowedParents(ctx, input.typeId, input.parentTypeIds),
  revalidate: () => ["/admin/account-types"],
  message: (data) => (data.parents ? `Saved: ${data.parents} allowed parent type${data.parents === 1 ? "" : "s"}.` : "Saved: a top-level type (no parent)."),
});

export const createAccountTypeAction = defineAction({
  name: "createAccountType",
  schema: z.object({
    key: z
      .string()
      .trim()
      .toLowerCase()
      .regex(/^[a-z][a-z0-9_]{1,39}$/, "Use 2–40 lowercase letters, digits or underscores, starting with a letter."),
    name: z.string().trim().min(1, "Enter a name.").max(60, "Use at most 60 characters."),
    pluralName: z.string().trim().min(1, "Enter the plural name.").max(60, "Use at most 60 characters."),
    level: z.coerce.number({ error: "Enter a whole number." }).int("Enter a whole number.").min(0, "Use 0 (the top) or more.").max(20, "Use a level up to 20."),
    assetLimitMb: z.coerce
      .number({ error: "Enter a number of megabytes." })
      .int("Enter a whole number of megabytes.")
      .min(1, "At least 1 MB.")
      .max(100, "Uploads are capped at 100 MB."),
    parentTypeIds: typeIds,
  }),
  authorize: adminsOnly,
  run: (ctx, input) => createAccountType(ctx, input),
  revalidate: () => ["/admin/account-types"],
  message: () => "Account type created.",
});

export const updateAccountTypeAction = defineAction(updateAccountType);
export const deleteAccountTypeAction = defineAction(deleteAccountType);
