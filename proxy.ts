import NextAuth from "next-auth";
import { NextResponse, type NextFetchEvent, type NextRequest } from "next/server";
import { databaseIsDown, unavailableResponse } from "@/db/availability";
import { authConfig } from "@/lib/auth.config";
import { DEMO_AUTH_SECRET, env } from "@/lib/env";
import { mayWrite, wroteCookie } from "@/lib/read-your-writes";
import { contentSecurityPolicy, newNonce, staticSecurityHeaders } from "@/lib/security-headers";

// The proxy only reads the session cookie; it never touches the database.
const { auth } = NextAuth({
  ...authConfig,
  secret: env().AUTH_SECRET ?? (env().demoMode ? DEMO_AUTH_SECRET : undefined),
  useSecureCookies: env().https,
});

/** The request continues with a per-request CSP nonce, which Next applies to the scripts it renders. */
function withNonce(request: NextRequest): NextResponse {
  const nonce = newNonce();
  const oidc = env().oidc;
  const policy = contentSecurityPolicy(nonce, { dev: process.env.NODE_ENV === "development", https: env().https, signInOrigin: oidc ? new URL(oidc.issuer).origin : undefined });
  const headers = new Headers(request.headers);
  headers.set("x-nonce", nonce);
  // One id per request, for the logs (lib/observability/process-errors.ts, onRequestError); a load
  // balancer's own id is kept when it sends a plausible one.
  const requestId = /^[A-Za-z0-9._-]{8,64}$/.test(request.headers.get("x-request-id") ?? "") ? request.headers.get("x-request-id")! : crypto.randomUUID();
  headers.set("x-request-id", requestId);
  headers.set("Content-Security-Policy", policy);
  const response = NextResponse.next({ request: { headers } });
  response.headers.set("Content-Security-Policy", policy);
  response.headers.set("x-request-id", requestId);
  return response;
}

/** Everything else goes through Auth.js (which may refresh the session cookie) first. */
const authorizedProxy = auth((request) => withNonce(request));

/**
 * Public answers a crawler or Slack fetches: a share page, its card image, Slack's events, the
 * health check. They read no session through the proxy (the share page reads its own), and Auth.js
 * would add its CSRF and callback cookies to them, which makes a public image uncacheable.
 */
const PUBLIC_PATHS = /^\/(?:share\/|api\/og\/|api\/slack\/|api\/health$)/;

export default async function proxy(request: NextRequest, event: NextFetchEvent) {
  // Postgres is down (restarting?): a clear 503 at once, not a 500 from deep inside a page.
  const response = databaseIsDown()
    ? unavailableResponse(request.nextUrl.pathname)
    : PUBLIC_PATHS.test(request.nextUrl.pathname)
      ? withNonce(request)
      : ((await authorizedProxy(request, event as never)) as Response);
  // Redirects to /login and 401s too: the static headers on every answer.
  for (const { key, value } of staticSecurityHeaders(env().https === true)) response.headers.set(key, value);
  // With a read replica, this viewer's next few seconds of reads stay on the primary (lib/read-your-writes.ts).
  if (env().DATABASE_READ_URL && mayWrite(request.method)) response.headers.append("Set-Cookie", wroteCookie(env().https === true));
  return response;
}

// Next's own paths (_next/: static files, images, and the dev server's HMR websocket, which an
// answer from the proxy breaks) bypass it. Uploads bypass it too: it would buffer the body in memory
// and cut it at 10 MB; the upload route checks the session itself and answers 401 JSON. /api/v1 (the
// REST API) authenticates by API token, never by session (lib/api/handler.ts).
export const config = {
  matcher: ["/((?!_next/|favicon.ico|robots.txt|api/accounts/[^/]+/assets$|api/v1/|api/mcp$|.*\\.(?:png|svg|ico|css|js|woff2?)$).*)"],
};
