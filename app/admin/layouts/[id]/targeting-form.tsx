"use client";

import { useActionState, useState } from "react";
import type { LayoutCriterion } from "@/db/schema";
import type { LayoutOptions } from "@/lib/layouts/catalog";
import { ActionMessage } from "../layout-list-actions";
import { saveTargetingAction } from "../actions";

type Props = {
  layout: { id: string; name: string; teamId: string | null; priority: number; criteria: LayoutCriterion[] };
  options: LayoutOptions;
};

const input = "mt-1 block w-full rounded-md border border-slate-300 px-2 py-1.5 text-sm";
const small = "rounded-md border border-slate-300 bg-white px-2 py-1 text-xs font-medium text-slate-800 hover:bg-slate-50 disabled:opacity-50";

/** Name, team, priority and ordered conditions: which accounts and viewers this layout is for. */
export function TargetingForm({ layout, options }: Props) {
  const [state, save, pending] = useActionState(saveTargetingAction, null);
  const [criteria, setCriteria] = useState<LayoutCriterion[]>(layout.criteria);
  const errors = (field: string) => (state && !state.ok ? state.fieldErrors?.[field] : undefined);

  const blank = (kind: LayoutCriterion["kind"]): LayoutCriterion => {
    if (kind === "stage") {
      const l = options.lifecycles[0];
      return { kind, lifecycleKey: l?.key ?? "", stageKey: l?.stages[0]?.key ?? "" };
    }
    if (kind === "attribute") {
      const a = options.attributes[0];
      return { kind, attributeKey: a?.key ?? "", equals: a?.options?.[0] ?? "" };
    }
    return { kind, teamId: options.teams[0]?.id ?? "" };
  };
  const set = (i: number, c: LayoutCriterion) => setCriteria(criteria.map((x, j) => (j === i ? c : x)));
  const move = (i: number, by: number) => {
    const next = [...criteria];
    [next[i], next[i + by]] = [next[i + by], next[i]];
    setCriteria(next);
  };

  return (
    <section aria-labelledby="targeting-heading" className="rounded-lg border border-slate-200 bg-white p-4">
      <h2 id="targeting-heading" className="text-lg font-semibold text-slate-900">
        Which profiles use it
      </h2>
      <p className="mt-1 text-sm text-slate-700">
        {options.accountType.name} profiles. Saved at once (not part of the draft); it takes effect for the published version.
      </p>
      <form action={save} className="mt-3 space-y-3">
        <input type="hidden" name="id" value={layout.id} />
        <input type="hidden" name="criteria" value={JSON.stringify(criteria)} />
        <div className="grid gap-3 sm:grid-cols-3">
          <label className="text-sm text-slate-800">
            Name
            <input name="name" defaultValue={layout.name} required maxLength={80} className={input} />
            {errors("name") ? <span className="text-xs text-red-800">{errors("name")!.join(" ")}</span> : null}
          </label>
          <label className="text-sm text-slate-800">
            For team
            <select name="teamId" defaultValue={layout.teamId ?? ""} className={input}>
              <option value="">Everyone</option>
              {options.teams.map((t) => (
                <option key={t.id} value={t.id}>
                  {t.name}
                </option>
              ))}
            </select>
            {errors("teamId")?.length ? <span className="text-xs text-red-800">{errors("teamId")!.join(" ")}</span> : null}
          </label>
          <label className="text-sm text-slate-800">
            Priority (lower is tried first)
            <input name="priority" type="number" min={0} max={100000} defaultValue={layout.priority} className={input} />
            {errors("priority") ? <span className="text-xs text-red-800">{errors("priority")!.join(" ")}</span> : null}
          </label>
        </div>
        <fieldset className="rounded-md border border-slate-200 p-3">
          <legend className="px-1 text-sm font-medium text-slate-800">Conditions (all must match)</legend>
          {criteria.length === 0 ? <p className="text-sm text-slate-600">None: every {options.accountType.name} matches.</p> : null}
          <ol className="space-y-2">
            {criteria.map((c, i) => (
              <li key={i} className="flex flex-wrap items-end gap-2" data-testid="criterion">
                <span className="pb-1.5 text-sm tabular-nums text-slate-600">{i + 1}.</span>
                <label className="text-xs text-slate-700">
                  Kind
                  <select value={c.kind} onChange={(e) => set(i, blank(e.target.value as LayoutCriterion["kind"]))} className={input}>
                    <option value="stage">Lifecycle stage</option>
                    <option value="attribute">Attribute value</option>
                    <option value="team">Viewer&apos;s team</option>
                  </select>
                </label>
                {c.kind === "stage" ? (
                  <>
                    <label className="text-xs text-slate-700">
                      Lifecycle
                      <select
                        value={c.lifecycleKey}
                        onChange={(e) => {
                          const l = options.lifecycles.find((x) => x.key === e.target.value);
                          set(i, { ...c, lifecycleKey: e.target.value, stageKey: l?.stages[0]?.key ?? "" });
                        }}
                        className={input}
                      >
                        {options.lifecycles.map((l) => (
                          <option key={l.key} value={l.key}>
                            {l.name}
                          </option>
                        ))}
                      </select>
                    </label>
                    <label className="text-xs text-slate-700">
                      Stage
                      <select value={c.stageKey} onChange={(e) => set(i, { ...c, stageKey: e.target.value })} className={input}>
                        {(options.lifecycles.find((l) => l.key === c.lifecycleKey)?.stages ?? []).map((s) => (
                          <option key={s.key} value={s.key}>
                            {s.name}
                          </option>
                        ))}
                      </select>
                    </label>
                  </>
                ) : c.kind === "attribute" ? (
                  <AttributeCondition criterion={c} options={options} onChange={(next) => set(i, next)} />
                ) : (
                  <label className="text-xs text-slate-700">
                    Team
                    <select value={c.teamId} onChange={(e) => set(i, { ...c, teamId: e.target.value })} className={input}>
                      {options.teams.map((t) => (
                        <option key={t.id} value={t.id}>
                          {t.name}
                        </option>
                      ))}
                    </select>
                  </label>
                )}
                <button type="button" className={small} disabled={i === 0} onClick={() => move(i, -1)} aria-label={`Move condition ${i + 1} up`}>
                  ↑
                </button>
                <button type="button" className={small} disabled={i === criteria.length - 1} onClick={() => move(i, 1)} aria-label={`Move condition ${i + 1} down`}>
                  ↓
                </button>
                <button type="button" className={small} onClick={() => setCriteria(criteria.filter((_, j) => j !== i))} aria-label={`Remove condition ${i + 1}`}>
                  Remove
                </button>
              </li>
            ))}
          </ol>
          <div className="mt-2 flex gap-2">
            <button type="button" className={small} onClick={() => setCriteria([...criteria, blank("stage")])} disabled={!options.lifecycles.length}>
              + Stage condition
            </button>
            <button type="button" className={small} onClick={() => setCriteria([...criteria, blank("attribute")])} disabled={!options.attributes.length}>
              + Attribute condition
            </button>
            <button type="button" className={small} onClick={() => setCriteria([...criteria, blank("team")])}>
              + Team condition
            </button>
          </div>
          {errors("criteria")?.length ? (
            <ul className="mt-2 list-disc pl-5 text-xs text-red-800">
              {errors("criteria")!.map((e) => (
                <li key={e}>{e}</li>
              ))}
            </ul>
          ) : null}
        </fieldset>
        <div className="flex items-center gap-3">
          <button type="submit" disabled={pending} className="rounded-md bg-brand-700 px-3 py-1.5 text-sm font-medium text-white hover:bg-brand-600 disabled:opacity-50">
            Save who it applies to
          </button>
          <ActionMessage state={state && state.ok ? state : state ? { ok: false, error: state.error } : null} />
        </div>
      </form>
    </section>
  );
}

