/**
 * Read your own writes with a lagging replica (DATABASE_READ_URL): a request that may write (any
 * method but GET/HEAD/OPTIONS: server actions, forms, API calls with a session) sets a cookie that
 * lives READ_YOUR_WRITES_SECONDS; while the viewer holds it, getContext() sends even the lagging
 * reads (lists, search, usage charts) to the primary, so what they just saved shows everywhere.
 * Others see it once the replica has replayed it (normally well under a second).
 *
 * No database or server-only import: the proxy sets the cookie.
 */
export const WROTE_COOKIE = "c360_wrote";
export const READ_YOUR_WRITES_SECONDS = 10;

export function mayWrite(method: string): boolean {
  return !["GET", "HEAD", "OPTIONS"].includes(method.toUpperCase());
}

/** The Set-Cookie value a writing request answers with. */
export function wroteCookie(secure: boolean): string {
  return `${WROTE_COOKIE}=1; Max-Age=${READ_YOUR_WRITES_SECONDS}; Path=/; HttpOnly; SameSite=Lax${secure ? "; Secure" : ""}`;
}

/**
 * Whether this request's lagging reads must go to the primary: the viewer wrote in the last few
 * seconds (the cookie), or this request is itself a server action (Next renders the page again in
 * the same request, before the browser has the cookie).
 */
export function readsFromPrimary(request: { wroteCookie: string | undefined; serverAction: boolean }): boolean {
  return Boolean(request.wroteCookie) || request.serverAction;
}
