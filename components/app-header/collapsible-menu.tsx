"use client";

import { usePathname } from "next/navigation";
import { useEffect, useId, useRef, useState, type ReactNode } from "react";

/**
 * Navigation that is always shown from `md` up and, on narrower screens, folds behind one button.
 * Used by the app's top bar (its menu) and the admin shell (its sections). It closes on navigation,
 * on Escape (focus back to the button), on a tap outside it and when focus leaves it.
 */
export function CollapsibleMenu({
  buttonLabel,
  buttonContent,
  panelClassName,
  children,
}: {
  /** The button's accessible name, e.g. "Menu". */
  buttonLabel: string;
  /** What the button shows (defaults to a ☰ icon). */
  buttonContent?: ReactNode;
  /** Classes of the panel: its layout from `md` up, and on phones while open. */
  panelClassName: string;
  children: ReactNode;
}) {
  const [open, setOpen] = useState(false);
  const pathname = usePathname();
  const panelId = useId();
  const button = useRef<HTMLButtonElement>(null);
  const root = useRef<HTMLDivElement>(null);

  useEffect(() => setOpen(false), [pathname]);
  useEffect(() => {
    if (!open) return;
    const closeOutside = (e: PointerEvent) => {
      if (!root.current?.contains(e.target as Node)) setOpen(false);
    };
    document.addEventListener("pointerdown", closeOutside);
    return () => document.removeEventListener("pointerdown", closeOutside);
  }, [open]);

  return (
    <div
      ref={root}
      className="contents"
      onKeyDown={(e) => {
        if (e.key === "Escape" && open) {
          setOpen(false);
          button.current?.focus();
        }
      }}
      onBlur={(e) => {
        if (open && !root.current?.contains(e.relatedTarget as Node | null) && e.relatedTarget) setOpen(false);
      }}
    >
      <button
        ref={button}
        type="button"
        aria-expanded={open}
        aria-controls={panelId}
        aria-label={buttonContent ? undefined : buttonLabel}
        onClick={() => setOpen((o) => !o)}
        className="flex min-h-10 min-w-10 shrink-0 items-center justify-center gap-1.5 rounded-md border border-slate-300 bg-white px-2 text-sm font-medium text-slate-800 hover:border-brand-500 md:hidden"
      >
        {buttonContent ?? <MenuIcon open={open} />}
      </button>
      <div id={panelId} className={`${open ? "max-md:flex" : "max-md:hidden"} ${panelClassName}`}>
        {children}
      </div>
    </div>
  );
}

function MenuIcon({ open }: { open: boolean }) {
  return (
    <svg aria-hidden="true" viewBox="0 0 20 20" className="h-5 w-5" fill="none" stroke="currentColor" strokeWidth={1.8} strokeLinecap="round">
      {open ? <path d="M5 5l10 10M15 5L5 15" /> : <path d="M3 5.5h14M3 10h14M3 14.5h14" />}
    </svg>
  );
}
