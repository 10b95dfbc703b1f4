/**
 * What the HTTP-level tests (authorization matrix, fuzz) share: every page and API route found in
 * app/, and a session cookie from next-auth's credentials sign-in.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { findFiles } from "./server-actions";

export type ApiRoute = { method: string; route: string };

/** `app/(group)/accounts/[id]/page.tsx` → `/accounts/[id]` (route groups dropped). */
export function routeOf(file: string, suffix: RegExp): string {
  return "/" + file.replace(/^app/, "").replace(suffix, "").split("/").filter((s) => s && !/^\(.*\)$/.test(s)).join("/");
}

/** Every page route, and every exported HTTP method of every route.ts(x) under app/api. */
export function discoverRoutes(): { pages: string[]; api: ApiRoute[] } {
  const pages = findFiles("app", /^page\.tsx$/).map((f) => routeOf(f, /\/page\.tsx$/));
  const api: ApiRoute[] = [];
  for (const file of findFiles("app/api", /^route\.tsx?$/)) {
    const text = readFileSync(path.resolve(process.cwd(), file), "utf8");
    const methods = new Set<string>();
    for (const m of text.matchAll(/export\s+(?:async\s+)?function\s+(GET|POST|PUT|PATCH|DELETE)\b/g)) methods.add(m[1]);
    for (const m of text.matchAll(/export\s+const\s+\{([^}]*)\}/g)) for (const name of m[1].split(",")) if (/^\s*(GET|POST|PUT|PATCH|DELETE)\s*$/.test(name)) methods.add(name.trim());
    for (const m of text.matchAll(/export\s+const\s+(GET|POST|PUT|PATCH|DELETE)\s*=/g)) methods.add(m[1]);
    for (const method of methods) api.push({ method, route: routeOf(file, /\/route\.tsx?$/) });
  }
  return { pages, api };
}

/** Signs in through next-auth's credentials endpoint; the session cookie (`name=value`). */
export async function sessionCookie(baseURL: string, email: string, password = "demo"): Promise<string> {
  const csrf = await fetch(`${baseURL}/api/auth/csrf`);
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };
  // The proxy and the route both set a CSRF cookie: the last one is the route's (as in a browser).
  const jar = [...new Map(csrf.headers.getSetCookie().map((c) => c.split(";")[0].split(/=(.*)/s).slice(0, 2) as [string, string])).entries()].map(([k, v]) => `${k}=${v}`);
  const response = await fetch(`${baseURL}/api/auth/callback/credentials`, {
    method: "POST",
    redirect: "manual",
    headers: { "Content-Type": "application/x-www-form-urlencoded", Cookie: jar.join("; ") },
    body: new URLSearchParams({ email, password, csrfToken, callbackUrl: "/" }).toString(),
  });
  const session = response.headers.getSetCookie().find((c) => c.includes("session-token="));
  if (!session) throw new Error(`no session for ${email} (${response.status} ${response.headers.get("location")})`);
  return session.split(";")[0];
}
