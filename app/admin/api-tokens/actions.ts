"use server";

import { z } from "zod";
import { defineAction } from "@/lib/actions/define";
import { API_SCOPE_KEYS } from "@/lib/api/scopes";
import { createApiToken, revokeApiToken } from "@/lib/api/tokens";

const adminsOnly = (ctx: { viewer: { role: string } }) => ctx.viewer.role === "admin" || "Only admins can manage API tokens.";

/** Checkbox groups arrive as nothing, one string or several: always an array. */
const scopes = z.preprocess(
  (value) => (value === undefined || value === null || value === "" ? [] : Array.isArray(value) ? value : [value]),
  z.array(z.enum(API_SCOPE_KEYS, { error: "Pick scopes from the list." })).min(1, "Tick at least one thing the token may write."),
);

export const createApiTokenAction = defineAction({
  name: "createApiToken",
  schema: z.object({
    name: z.string().trim().min(1, "Name the token after what will use it, e.g. “Product usage feed”.").max(80, "Use at most 80 characters."),
    scopes,
    rootAccountId: z.union([z.literal(""), z.guid("Pick an account from the list.")]).optional(),
  }),
  authorize: adminsOnly,
  run: (ctx, input) => createApiToken(ctx, { name: input.name, scopes: input.scopes, rootAccountId: input.rootAccountId || null }),
  revalidate: () => ["/admin/api-tokens"],
  message: (data) => `Token “${data.name}” created. Copy it now: it is shown only once.`,
});

export const revokeApiTokenAction = defineAction({
  name: "revokeApiToken",
  schema: z.object({ tokenId: z.guid("Unknown token.") }),
  authorize: adminsOnly,
  run: (ctx, input) => revokeApiToken(ctx, input.tokenId),
  revalidate: () => ["/admin/api-tokens"],
  message: (data) => `Token “${data.name}” revoked: requests with it now get 401.`,
});
