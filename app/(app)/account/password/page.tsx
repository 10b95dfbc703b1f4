import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { eq } from "drizzle-orm";
import { users } from "@/db/schema";
import { may } from "@/lib/auth/permissions";
import { requireContext } from "@/lib/dal/session";
import { ChangePasswordForm } from "./change-password-form";

export const metadata: Metadata = { title: "Change password" };

export default async function ChangePasswordPage() {
  const ctx = await requireContext();
  if (!may(ctx.viewer, "password.changeOwn")) notFound();
  const [user] = await ctx.db.select({ passwordHash: users.passwordHash }).from(users).where(eq(users.id, ctx.viewer.userId)).limit(1);
  return (
    <div className="max-w-md space-y-4">
      <div>
        <h1 className="text-2xl font-semibold text-slate-900">Change password</h1>
        <p className="mt-1 text-sm text-slate-700">For {ctx.viewer.email}. You need your current password.</p>
      </div>
      {user?.passwordHash ? (
        <div className="rounded-lg border border-slate-200 bg-white p-4">
          <ChangePasswordForm email={ctx.viewer.email} />
        </div>
      ) : (
        <p className="rounded-md bg-slate-100 px-3 py-2 text-sm text-slate-800" data-testid="sso-only">
          You sign in with single sign-on and have no password here. If you need one, ask an admin for a set-password link.
        </p>
      )}
    </div>
  );
}
