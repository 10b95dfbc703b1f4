"use client";

import { CheckingNotice, DatabaseUnavailableNotice, useDatabaseRecovery } from "@/components/errors/database-recovery";

export default function ErrorPage({ reset }: { error: Error & { digest?: string }; reset: () => void }) {
  const database = useDatabaseRecovery(reset);
  return (
    <main className="flex min-h-[50vh] items-center justify-center px-4">
      {database === "down" ? (
        <DatabaseUnavailableNotice />
      ) : database === "checking" ? (
        <CheckingNotice />
      ) : (
        <div className="max-w-md text-center">
          <h1 className="text-xl font-semibold">Something went wrong</h1>
          <p className="mt-2 text-sm text-slate-600">The page could not be loaded. Try again; if it keeps failing, tell your admin.</p>
          <button onClick={reset} className="mt-4 rounded-md bg-brand-600 px-4 py-2 text-sm font-medium text-white">
            Try again
          </button>
        </div>
      )}
    </main>
  );
}
