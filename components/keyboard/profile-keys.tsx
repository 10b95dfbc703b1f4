"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { useEffect, useRef, useState } from "react";

export type ProfileKeyLinks = {
  previous: string | null;
  next: string | null;
  parent: string | null;
  firstChild: string | null;
  /** The layout's tabs, with the letter that opens each after g. */
  tabs: { letter: string; label: string; href: string }[];
};

/** Typing in a field, a contenteditable or an open dialog: letters belong there. */
function typing(target: EventTarget | null): boolean {
  const el = target as HTMLElement | null;
  if (!el || !el.closest) return false;
  return Boolean(el.closest("input, textarea, select, [contenteditable=''], [contenteditable=true], [role=dialog], [cmdk-root]"));
}

/**
 * The profile's keyboard layer, one small island: j / k the next / previous account of the list it
 * was opened from, [ and ] the parent and the first child, g then a tab's letter, ? the help.
 * Each shortcut has a visible control in this bar too.
 */
export function ProfileKeys({ accountId, links }: { accountId: string; links: ProfileKeyLinks }) {
  const router = useRouter();
  const [help, setHelp] = useState(false);
  /** Which account's keys are listening (tests wait for it before pressing a key). */
  const [ready, setReady] = useState<string | null>(null);
  const pendingG = useRef<number>(0);
  const dialog = useRef<HTMLDialogElement>(null);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.ctrlKey || e.metaKey || e.altKey || e.defaultPrevented || typing(e.target)) return;
      const go = (href: string | null) => {
        if (!href) return;
        e.preventDefault();
        router.push(href);
      };
      if (Date.now() - pendingG.current < 1500) {
        pendingG.current = 0;
        const tab = links.tabs.find((t) => t.letter === e.key.toLowerCase());
        if (tab) go(tab.href);
        return;
      }
      switch (e.key) {
        case "j":
          return go(links.next);
        case "k":
          return go(links.previous);
        case "[":
          return go(links.parent);
        case "]":
          return go(links.firstChild);
        case "g":
          pendingG.current = Date.now();
          return;
        case "?":
          e.preventDefault();
          setHelp(true);
      }
    };
    document.addEventListener("keydown", onKey);
    setReady(accountId);
    return () => document.removeEventListener("keydown", onKey);
  }, [accountId, links, router]);

  useEffect(() => {
    const d = dialog.current;
    if (!d) return;
    if (help && !d.open) d.showModal();
    if (!help && d.open) d.close();
  }, [help]);

  const control = "rounded-md border border-slate-300 bg-white px-2 py-1 text-sm text-slate-700 hover:border-brand-500";
  const off = "rounded-md border border-slate-200 px-2 py-1 text-sm text-slate-400";
  const step = (href: string | null, label: string, key: string, testId: string) =>
    href ? (
      <Link href={href} className={control} aria-keyshortcuts={key} data-testid={testId}>
        {label}
      </Link>
    ) : (
      <span className={off} aria-disabled="true">
        {label}
      </span>
    );
  return (
    <nav aria-label="Account navigation" className="flex flex-wrap items-center gap-2" data-testid="profile-keys" data-ready={ready ?? undefined}>
      {links.previous || links.next ? (
        <>
          {step(links.previous, "← Previous in list", "k", "list-previous")}
          {step(links.next, "Next in list →", "j", "list-next")}
        </>
      ) : null}
      {step(links.parent, "↑ Parent", "[", "go-parent")}
      {step(links.firstChild, "↓ First sub-account", "]", "go-first-child")}
      <button type="button" className={control} onClick={() => setHelp(true)} aria-keyshortcuts="?">
        Keyboard shortcuts
      </button>
      <dialog
        ref={dialog}
        onClose={() => setHelp(false)}
        aria-labelledby="shortcuts-title"
        className="m-auto w-[min(28rem,calc(100vw-2rem))] rounded-xl border border-slate-200 p-0 shadow-2xl backdrop:bg-slate-900/40"
        data-testid="shortcut-help"
      >
        <div className="flex items-center justify-between border-b border-slate-200 px-4 py-3">
          <h2 id="shortcuts-title" className="font-semibold">
            Keyboard shortcuts
          </h2>
          <button type="button" onClick={() => setHelp(false)} className="rounded-md px-2 py-1 text-sm text-slate-700 hover:bg-slate-100">
            Close
          </button>
        </div>
        <dl className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-2 px-4 py-3 text-sm">
          {[
            ["Ctrl K / ⌘ K", "Command palette: jump to an account or contact, run a quick action, open a tab or page"],
            ["j / k", "Next / previous account of the list you came from"],
            ["[", "Up to the parent account"],
            ["]", "Down to the first sub-account"],
            ...links.tabs.map((t) => [`g then ${t.letter}`, `${t.label} tab`]),
            ["?", "This help"],
          ].map(([keys, what]) => (
            <div key={keys} className="contents">
              <dt>
                <kbd className="rounded border border-slate-300 bg-slate-50 px-1.5 py-0.5 font-mono text-xs">{keys}</kbd>
              </dt>
              <dd className="text-slate-700">{what}</dd>
            </div>
          ))}
        </dl>
        <p className="border-t border-slate-100 px-4 py-2 text-xs text-slate-500">Letters do nothing while you type in a field.</p>
      </dialog>
    </nav>
  );
}
