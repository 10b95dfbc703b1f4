import NextAuth from "next-auth";
import { authConfig } from "@/lib/auth.config";
import { DEMO_AUTH_SECRET, env } from "@/lib/env";

// The proxy only reads the session cookie; it never touches the database.
const { auth } = NextAuth({
  ...authConfig,
  secret: env().AUTH_SECRET ?? (env().demoMode ? DEMO_AUTH_SECRET : undefined),
});

export default auth;

// Uploads bypass the proxy: it would buffer the body in memory and cut it at 10 MB. The upload
// route checks the session itself and answers 401 JSON. /api/v1 (the REST API) bypasses it too:
// it authenticates by API token, never by session (lib/api/handler.ts).
export const config = {
  matcher: ["/((?!_next/static|_next/image|favicon.ico|robots.txt|api/accounts/[^/]+/assets$|api/v1/|.*\\.(?:png|svg|ico|css|js|woff2?)$).*)"],
};
