import "server-only";
import { env } from "@/lib/env";

/** The base for links in tool results: PUBLIC_URL, else AUTH_URL's origin, else the request's origin. */
export function linkBaseFor(request: Request): string {
  const e = env();
  if (e.PUBLIC_URL) return e.PUBLIC_URL.replace(/\/+$/, "");
  if (e.AUTH_URL) return new URL(e.AUTH_URL).origin;
  return new URL(request.url).origin;
}

export const accountLink = (base: string, id: string) => `${base}/accounts/${id}`;
