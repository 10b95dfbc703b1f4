"use client";

import { useActionState } from "react";
import { ActionMessage } from "../layout-list-actions";
import { rollbackLayoutAction } from "../actions";

type Version = { version: number; publishedAt: string; publishedLabel: string; publishedByName: string | null; sameAs: number | null };

/** Every published version, who published it and when; any older one can be published again. */
export function VersionHistory({ layoutId, current, versions }: { layoutId: string; current: number | null; versions: Version[] }) {
  const [state, rollback, pending] = useActionState(rollbackLayoutAction, null);
  return (
    <section aria-labelledby="versions-heading" className="rounded-lg border border-slate-200 bg-white p-4">
      <h2 id="versions-heading" className="text-lg font-semibold text-slate-900">
        Version history
      </h2>
      <p className="mt-1 text-sm text-slate-700">Rolling back publishes a new version equal to the one you pick; unpublished changes are dropped.</p>
      <ActionMessage state={state} />
      {versions.length === 0 ? (
        <p className="mt-2 text-sm text-slate-600">Not published yet.</p>
      ) : (
        <ol className="mt-2 divide-y divide-slate-100" aria-label="Published versions">
          {versions.map((v) => (
            <li key={v.version} className="flex flex-wrap items-center justify-between gap-2 py-2 text-sm" data-testid="layout-version">
              <span>
                <span className="font-semibold">Version {v.version}</span>
                {v.version === current ? <span className="ml-2 rounded bg-green-100 px-1.5 py-0.5 text-xs font-medium text-green-900">live</span> : null}
                <span className="ml-2 text-slate-700">
                  published by {v.publishedByName ?? "someone (deleted user)"} on <time dateTime={v.publishedAt}>{v.publishedLabel}</time>
                </span>
                {v.sameAs ? <span className="ml-2 text-xs text-slate-600">(same as version {v.sameAs})</span> : null}
              </span>
              {v.version !== current ? (
                <form action={rollback}>
                  <input type="hidden" name="id" value={layoutId} />
                  <input type="hidden" name="version" value={v.version} />
                  <button
                    type="submit"
                    disabled={pending}
                    className="rounded-md border border-slate-300 bg-white px-2 py-1 text-xs font-medium text-slate-800 hover:bg-slate-50 disabled:opacity-50"
                  >
                    Roll back to version {v.version}
                  </button>
                </form>
              ) : null}
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
