import { arrayMove } from "@dnd-kit/sortable";
import type { LayoutFieldGroup } from "@/db/schema";
import type { LayoutOptions } from "@/lib/layouts/catalog";
import { button, input } from "./editor-shared";

/** Field groups of the account type's attributes, as the header's “All” view shows them. */
export function FieldGroupsPanel({
  groups,
  options,
  onChange,
  persist,
}: {
  groups: LayoutFieldGroup[] | undefined;
  options: LayoutOptions;
  onChange: (groups: LayoutFieldGroup[] | undefined, save?: boolean) => void;
  persist: () => void;
}) {
  const fromType = (): LayoutFieldGroup[] => {
    const out: LayoutFieldGroup[] = [];
    for (const a of options.attributes) {
      const name = a.group ?? "Other";
      let group = out.find((g) => g.name === name);
      if (!group) out.push((group = { name, featured: a.groupFeatured, attributes: [] }));
      group.attributes.push(a.key);
    }
    return out;
  };
  const label = new Map(options.attributes.map((a) => [a.key, a.label]));
  const set = (i: number, patch: Partial<LayoutFieldGroup>, save = true) => onChange(groups!.map((g, j) => (j === i ? { ...g, ...patch } : g)), save);
  return (
    <div className="rounded-md border border-slate-200 p-3">
      <h3 className="text-sm font-semibold text-slate-800">Field groups</h3>
      <p className="text-xs text-slate-600">
        How the header&apos;s “All” view groups the {options.accountType.name} attributes: featured groups first, the rest under “Show full list”.
      </p>
      {!groups ? (
        <div className="mt-2 flex items-center gap-2">
          <p className="text-sm text-slate-700">Uses the account type&apos;s own field groups.</p>
          <button type="button" className={button} onClick={() => onChange(fromType())}>
            Customize for this layout
          </button>
        </div>
      ) : (
        <div className="mt-2 space-y-3">
          {groups.map((g, i) => {
            const elsewhere = new Map(groups.flatMap((other, j) => (j === i ? [] : other.attributes.map((k) => [k, other.name] as const))));
            return (
              <fieldset key={i} className="rounded-md border border-slate-200 p-2" data-testid="field-group">
                <legend className="sr-only">Field group {g.name}</legend>
                <div className="flex flex-wrap items-end gap-2">
                  <label className="text-xs text-slate-700">
                    Group name
                    <input className={input} value={g.name} maxLength={60} onChange={(e) => set(i, { name: e.target.value }, false)} onBlur={persist} />
                  </label>
                  <label className="text-xs text-slate-700">
                    Shown
                    <select className={input} value={g.featured ? "featured" : "full"} onChange={(e) => set(i, { featured: e.target.value === "featured" })}>
                      <option value="featured">Featured (always shown)</option>
                      <option value="full">Under “Show full list”</option>
                    </select>
                  </label>
                  <button type="button" className={button} disabled={i === 0} onClick={() => onChange(arrayMove(groups, i, i - 1))} aria-label={`Move group ${g.name} up`}>
                    ↑
                  </button>
                  <button type="button" className={button} disabled={i === groups.length - 1} onClick={() => onChange(arrayMove(groups, i, i + 1))} aria-label={`Move group ${g.name} down`}>
                    ↓
                  </button>
                  <button type="button" className={button} onClick={() => onChange(groups.filter((_, j) => j !== i))} aria-label={`Remove group ${g.name}`}>
                    Remove group
                  </button>
                </div>
                <ul className="mt-2 grid gap-1 sm:grid-cols-3 lg:grid-cols-4">
                  {options.attributes.map((a) => (
                    <li key={a.key} className="flex items-center gap-1.5 text-xs">
                      <input
                        type="checkbox"
                        id={`group-${i}-${a.key}`}
                        checked={g.attributes.includes(a.key)}
                        disabled={elsewhere.has(a.key)}
                        onChange={(e) => set(i, { attributes: e.target.checked ? [...g.attributes, a.key] : g.attributes.filter((k) => k !== a.key) })}
                      />
                      <label htmlFor={`group-${i}-${a.key}`} className={elsewhere.has(a.key) ? "text-slate-500" : "text-slate-800"}>
                        {a.label}
                        {elsewhere.has(a.key) ? ` (in ${elsewhere.get(a.key)})` : ""}
                      </label>
                    </li>
                  ))}
                </ul>
                {g.attributes.filter((k) => !label.has(k)).map((k) => (
                  <p key={k} className="text-xs text-amber-900">
                    “{k}” no longer exists.{" "}
                    <button type="button" className="underline" onClick={() => set(i, { attributes: g.attributes.filter((x) => x !== k) })}>
                      Remove it
                    </button>
                  </p>
                ))}
              </fieldset>
            );
          })}
          <div className="flex gap-2">
            <button type="button" className={button} onClick={() => onChange([...groups, { name: `Group ${groups.length + 1}`, featured: false, attributes: [] }])}>
              + Field group
            </button>
            <button type="button" className={button} onClick={() => onChange(undefined)}>
              Use the account type&apos;s groups
            </button>
          </div>
        </div>
      )}
    </div>
  );
}
