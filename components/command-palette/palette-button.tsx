"use client";

import { lazy, Suspense, useEffect, useState } from "react";

/** The palette itself (and cmdk) load on first open, so no page carries them until they are used. */
const PaletteDialog = lazy(() => import("./palette-dialog"));

export type PalettePage = { href: string; label: string };

/**
 * The header's "Search or jump… ⌘K" button and the Ctrl+K / ⌘K shortcut (which works anywhere,
 * even while typing: it is a chord, not a letter). `pages` are the places the viewer may open
 * (admin pages only for admins), decided on the server.
 */
export function PaletteButton({ pages }: { pages: PalettePage[] }) {
  const [open, setOpen] = useState(false);
  const [loaded, setLoaded] = useState(false);
  const [ready, setReady] = useState(false);
  useEffect(() => {
    setReady(true);
    const onKey = (e: KeyboardEvent) => {
      if ((e.ctrlKey || e.metaKey) && !e.altKey && e.key.toLowerCase() === "k") {
        e.preventDefault();
        setLoaded(true);
        setOpen((o) => !o);
      }
    };
    const onOpen = () => {
      setLoaded(true);
      setOpen(true);
    };
    document.addEventListener("keydown", onKey);
    document.addEventListener("command-palette:open", onOpen);
    return () => {
      document.removeEventListener("keydown", onKey);
      document.removeEventListener("command-palette:open", onOpen);
    };
  }, []);
  return (
    <>
      <button
        type="button"
        onClick={() => {
          setLoaded(true);
          setOpen(true);
        }}
        onPointerEnter={() => setLoaded(true)}
        aria-keyshortcuts="Control+K Meta+K"
        className="flex min-h-10 shrink-0 items-center gap-2 rounded-md border border-slate-300 bg-white px-2.5 text-sm text-slate-600 hover:border-brand-500 md:order-last md:min-h-0 md:py-1.5"
        data-testid="palette-button"
        data-ready={ready || undefined}
      >
        <svg aria-hidden="true" viewBox="0 0 20 20" className="h-4 w-4" fill="none" stroke="currentColor" strokeWidth={1.8} strokeLinecap="round">
          <circle cx="8.5" cy="8.5" r="5.5" />
          <path d="M13 13l4 4" />
        </svg>
        <span className="max-md:sr-only">Jump to…</span>
        <kbd className="rounded border border-slate-200 px-1 text-xs text-slate-500 max-md:hidden">Ctrl K</kbd>
      </button>
      {loaded ? (
        <Suspense fallback={null}>
          <PaletteDialog open={open} onOpenChange={setOpen} pages={pages} />
        </Suspense>
      ) : null}
    </>
  );
}
