"use client";

import { useId, useMemo, useRef, useState } from "react";
import { inputClass } from "@/components/forms";
import { renderMentions } from "@/lib/mentions/tokens";

export type Mentionable = { id: string; name: string };

const QUERY = /(^|\s)@([^\s@<>]{0,40})$/;

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** "@Name" of each picked colleague back to the `<@id>` token the server stores. */
function toTokens(text: string, picked: ReadonlyMap<string, string>): string {
  const byLongestName = [...picked.entries()].sort((a, b) => b[1].length - a[1].length);
  let out = text;
  for (const [id, name] of byLongestName) out = out.replace(new RegExp(`@${escapeRegExp(name)}(?![\\w])`, "g"), `<@${id}>`);
  return out;
}

/**
 * A textarea that takes @mentions: typing "@" and part of a name offers the colleagues who can see
 * this account (the only people the server accepts); picking one writes "@Name" in the text and
 * the form submits it as a `<@id>` token under `name`. A name no such colleague matches is refused
 * here, before the server refuses it too.
 */
export function MentionEditor({
  id,
  name,
  colleagues,
  defaultValue = "",
  rows = 4,
  onLengthChange,
  describedBy,
  invalid,
}: {
  id: string;
  name: string;
  colleagues: readonly Mentionable[];
  /** Stored form (with `<@id>` tokens), e.g. the submitted value after a refusal. */
  defaultValue?: string;
  rows?: number;
  onLengthChange?: (length: number) => void;
  describedBy?: string;
  invalid?: boolean;
}) {
  const names = useMemo(() => new Map(colleagues.map((c) => [c.id.toLowerCase(), c.name])), [colleagues]);
  const [text, setText] = useState(() => renderMentions(defaultValue, names));
  const [picked, setPicked] = useState<Map<string, string>>(() => {
    const initial = new Map<string, string>();
    for (const m of defaultValue.matchAll(/<@([0-9a-f-]{36})>/gi)) {
      const known = names.get(m[1].toLowerCase());
      if (known) initial.set(m[1].toLowerCase(), known);
    }
    return initial;
  });
  const [query, setQuery] = useState<string | null>(null);
  const [active, setActive] = useState(0);
  const area = useRef<HTMLTextAreaElement>(null);
  const listId = useId();
  const noticeId = `${id}-mention-notice`;

  const matches = useMemo(() => {
    if (query === null) return [];
    const q = query.toLowerCase();
    return colleagues.filter((c) => c.name.toLowerCase().split(/\s+/).some((part) => part.startsWith(q)) || c.name.toLowerCase().startsWith(q)).slice(0, 6);
  }, [query, colleagues]);
  const open = query !== null && matches.length > 0;
  const refused = query !== null && query.length >= 2 && matches.length === 0;

  function update(value: string, caret: number) {
    setText(value);
    onLengthChange?.(value.length);
    const found = QUERY.exec(value.slice(0, caret));
    setQuery(found ? found[2] : null);
    setActive(0);
  }

  function pick(colleague: Mentionable) {
    const el = area.current;
    const caret = el?.selectionStart ?? text.length;
    const before = text.slice(0, caret).replace(QUERY, (_, space: string) => `${space}@${colleague.name} `);
    const value = before + text.slice(caret);
    setText(value);
    onLengthChange?.(value.length);
    setPicked((p) => new Map(p).set(colleague.id.toLowerCase(), colleague.name));
    setQuery(null);
    requestAnimationFrame(() => {
      el?.focus();
      el?.setSelectionRange(before.length, before.length);
    });
  }

  return (
    <div className="relative">
      <textarea
        ref={area}
        id={id}
        rows={rows}
        value={text}
        // A textarea keeps its textbox role (ARIA in HTML allows no other); the list is tied to it.
        aria-autocomplete="list"
        aria-controls={listId}
        aria-activedescendant={open ? `${listId}-${matches[active]?.id}` : undefined}
        aria-invalid={invalid || refused || undefined}
        aria-describedby={[describedBy, refused ? noticeId : undefined].filter(Boolean).join(" ") || undefined}
        onChange={(e) => update(e.currentTarget.value, e.currentTarget.selectionStart)}
        onKeyDown={(e) => {
          if (!open) return;
          if (e.key === "ArrowDown") {
            e.preventDefault();
            setActive((a) => (a + 1) % matches.length);
          } else if (e.key === "ArrowUp") {
            e.preventDefault();
            setActive((a) => (a - 1 + matches.length) % matches.length);
          } else if (e.key === "Enter" || e.key === "Tab") {
            e.preventDefault();
            pick(matches[active]);
          } else if (e.key === "Escape") {
            e.preventDefault();
            setQuery(null);
          }
        }}
        onBlur={() => setTimeout(() => setQuery(null), 150)}
        className={inputClass}
      />
      <input type="hidden" name={name} value={toTokens(text, picked)} />
      <ul
        id={listId}
        role="listbox"
        aria-label="Colleagues who can see this account"
        hidden={!open}
        className="absolute left-0 z-20 mt-1 max-h-56 w-full max-w-sm overflow-auto rounded-md border border-slate-300 bg-white py-1 shadow-lg"
      >
        {matches.map((c, i) => (
          <li
            key={c.id}
            id={`${listId}-${c.id}`}
            role="option"
            aria-selected={i === active}
            onMouseDown={(e) => {
              e.preventDefault();
              pick(c);
            }}
            className={`cursor-pointer px-3 py-1.5 text-sm ${i === active ? "bg-brand-50 text-brand-900" : "text-slate-800"}`}
          >
            @{c.name}
          </li>
        ))}
      </ul>
      {refused ? (
        <p id={noticeId} role="alert" className="mt-1 text-sm text-red-800" data-testid="mention-refused">
          Nobody who can see this account matches “@{query}”: only they can be mentioned here.
        </p>
      ) : null}
    </div>
  );
}
