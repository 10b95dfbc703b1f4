import type { NextAuthConfig } from "next-auth";

/**
 * Link previews (issue #8), open signed out because each checks its own credential: Slack's Events
 * API endpoint verifies Slack's request signature; a share page and its Open Graph image show account
 * data only for a valid signed share token, and nothing about any account otherwise.
 */
const LINK_PREVIEW_PATHS = [/^\/api\/slack\/events$/, /^\/share\/[^/]+$/, /^\/api\/og\/[^/]+$/];

/** Paths anyone may open signed out. /api/v1 checks its own API tokens (lib/api/handler.ts). */
/** A one-time set-password link (invitation or reset) is its own credential: lib/auth/password-tokens.ts. */
const PUBLIC_PATHS = [/^\/login(\/|$)/, /^\/set-password\/[^/]+$/, /^\/api\/auth(\/|$)/, /^\/api\/health$/, /^\/api\/v1\//, /^\/api\/mcp$/, ...LINK_PREVIEW_PATHS];

/**
 * The part of the auth configuration the proxy needs: no database, no providers. A signed-out
 * visitor is sent to /login with the exact path and query they asked for, so a profile link
 * pasted in Slack opens after sign-in; API callers get a JSON 401 instead.
 */
export const authConfig = {
  pages: { signIn: "/login" },
  session: { strategy: "jwt", maxAge: 60 * 60 * 12 },
  trustHost: true,
  providers: [],
  callbacks: {
    authorized({ auth, request }) {
      const { pathname, search } = request.nextUrl;
      // /login sends a signed-in viewer on by itself: only the database knows whether the user
      // behind a valid cookie is still enabled (a disabled one must see the form, not a loop).
      if (PUBLIC_PATHS.some((p) => p.test(pathname))) return true;
      if (auth?.user) return true;
      if (pathname.startsWith("/api/")) {
        return Response.json({ error: "Sign-in required" }, { status: 401 });
      }
      const login = new URL("/login", request.nextUrl);
      login.searchParams.set("next", pathname + search);
      return Response.redirect(login);
    },
    jwt({ token, user }) {
      if (user) {
        token.uid = user.id;
      }
      return token;
    },
    session({ session, token }) {
      if (token.uid && session.user) session.user.id = String(token.uid);
      return session;
    },
  },
} satisfies NextAuthConfig;

/**
 * Only same-site paths are accepted as a post-sign-in destination: anything else (another host,
 * `//evil`, a javascript: URL) falls back to the portfolio.
 */
export function safeNextPath(next: unknown): string {
  if (typeof next !== "string" || !next.startsWith("/") || next.startsWith("//") || next.startsWith("/\\")) return "/";
  try {
    const url = new URL(next, "http://placeholder.invalid");
    if (url.host !== "placeholder.invalid") return "/";
    if (url.pathname.startsWith("/login")) return "/";
    return url.pathname + url.search + url.hash;
  } catch {
    return "/";
  }
}
