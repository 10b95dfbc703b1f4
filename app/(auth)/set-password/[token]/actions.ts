"use server";

import { redirect } from "next/navigation";
import { getDb } from "@/db";
import { parseSetPassword, redeemPasswordToken, type SetPasswordState } from "@/lib/auth/password-tokens";

/**
 * Public on purpose: the one-time link is the credential (256 random bits, stored hashed, spent on
 * use). The password is set and the link spent in one transaction; then on to the sign-in page.
 */
export async function setPasswordAction(_previous: SetPasswordState, formData: FormData): Promise<SetPasswordState> {
  const parsed = parseSetPassword(formData);
  if (!parsed.ok) return parsed.state;
  const outcome = await redeemPasswordToken(await getDb(), parsed.token, parsed.password);
  if (outcome.status !== "done") return { link: outcome.status };
  redirect("/login?password=set");
}
