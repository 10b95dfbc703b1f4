import "server-only";
import { DEMO_AUTH_SECRET, env } from "@/lib/env";

/** The secret share links are signed with: the sessions' AUTH_SECRET (the demo one only in demo mode). */
export function shareSecret(): string {
  const secret = env().AUTH_SECRET ?? (env().demoMode ? DEMO_AUTH_SECRET : undefined);
  if (!secret) throw new Error("AUTH_SECRET is not set: share links cannot be signed");
  return secret;
}
