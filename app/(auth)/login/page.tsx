import type { Metadata } from "next";
import { safeNextPath } from "@/lib/auth.config";
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
  return (
    <main className="flex min-h-screen items-center justify-center px-4 py-12">
      <div className="w-full max-w-md rounded-xl border border-slate-200 bg-white p-8 shadow-sm">
        <div className="mb-6">
          <p className="text-sm font-semibold tracking-wide text-brand-600 uppercase">Customer 360</p>
          <h1 className="mt-1 text-2xl font-semibold text-slate-900">Sign in</h1>
          {next !== "/" ? <p className="mt-1 text-sm text-slate-600">You will be taken back to the page you opened.</p> : null}
        </div>
        <LoginForm next={next} demoUsers={env().demoMode ? DEMO_USERS : []} ssoName={ssoName()} ssoError={signInErrorMessage(error)} />
      </div>
    </main>
  );
}
