import type { Metadata } from "next";
import Link from "next/link";
import { getDb } from "@/db";
import { checkPasswordToken, PASSWORD_LINK_HOURS, PASSWORD_MIN_LENGTH } from "@/lib/auth/password-tokens";
import { SetPasswordForm } from "./set-password-form";

export const metadata: Metadata = { title: "Set your password", robots: { index: false } };

const PROBLEMS = {
  used: {
    title: "This link has been used",
    body: "A set-password link works once, and this one has been used, or a newer link replaced it. If you set your password, sign in with it; otherwise ask an admin for a new link.",
  },
  expired: {
    title: "This link has expired",
    body: `A set-password link works for ${PASSWORD_LINK_HOURS} hours. Ask an admin for a new one.`,
  },
  unknown: {
    title: "This link does not work",
    body: "Check that you opened the whole link as you received it. If it still does not work, ask an admin for a new one.",
  },
} as const;

function LinkProblem({ problem }: { problem: keyof typeof PROBLEMS }) {
  return (
    <div data-testid="link-problem" data-problem={problem}>
      <h1 className="mt-1 text-2xl font-semibold text-slate-900">{PROBLEMS[problem].title}</h1>
      <p className="mt-2 text-sm text-slate-700">{PROBLEMS[problem].body}</p>
      <Link href="/login" className="mt-4 inline-block text-sm font-medium text-brand-700 underline underline-offset-2">
        Go to the sign-in page
      </Link>
    </div>
  );
}

export default async function SetPasswordPage({ params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  const link = await checkPasswordToken(await getDb(), token);
  return (
    <main className="flex min-h-screen items-center justify-center px-4 py-12">
      <div className="w-full max-w-md rounded-xl border border-slate-200 bg-white p-8 shadow-sm">
        <p className="text-sm font-semibold tracking-wide text-brand-600 uppercase">Customer 360</p>
        {link.status === "valid" ? (
          <>
            <h1 className="mt-1 text-2xl font-semibold text-slate-900">{link.purpose === "reset" ? "Choose a new password" : "Set your password"}</h1>
            <p className="mt-1 mb-6 text-sm text-slate-700">
              {link.name}, choose a password of at least {PASSWORD_MIN_LENGTH} characters for <strong>{link.email}</strong>. Then sign in with it.
            </p>
            <SetPasswordForm token={token} email={link.email} />
          </>
        ) : (
          <LinkProblem problem={link.status} />
        )}
      </div>
    </main>
  );
}
