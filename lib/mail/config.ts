import "server-only";
import { env } from "@/lib/env";

/** Mail goes out only when an SMTP server is configured (SMTP_URL). */
export function mailEnabled(): boolean {
  return Boolean(env().SMTP_URL);
}

/** The app's public address for links in mail, when known (PUBLIC_URL or AUTH_URL). */
export function publicBaseUrl(): string | null {
  const e = env();
  return (e.PUBLIC_URL ?? e.AUTH_URL ?? null)?.replace(/\/$/, "") ?? null;
}
