"use client";

import { useActionState, useEffect, useRef, useState } from "react";
import { createShareLinkAction } from "@/app/(app)/accounts/[id]/actions";
import type { ActionResult } from "@/lib/actions/define";
import type { ShareLink } from "@/lib/unfurl/share-action";

/**
 * "Copy share link": a signed /share link to this account's card, for pasting into Slack or any tool
 * that shows link previews. The link is shown (selected) as well as copied, since the clipboard is
 * unavailable on plain-http hosts.
 */
export function ShareLinkButton({ accountId }: { accountId: string }) {
  const [result, dispatch, pending] = useActionState<ActionResult<ShareLink> | null, FormData>(createShareLinkAction, null);
  const [copied, setCopied] = useState<boolean | null>(null);
  const inputRef = useRef<HTMLInputElement>(null);
  const url = result?.ok ? new URL(result.data.path, window.location.origin).toString() : null;

  useEffect(() => {
    if (!url) return;
    inputRef.current?.select();
    if (!navigator.clipboard) {
      setCopied(false);
      return;
    }
    navigator.clipboard.writeText(url).then(
      () => setCopied(true),
      () => setCopied(false),
    );
  }, [url]);

  return (
    <div className="flex flex-wrap items-center gap-2 text-sm">
      <form action={dispatch}>
        <input type="hidden" name="accountId" value={accountId} />
        <button
          type="submit"
          disabled={pending}
          className="rounded-md border border-slate-300 bg-white px-2.5 py-1 font-medium text-brand-700 hover:border-brand-500 disabled:opacity-60"
        >
          {pending ? "Making link…" : "Copy share link"}
        </button>
      </form>
      {url && result?.ok ? (
        <>
          <label htmlFor={`share-link-${accountId}`} className="sr-only">
            Share link
          </label>
          <input
            ref={inputRef}
            id={`share-link-${accountId}`}
            readOnly
            value={url}
            data-testid="share-link"
            onFocus={(e) => e.currentTarget.select()}
            className="w-96 max-w-full rounded-md border border-slate-300 bg-slate-50 px-2 py-1 font-mono text-xs text-slate-700"
          />
          <span role="status" className="text-xs text-slate-600">
            {copied ? "Copied. " : copied === false ? "Copy it from the box. " : ""}
            Shows a preview card until {new Date(result.data.expiresAt).toLocaleDateString("en-GB", { day: "numeric", month: "short", timeZone: "UTC" })}.
          </span>
        </>
      ) : result && !result.ok ? (
        <span role="alert" className="text-xs text-red-700">
          {result.error}
        </span>
      ) : null}
    </div>
  );
}