function AttributeCondition({
  criterion,
  options,
  onChange,
}: {
  criterion: Extract<LayoutCriterion, { kind: "attribute" }>;
  options: LayoutOptions;
  onChange: (c: LayoutCriterion) => void;
}) {
  const attribute = options.attributes.find((a) => a.key === criterion.attributeKey);
  const valueInput = (() => {
    if (attribute?.options?.length) {
      return (
        <select value={String(criterion.equals)} onChange={(e) => onChange({ ...criterion, equals: e.target.value })} className={input}>
          {attribute.options.map((o) => (
            <option key={o} value={o}>
              {o}
            </option>
          ))}
        </select>
      );
    }
    if (attribute?.dataType === "boolean") {
      return (
        <select value={String(criterion.equals)} onChange={(e) => onChange({ ...criterion, equals: e.target.value === "true" })} className={input}>
          <option value="true">Yes</option>
          <option value="false">No</option>
        </select>
      );
    }
    const numeric = attribute && ["number", "currency", "percent", "integer"].includes(attribute.dataType);
    return (
      <input
        type={numeric ? "number" : "text"}
        value={String(criterion.equals)}
        onChange={(e) => onChange({ ...criterion, equals: numeric && e.target.value !== "" ? Number(e.target.value) : e.target.value })}
        className={input}
      />
    );
  })();
  return (
    <>
      <label className="text-xs text-slate-700">
        Attribute
        <select
          value={criterion.attributeKey}
          onChange={(e) => {
            const a = options.attributes.find((x) => x.key === e.target.value);
            onChange({ ...criterion, attributeKey: e.target.value, equals: a?.options?.[0] ?? (a?.dataType === "boolean" ? true : "") });
          }}
          className={input}
        >
          {options.attributes.map((a) => (
            <option key={a.key} value={a.key}>
              {a.label}
            </option>
          ))}
        </select>
      </label>
      <label className="text-xs text-slate-700">
        equals
        {valueInput}
      </label>
    </>
  );
}
