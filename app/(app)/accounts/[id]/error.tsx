"use client";

import Link from "next/link";
import { CheckingNotice, DatabaseUnavailableNotice, useDatabaseRecovery } from "@/components/errors/database-recovery";

/**
 * The profile segment's own error page: what a profile shows when the page itself (not one widget,
 * view or tab, which show their own notices) fails. The app's navigation stays around it. When the
 * database is the cause, it says so and comes back by itself once Postgres answers.
 */
export default function AccountProfileError({ reset }: { error: Error & { digest?: string }; reset: () => void }) {
  const database = useDatabaseRecovery(reset);
  if (database === "down") return <DatabaseUnavailableNotice />;
  if (database === "checking") return <CheckingNotice />;
  return (
    <div role="alert" className="mx-auto max-w-lg rounded-lg border border-slate-200 bg-white p-8 text-center">
      <h1 className="text-xl font-semibold">This profile could not be loaded</h1>
      <p className="mt-2 text-sm text-slate-600">Try again; if it keeps failing, tell your admin.</p>
      <div className="mt-4 flex items-center justify-center gap-4">
        <button type="button" onClick={reset} className="rounded-md bg-brand-600 px-4 py-2 text-sm font-medium text-white">
          Try again
        </button>
        <Link href="/accounts" className="text-sm font-medium text-brand-700 hover:underline">
          Search accounts
        </Link>
      </div>
    </div>
  );
}
