"use client";

import { Command } from "cmdk";
import { usePathname, useRouter } from "next/navigation";
import { useEffect, useMemo, useState } from "react";
import type { PalettePage } from "./palette-button";

type Found = {
  accounts: { id: string; name: string; typeName: string; externalId: string | null }[];
  contacts: { id: string; name: string; detail: string }[];
};

/** What the current page offers, read from its own controls, so the palette never offers more than the page does. */
type PageCommand = { id: string; label: string; run: () => void };

const PROFILE = /^\/accounts\/[0-9a-f-]{36}$/i;
const DEBOUNCE_MS = 200;

function pageCommands(pathname: string, router: ReturnType<typeof useRouter>): { actions: PageCommand[]; tabs: PageCommand[] } {
  if (!PROFILE.test(pathname)) return { actions: [], tabs: [] };
  const actions = [...document.querySelectorAll<HTMLButtonElement>('[data-testid="quick-actions"] button[aria-controls^="qa-panel-"]')].map((button) => ({
    id: `action-${button.getAttribute("aria-controls")}`,
    label: button.textContent?.trim() ?? "",
    run: () => {
      if (button.getAttribute("aria-expanded") !== "true") button.click();
    },
  }));
  const tabs = [...document.querySelectorAll<HTMLAnchorElement>('nav[aria-label="Profile tabs"] a')].map((a) => ({
    id: `tab-${a.getAttribute("href")}`,
    label: `${a.textContent?.trim()} tab`,
    run: () => router.push(a.getAttribute("href")!),
  }));
  return { actions, tabs };
}

const matches = (label: string, q: string) => label.toLowerCase().includes(q.trim().toLowerCase());

/**
 * The command palette (cmdk in its dialog): jump to an account or contact (server search, debounced),
 * run one of the current profile's quick actions, open one of its tabs, or open a page.
 */
export default function PaletteDialog({ open, onOpenChange, pages }: { open: boolean; onOpenChange: (open: boolean) => void; pages: PalettePage[] }) {
  const router = useRouter();
  const pathname = usePathname();
  const [q, setQ] = useState("");
  const [found, setFound] = useState<Found | null>(null);
  const [searching, setSearching] = useState(false);
  // eslint-disable-next-line react-hooks/exhaustive-deps -- re-read the page's controls each time the palette opens
  const commands = useMemo(() => (open ? pageCommands(pathname, router) : { actions: [], tabs: [] }), [open, pathname]);

  useEffect(() => {
    if (!open) setQ("");
  }, [open]);
  useEffect(() => {
    const words = q.trim();
    if (!words) {
      setFound(null);
      return;
    }
    const controller = new AbortController();
    setSearching(true);
    const timer = setTimeout(async () => {
      try {
        const res = await fetch(`/api/search?q=${encodeURIComponent(words)}`, { signal: controller.signal });
        if (res.ok) setFound(await res.json());
      } catch {
        // Aborted by the next keystroke, or offline: the list stays as it was.
      } finally {
        if (!controller.signal.aborted) setSearching(false);
      }
    }, DEBOUNCE_MS);
    return () => {
      clearTimeout(timer);
      controller.abort();
    };
  }, [q]);

  const go = (run: () => void) => {
    onOpenChange(false);
    run();
  };
  const item = "flex cursor-pointer items-center justify-between gap-3 rounded-md px-3 py-2 text-sm text-slate-800 aria-selected:bg-brand-50 aria-selected:text-brand-800";
  const group = "px-1 py-1 text-slate-500 [&_[cmdk-group-heading]]:px-2 [&_[cmdk-group-heading]]:py-1 [&_[cmdk-group-heading]]:text-xs [&_[cmdk-group-heading]]:font-semibold [&_[cmdk-group-heading]]:uppercase";
  const actions = commands.actions.filter((c) => matches(c.label, q));
  const tabs = commands.tabs.filter((c) => matches(c.label, q));
  const places = pages.filter((p) => matches(p.label, q));

  return (
    <Command.Dialog
      open={open}
      onOpenChange={onOpenChange}
      label="Command palette"
      shouldFilter={false}
      overlayClassName="fixed inset-0 z-50 bg-slate-900/40"
      contentClassName="fixed inset-x-3 top-[10vh] z-50 mx-auto max-w-xl overflow-hidden rounded-xl border border-slate-200 bg-white shadow-2xl"
    >
      <Command.Input
        value={q}
        onValueChange={setQ}
        placeholder="Jump to an account or contact, or type a command…"
        className="w-full border-b border-slate-200 px-4 py-3 text-base outline-none"
        aria-label="Search accounts, contacts and commands"
      />
      <Command.List className="max-h-[60vh] overflow-y-auto p-1" data-testid="palette-list">
        {searching && !found ? <Command.Loading>Searching…</Command.Loading> : null}
        <Command.Empty className="px-3 py-6 text-center text-sm text-slate-600">{q.trim() ? (searching ? "Searching…" : "Nothing found.") : "Type a name."}</Command.Empty>
        {found?.accounts.length ? (
          <Command.Group heading="Accounts" className={group}>
            {found.accounts.map((a) => (
              <Command.Item key={a.id} value={`account-${a.id}`} onSelect={() => go(() => router.push(`/accounts/${a.id}`))} className={item}>
                <span>{a.name}</span>
                <span className="text-xs text-slate-500">
                  {a.typeName}
                  {a.externalId ? ` · ${a.externalId}` : ""}
                </span>
              </Command.Item>
            ))}
          </Command.Group>
        ) : null}
        {found?.contacts.length ? (
          <Command.Group heading="Contacts" className={group}>
            {found.contacts.map((c) => (
              <Command.Item key={c.id} value={`contact-${c.id}`} onSelect={() => go(() => router.push(`/contacts/${c.id}`))} className={item}>
                <span>{c.name}</span>
                <span className="text-xs text-slate-500">{c.detail}</span>
              </Command.Item>
            ))}
          </Command.Group>
        ) : null}
        {actions.length ? (
          <Command.Group heading="Quick actions on this account" className={group}>
            {actions.map((c) => (
              <Command.Item key={c.id} value={c.id} onSelect={() => go(c.run)} className={item}>
                {c.label}
              </Command.Item>
            ))}
          </Command.Group>
        ) : null}
        {tabs.length ? (
          <Command.Group heading="Tabs" className={group}>
            {tabs.map((c) => (
              <Command.Item key={c.id} value={c.id} onSelect={() => go(c.run)} className={item}>
                {c.label}
              </Command.Item>
            ))}
          </Command.Group>
        ) : null}
        {places.length ? (
          <Command.Group heading="Pages" className={group}>
            {places.map((p) => (
              <Command.Item key={p.href} value={`page-${p.href}`} onSelect={() => go(() => router.push(p.href))} className={item}>
                {p.label}
              </Command.Item>
            ))}
          </Command.Group>
        ) : null}
      </Command.List>
    </Command.Dialog>
  );
}
