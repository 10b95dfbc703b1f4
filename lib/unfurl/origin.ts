import "server-only";
import { headers } from "next/headers";
import { env } from "@/lib/env";

/**
 * The app's public origin for absolute URLs in link previews (og:image must be absolute): PUBLIC_URL
 * when set, else the host the request came to (through a proxy's X-Forwarded-* headers).
 */
export async function publicOrigin(): Promise<string> {
  const configured = env().PUBLIC_URL;
  if (configured) return configured.replace(/\/+$/, "");
  const h = await headers();
  const host = h.get("x-forwarded-host")?.split(",")[0]?.trim() || h.get("host") || "localhost";
  const proto = h.get("x-forwarded-proto")?.split(",")[0]?.trim() || "http";
  return `${proto === "https" ? "https" : "http"}://${host}`;
}
