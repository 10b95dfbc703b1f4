import Link from "next/link";
import { BANDS, BUILTIN_COLUMNS, SORTS, type ViewState } from "@/lib/views/state";

type Options = {
  types: { key: string; name: string }[];
  stages: { key: string; name: string }[];
  people: { id: string; name: string }[];
  roles: string[];
  attributes: { key: string; label: string; options: string[] | null }[];
};

const select = "mt-1 block w-full rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm";
const label = "block text-xs font-medium text-slate-600";
const RENEWALS = [30, 60, 90, 180, 365];
const QUIET = [14, 30, 60, 90];

/**
 * The list's filters, columns and sort as one GET form: submitting it is the new URL, so it works
 * without JavaScript and every state is a link. `from` remembers the saved view it started from.
 */
export function ViewFilters({ state, options, fromViewId, anyFilter }: { state: ViewState; options: Options; fromViewId?: string; anyFilter: boolean }) {
  const attribute = (key: string) => state.attributes.find((a) => a.key === key)?.value ?? "";
  const selectable = options.attributes.filter((a) => a.options?.length);
  return (
    <form className="space-y-3 rounded-lg border border-slate-200 bg-white p-4" role="search" aria-label="Account search" action="/accounts">
      {fromViewId ? <input type="hidden" name="from" value={fromViewId} /> : null}
      <div className="grid grid-cols-1 gap-3 sm:grid-cols-2 lg:grid-cols-4">
        <div>
          <label htmlFor="q" className={label}>
            Name or external id
          </label>
          <input id="q" name="q" type="search" defaultValue={state.q ?? ""} className="mt-1 block w-full rounded-md border border-slate-300 px-3 py-1.5 text-sm" />
        </div>
        <div>
          <label htmlFor="type" className={label}>
            Type
          </label>
          <select id="type" name="type" defaultValue={state.type ?? ""} className={select}>
            <option value="">All types</option>
            {options.types.map((t) => (
              <option key={t.key} value={t.key}>
                {t.name}
              </option>
            ))}
          </select>
        </div>
        <div>
          <label htmlFor="health" className={label}>
            Health
          </label>
          <select id="health" name="health" defaultValue={state.health.join(",")} className={select}>
            <option value="">Any health</option>
            {BANDS.map((b) => (
              <option key={b} value={b}>
                {b[0].toUpperCase() + b.slice(1)}
              </option>
            ))}
            <option value="average,poor">Average or poor</option>
          </select>
        </div>
        <div>
          <label htmlFor="stage" className={label}>
            Journey stage
          </label>
          <select id="stage" name="stage" defaultValue={state.stage ?? ""} className={select}>
            <option value="">Any stage</option>
            {options.stages.map((s) => (
              <option key={s.key} value={s.key}>
                {s.name}
              </option>
            ))}
          </select>
        </div>
        <div>
          <label htmlFor="user" className={label}>
            Assigned to
          </label>
          <select id="user" name="user" defaultValue={state.user ?? ""} className={select}>
            <option value="">Anyone</option>
            <option value="me">Me (whoever opens the view)</option>
            {options.people.map((p) => (
              <option key={p.id} value={p.id}>
                {p.name}
              </option>
            ))}
          </select>
        </div>
        <div>
          <label htmlFor="role" className={label}>
            As
          </label>
          <select id="role" name="role" defaultValue={state.role ?? ""} className={select}>
            <option value="">Any role</option>
            {options.roles.map((r) => (
              <option key={r} value={r}>
                {r}
              </option>
            ))}
          </select>
        </div>
        <div>
          <label htmlFor="renewal" className={label}>
            Renewal within
          </label>
          <select id="renewal" name="renewal" defaultValue={state.renewal?.toString() ?? ""} className={select}>
            <option value="">Any time</option>
            {RENEWALS.map((d) => (
              <option key={d} value={d}>
                {d} days
              </option>
            ))}
          </select>
        </div>
        <div>
          <label htmlFor="quiet" className={label}>
            No touchpoint for
          </label>
          <select id="quiet" name="quiet" defaultValue={state.quiet?.toString() ?? ""} className={select}>
            <option value="">Any</option>
            {QUIET.map((d) => (
              <option key={d} value={d}>
                {d}+ days
              </option>
            ))}
          </select>
        </div>
        {selectable.map((a) => (
          <div key={a.key}>
            <label htmlFor={`a-${a.key}`} className={label}>
              {a.label}
            </label>
            <select id={`a-${a.key}`} name={`a.${a.key}`} defaultValue={attribute(a.key)} className={select}>
              <option value="">Any</option>
              {a.options!.map((o) => (
                <option key={o} value={o}>
                  {o}
                </option>
              ))}
            </select>
          </div>
        ))}
        <div>
          <label htmlFor="sort" className={label}>
            Sort by
          </label>
          <select id="sort" name="sort" defaultValue={`${state.desc ? "-" : ""}${state.sort}`} className={select}>
            {Object.entries(SORTS).flatMap(([key, name]) =>
              key === "level"
                ? [
                    <option key={key} value={key}>
                      {name}
                    </option>,
                  ]
                : [
                    <option key={key} value={key}>
                      {name} ↑
                    </option>,
                    <option key={`-${key}`} value={`-${key}`}>
                      {name} ↓
                    </option>,
                  ],
            )}
          </select>
        </div>
      </div>
      {state.under || state.parent ? <input type="hidden" name={state.under ? "under" : "parent"} value={state.under ?? state.parent} /> : null}
      <details className="text-sm">
        <summary className="cursor-pointer font-medium text-slate-700">Columns ({state.columns.length})</summary>
        <fieldset className="mt-2 flex flex-wrap gap-x-4 gap-y-1">
          <legend className="sr-only">Columns</legend>
          {[...Object.entries(BUILTIN_COLUMNS), ...options.attributes.map((a) => [`a.${a.key}`, a.label] as const)].map(([key, name]) => (
            <label key={key} className="flex items-center gap-1.5">
              <input type="checkbox" name="col" value={key} defaultChecked={state.columns.includes(key as never)} className="size-4" />
              {name}
            </label>
          ))}
        </fieldset>
      </details>
      <div className="flex flex-wrap items-center gap-3">
        <button type="submit" className="rounded-md bg-brand-600 px-4 py-1.5 text-sm font-medium text-white hover:bg-brand-700">
          Search
        </button>
        {anyFilter ? (
          <Link href="/accounts" className="py-1.5 text-sm text-slate-600 underline">
            Clear
          </Link>
        ) : null}
      </div>
    </form>
  );
}
