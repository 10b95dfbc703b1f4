import NextAuth from "next-auth";
import { authConfig } from "@/lib/auth.config";
import { DEMO_AUTH_SECRET, env } from "@/lib/env";

// The proxy only reads the session cookie; it never touches the database.
const { auth } = NextAuth({
  ...authConfig,
  secret: env().AUTH_SECRET ?? (env().demoMode ? DEMO_AUTH_SECRET : undefined),
});

export default auth;

export const config = {
  matcher: ["/((?!_next/static|_next/image|favicon.ico|robots.txt|.*\\.(?:png|svg|ico|css|js|woff2?)$).*)"],
};
