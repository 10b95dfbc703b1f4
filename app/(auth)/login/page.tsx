import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { safeNextPath } from "@/lib/auth.config";
import { FIRST_ADMIN_COMMAND, hasUsers } from "@/lib/auth/first-admin";
import { getContext } from "@/lib/dal/session";
import { env } from "@/lib/env";
import { signInErrorMessage, ssoName } from "@/lib/auth-sso";
import { LoginForm, type DemoUser } from "./login-form";

export const metadata: Metadata = { title: "Sign in" };

const DEMO_USERS: DemoUser[] = [
  { email: "admin@demo.test", name: "Ada Admin", description: "Admin: shapes profiles, teams and scopes" },
  { email: "csm@demo.test", name: "Casey CSM", description: "CSM in team EMEA, assigned to a portfolio" },
  { email: "leader@demo.test", name: "Lee Leader", description: "Leadership: sees every account, rolled up" },
  { email: "viewer@demo.test", name: "Val Viewer", description: "Viewer: read-only, Americas region only" },
];

export default async function LoginPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const params = await searchParams;
  const raw = params.next ?? params.callbackUrl;
  const next = safeNextPath(Array.isArray(raw) ? raw[0] : raw);
  const error = Array.isArray(params.error) ? params.error[0] : params.error;
  // Signed in and still enabled: on to the page they wanted. A disabled user's cookie lands here too.
  if (await getContext()) redirect(next);
  const anyone = await hasUsers();
  const passwordSet = params.password === "set";
  return (
    <main className="flex min-h-screen items-center justify-center px-4 py-12">
      <div className="w-full max-w-md rounded-xl border border-slate-200 bg-white p-8 shadow-sm">
        <div className="mb-6">
          <p className="text-sm font-semibold tracking-wide text-brand-600 uppercase">Customer 360</p>
          <h1 className="mt-1 text-2xl font-semibold text-slate-900">Sign in</h1>
          {next !== "/" ? <p className="mt-1 text-sm text-slate-600">You will be taken back to the page you opened.</p> : null}
        </div>
        {passwordSet ? (
          <p role="status" className="mb-4 rounded-md bg-emerald-50 px-3 py-2 text-sm text-emerald-900">
            Your password is set. Sign in with your email and the new password.
          </p>
        ) : null}
        {anyone ? null : (
          <section aria-labelledby="first-admin" className="mb-6 rounded-lg border border-sky-200 bg-sky-50 p-4" data-testid="first-admin">
            <h2 id="first-admin" className="text-sm font-semibold text-sky-950">
              No one can sign in yet
            </h2>
            <p className="mt-1 text-sm text-sky-950">
              This installation has no users. On the server, in the app&apos;s folder, create the first admin; the command prints a
              one-time link to set their password:
            </p>
            <pre className="mt-2 rounded bg-white px-3 py-2 text-xs break-all whitespace-pre-wrap text-slate-900 ring-1 ring-sky-200">
              <code>{FIRST_ADMIN_COMMAND}</code>
            </pre>
            <p className="mt-2 text-xs text-sky-950">
              Use the same DATABASE_URL as the server. With the embedded database (no DATABASE_URL), stop the server first.
            </p>
          </section>
        )}
        <LoginForm next={next} demoUsers={env().demoMode ? DEMO_USERS : []} ssoName={ssoName()} ssoError={signInErrorMessage(error)} />
      </div>
    </main>
  );
}
