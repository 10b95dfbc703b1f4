"use server";

import { AuthError } from "next-auth";
import { z } from "zod";
import { signIn, ThrottledSignIn } from "@/lib/auth";
import { throttledMessage } from "@/lib/auth-throttle";
import { SSO_PROVIDER_ID, ssoName } from "@/lib/auth-sso";
import { safeNextPath } from "@/lib/auth.config";

export type SignInState = { error?: string; email?: string };

const form = z.object({
  email: z.string().trim().min(1, "Enter your email").max(320),
  password: z.string().min(1, "Enter your password").max(200),
  next: z.string().max(4000).optional(),
});

export async function signInAction(_prev: SignInState, formData: FormData): Promise<SignInState> {
  const parsed = form.safeParse({
    email: formData.get("email") ?? "",
    password: formData.get("password") ?? "",
    next: formData.get("next") ?? undefined,
  });
  if (!parsed.success) {
    return { error: parsed.error.issues[0]?.message ?? "Enter your email and password", email: String(formData.get("email") ?? "") };
  }
  try {
    await signIn("credentials", {
      email: parsed.data.email,
      password: parsed.data.password,
      redirectTo: safeNextPath(parsed.data.next),
    });
  } catch (error) {
    // signIn redirects by throwing; only auth failures are ours to answer.
    if (error instanceof ThrottledSignIn) {
      return { error: throttledMessage(error.retryAfterSeconds), email: parsed.data.email };
    }
    if (error instanceof AuthError) {
      // Same words whether the email exists or not.
      return { error: "Wrong email or password.", email: parsed.data.email };
    }
    throw error;
  }
  return {};
}

/** Starts single sign-on: a redirect to the identity provider (nothing happens when it is not configured). */
export async function signInWithSsoAction(formData: FormData): Promise<void> {
  if (!ssoName()) return;
  const next = formData.get("next");
  await signIn(SSO_PROVIDER_ID, { redirectTo: safeNextPath(typeof next === "string" ? next.slice(0, 4000) : "/") });
}
