import "server-only";
import NextAuth, { CredentialsSignin } from "next-auth";
import type { NextRequest } from "next/server";
import Credentials from "next-auth/providers/credentials";
import bcrypt from "bcryptjs";
import { eq, sql } from "drizzle-orm";
import { z } from "zod";
import { getDb } from "@/db";
import { users } from "@/db/schema";
import { DEMO_AUTH_SECRET, env } from "@/lib/env";
import { authConfig } from "./auth.config";
import { checkSignIn, clientAddress, recordFailure, recordSuccess } from "./auth-throttle";
import { resolveSsoUser, SSO_PROVIDER_ID, ssoProviders } from "./auth-sso";

const credentials = z.object({
  email: z.string().trim().toLowerCase().email().max(320),
  password: z.string().min(1).max(200),
});

// Compared against when the email is unknown, so a wrong email and a wrong password take as long.
const DUMMY_HASH = "$2b$10$4EvXlaGLX/mPgYK/wBVpF.5JIHGzJNt5umg.DglDxDD5kYA8An/Cm";

class WrongCredentials extends CredentialsSignin {
  code = "wrong_credentials";
}

/** Too many failed attempts for this email or address: refused before the password is checked. */
export class ThrottledSignIn extends CredentialsSignin {
  code = "throttled";
  constructor(readonly retryAfterSeconds: number) {
    super();
  }
}

const authjs = NextAuth({
  ...authConfig,
  secret: env().AUTH_SECRET ?? (env().demoMode ? DEMO_AUTH_SECRET : undefined),
  useSecureCookies: env().https,
  // Single sign-on failures land back on the sign-in page, which explains them.
  pages: { ...authConfig.pages, error: "/login" },
  callbacks: {
    ...authConfig.callbacks,
    /** Single sign-on: match (or create) our user by email; the session then names our user id. */
    async signIn({ user, account, profile }) {
      if (account?.provider !== SSO_PROVIDER_ID) return true;
      const outcome = await resolveSsoUser(profile ?? {});
      if (!outcome.ok) return `/login?error=${outcome.error}`;
      // The jwt callback (auth.config.ts) stores user.id: make it ours, not the provider's subject.
      user.id = outcome.userId;
      user.name = outcome.name;
      user.email = outcome.email;
      return true;
    },
  },
  providers: [
    ...ssoProviders(),
    Credentials({
      credentials: { email: { label: "Email" }, password: { label: "Password", type: "password" } },
      async authorize(raw, request) {
        const parsed = credentials.safeParse(raw);
        if (!parsed.success) throw new WrongCredentials();
        const address = clientAddress(request?.headers);
        const throttle = await checkSignIn(parsed.data.email, address);
        if (throttle.blocked) throw new ThrottledSignIn(throttle.retryAfterSeconds);
        const db = await getDb();
        const [user] = await db
          .select({ id: users.id, email: users.email, name: users.name, passwordHash: users.passwordHash, disabledAt: users.disabledAt })
          .from(users)
          .where(eq(sql`lower(${users.email})`, parsed.data.email))
          .limit(1);
        const ok = await bcrypt.compare(parsed.data.password, user?.passwordHash ?? DUMMY_HASH);
        if (!user || !user.passwordHash || !ok || user.disabledAt) {
          await recordFailure(parsed.data.email, address);
          throw new WrongCredentials();
        }
        await recordSuccess(parsed.data.email);
        return { id: user.id, email: user.email, name: user.name };
      },
    }),
  ],
});

export const { auth, signIn, signOut } = authjs;

/** Auth.js's own test of a callback URL: http(s), absolute or a path on this site. */
function isCallbackUrl(value: string, origin: string): boolean {
  try {
    return /^https?:/.test(new URL(value, value.startsWith("/") ? origin : undefined).protocol);
  } catch {
    return false;
  }
}

/**
 * Auth.js answers a malformed callbackUrl (query or cookie) with a 500 "server configuration"
 * error; it is the request that is wrong: answer 400 (and drop a bad cookie) before it gets there.
 */
function rejectBadCallbackUrl(request: NextRequest): Response | null {
  const origin = request.nextUrl.origin;
  const fromQuery = request.nextUrl.searchParams.get("callbackUrl");
  const cookie = request.cookies.getAll().find((c) => /^(__Secure-)?authjs\.callback-url$/.test(c.name));
  if (fromQuery !== null && fromQuery !== "" && !isCallbackUrl(fromQuery, origin)) return Response.json({ error: "Invalid callbackUrl" }, { status: 400 });
  if (cookie && cookie.value && !isCallbackUrl(cookie.value, origin)) {
    const response = Response.json({ error: "Invalid callback cookie; it has been cleared, try again" }, { status: 400 });
    response.headers.append("Set-Cookie", `${cookie.name}=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax`);
    return response;
  }
  return null;
}

export const handlers = {
  GET: (request: NextRequest) => rejectBadCallbackUrl(request) ?? authjs.handlers.GET(request),
  POST: (request: NextRequest) => rejectBadCallbackUrl(request) ?? authjs.handlers.POST(request),
};
