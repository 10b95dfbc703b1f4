"use client";

import { useRouter } from "next/navigation";
import type { FormEvent } from "react";

type Option = { value: string; label: string };
type GroupedOption = Option & { group: string };

export type TimelineFilterFormProps = {
  action: string;
  tabKey: string;
  kinds: Option[];
  selectedKinds: string[];
  authors: Option[];
  selectedAuthor?: string;
  /** Sub-accounts to filter child activity by; omitted on accounts without any. */
  childAccounts?: GroupedOption[];
  selectedChild?: string;
  from?: string;
  to?: string;
  clearHref: string;
};

/**
 * A GET form, so it works without JavaScript; with JavaScript the chosen kinds are joined into one
 * `kind=a,b` parameter, which is how profile URLs carry them.
 */
export function TimelineFilterForm(props: TimelineFilterFormProps) {
  const router = useRouter();

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    const params = new URLSearchParams();
    params.set("tab", props.tabKey);
    const kinds = data.getAll("kind").map(String).filter(Boolean);
    if (kinds.length) params.set("kind", kinds.join(","));
    for (const name of ["author", "child", "from", "to"]) {
      const value = String(data.get(name) ?? "");
      if (value) params.set(name, value);
    }
    // Commas are legal in a query string; keeping them readable makes pasted links easier to read.
    router.push(`${props.action}?${params.toString().replace(/%2C/gi, ",")}`);
  }

  const control = "mt-1 block w-full rounded-md border border-slate-300 bg-white px-2 py-1.5 text-sm text-slate-900";
  return (
    <form method="get" action={props.action} onSubmit={onSubmit} className="space-y-3 rounded-lg border border-slate-200 bg-white p-4" aria-label="Timeline filters">
      <input type="hidden" name="tab" value={props.tabKey} />
      <fieldset>
        <legend className="text-xs font-medium text-slate-700">Kinds</legend>
        <div className="mt-1 grid grid-cols-1 gap-1 sm:grid-cols-2 lg:grid-cols-1">
          {props.kinds.map((kind) => (
            <label key={kind.value} className="flex items-center gap-2 text-sm text-slate-800">
              <input type="checkbox" name="kind" value={kind.value} defaultChecked={props.selectedKinds.includes(kind.value)} className="h-4 w-4 accent-brand-600" />
              {kind.label}
            </label>
          ))}
        </div>
      </fieldset>
      <label className="block text-xs font-medium text-slate-700">
        Author
        <select name="author" defaultValue={props.selectedAuthor ?? ""} className={control}>
          <option value="">Anyone</option>
          {props.authors.map((a) => (
            <option key={a.value} value={a.value}>
              {a.label}
            </option>
          ))}
        </select>
      </label>
      {props.childAccounts && props.childAccounts.length ? (
        <label className="block text-xs font-medium text-slate-700">
          Sub-account
          <select name="child" defaultValue={props.selectedChild ?? ""} className={control}>
            <option value="">This account and all sub-accounts</option>
            {groupsOf(props.childAccounts).map(([group, options]) => (
              <optgroup key={group} label={group}>
                {options.map((c) => (
                  <option key={c.value} value={c.value}>
                    {c.label}
                  </option>
                ))}
              </optgroup>
            ))}
          </select>
        </label>
      ) : null}
      <div className="grid grid-cols-2 gap-2">
        <label className="block text-xs font-medium text-slate-700">
          From
          <input type="date" name="from" defaultValue={props.from ?? ""} className={control} />
        </label>
        <label className="block text-xs font-medium text-slate-700">
          To
          <input type="date" name="to" defaultValue={props.to ?? ""} className={control} />
        </label>
      </div>
      <div className="flex items-center gap-3">
        <button type="submit" className="rounded-md bg-brand-600 px-3 py-1.5 text-sm font-medium text-white hover:bg-brand-700">
          Apply filters
        </button>
        <a href={props.clearHref} className="text-sm text-brand-700 underline underline-offset-2">
          Clear
        </a>
      </div>
    </form>
  );
}

/** Options grouped by their group label, groups in order of first appearance. */
function groupsOf(options: GroupedOption[]): [string, GroupedOption[]][] {
  const groups = new Map<string, GroupedOption[]>();
  for (const option of options) {
    const list = groups.get(option.group);
    if (list) list.push(option);
    else groups.set(option.group, [option]);
  }
  return [...groups.entries()];
}
