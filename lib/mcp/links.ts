import "server-only";
import { env } from "@/lib/env";

/**
 * The base for links in tool results: PUBLIC_URL, else AUTH_URL's origin, else the host the request
 * came to (through a proxy's X-Forwarded-* headers). Not `request.url`: Next rewrites its host to
 * localhost, which would give an agent links nobody can open.
 */
export function linkBaseFor(request: Request): string {
  const e = env();
  if (e.PUBLIC_URL) return e.PUBLIC_URL.replace(/\/+$/, "");
  if (e.AUTH_URL) return new URL(e.AUTH_URL).origin;
  const host = request.headers.get("x-forwarded-host")?.split(",")[0]?.trim() || request.headers.get("host") || new URL(request.url).host;
  const proto = request.headers.get("x-forwarded-proto")?.split(",")[0]?.trim() || new URL(request.url).protocol.replace(":", "");
  return `${proto === "https" ? "https" : "http"}://${host}`;
}

export const accountLink = (base: string, id: string) => `${base}/accounts/${id}`;
