"use client";

import { useRouter } from "next/navigation";
import { startTransition, useEffect, useRef, useState } from "react";

export type DatabaseState = "checking" | "down" | "up";

const RETRY_EVERY_MS = 2_000;

/**
 * For an error page: whether the failure is the database being away. A page that was already
 * rendering when Postgres went down (and stayed down past the read retry's 5 s) fails with only a
 * digest, so the page asks the health check: 503 means the database is not answering. While it is,
 * this polls every 2 s and, once it answers, renders the page again by itself (refresh + reset),
 * the same "briefly unavailable, retrying" behaviour as the 503 page the proxy serves.
 */
export function useDatabaseRecovery(reset: () => void): DatabaseState {
  const router = useRouter();
  const [state, setState] = useState<DatabaseState>("checking");
  const resetRef = useRef(reset);
  resetRef.current = reset;
  useEffect(() => {
    let stopped = false;
    let wasDown = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const check = async () => {
      let down: boolean;
      try {
        down = (await fetch("/api/health", { cache: "no-store" })).status === 503;
      } catch {
        down = true; // the app itself unreachable (restarting): keep retrying too
      }
      if (stopped) return;
      if (down) {
        wasDown = true;
        setState("down");
        timer = setTimeout(check, RETRY_EVERY_MS);
      } else if (wasDown) {
        startTransition(() => {
          router.refresh();
          resetRef.current();
        });
      } else setState("up");
    };
    void check();
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, [router]);
  return state;
}

/** What an error page shows while the database is away (the words of the proxy's 503 page). */
export function DatabaseUnavailableNotice() {
  return (
    <div role="status" aria-live="polite" className="mx-auto max-w-md text-center" data-testid="database-unavailable">
      <h1 className="text-xl font-semibold">Customer 360 is briefly unavailable</h1>
      <p className="mt-2 text-sm text-slate-600">
        The database is not answering, probably because it is restarting. Retrying every few seconds: this page comes back by itself; nothing you saved before is lost.
      </p>
    </div>
  );
}

/** While the health check has not answered yet: a quiet line, not an alarm. */
export function CheckingNotice() {
  return (
    <p role="status" className="text-center text-sm text-slate-500">
      Loading failed; checking the connection…
    </p>
  );
}
