"use client";

import { useActionState, useState } from "react";
import { inputClass, labelClass, type ServerAction } from "@/components/forms";
import type { ActionResult } from "@/lib/actions/define";
import type { HealthRule, HealthSchemeDefinition } from "@/db/schema/health";
import type { PreviewRow } from "@/lib/health/admin";
import { TOUCHPOINT_TYPES } from "@/lib/health/rules";

type Kind = HealthRule["kind"];
type Dimension = HealthSchemeDefinition["dimensions"][number];

const KINDS: { kind: Kind; label: string }[] = [
  { kind: "usage", label: "Usage" },
  { kind: "adoption", label: "Adoption (modules in use)" },
  { kind: "engagement", label: "Engagement (touchpoints)" },
  { kind: "support", label: "Support tickets" },
  { kind: "sentiment", label: "Sentiment (NPS, CSAT)" },
  { kind: "renewal", label: "Renewal (days to contract end)" },
  { kind: "attribute", label: "An attribute" },
];

/** A new rule of a kind, with thresholds that make sense for it. */
function defaultRule(kind: Kind): HealthRule {
  switch (kind) {
    case "usage":
      return { kind, measure: "events", days: 30, basis: "absolute", poor: 10, good: 100 };
    case "adoption":
      return { kind, days: 30, poor: 25, good: 60 };
    case "engagement":
      return { kind, measure: "days_since", touchpointTypes: ["call", "meeting", "qbr"], poor: 60, good: 21 };
    case "support":
      return { kind, measure: "open", days: 30, poor: 5, good: 1 };
    case "sentiment":
      return { kind, survey: "nps", measure: "average", days: 180, poor: 0, good: 30 };
    case "renewal":
      return { kind, poor: 30, good: 120 };
    case "attribute":
      return { kind, key: "", measure: "number", poor: 0, good: 100 };
  }
}

type Param = { name: string; label: string } & ({ type: "number" } | { type: "text" } | { type: "select"; options: [string, string][] } | { type: "types" });
const PARAMS: Record<Kind, Param[]> = {
  usage: [
    { name: "measure", label: "Count", type: "select", options: [["events", "Events"], ["active_users", "Distinct active users"]] },
    { name: "days", label: "Over days", type: "number" },
    { name: "basis", label: "Basis", type: "select", options: [["absolute", "Absolute"], ["per_seat", "Per seat"], ["trend", "% of the previous period"]] },
    { name: "seatsAttribute", label: "Seats attribute (per seat)", type: "text" },
  ],
  adoption: [{ name: "days", label: "Over days", type: "number" }],
  engagement: [
    { name: "measure", label: "Measure", type: "select", options: [["days_since", "Days since the last touchpoint"], ["per_quarter", "Touchpoints per quarter"]] },
    { name: "touchpointTypes", label: "Kinds of touchpoint", type: "types" },
  ],
  support: [
    { name: "measure", label: "Measure", type: "select", options: [["open", "Open tickets"], ["urgent", "Open urgent tickets"], ["per_period", "Tickets opened per period"]] },
    { name: "days", label: "Period (days)", type: "number" },
  ],
  sentiment: [
    { name: "survey", label: "Survey", type: "select", options: [["nps", "NPS"], ["csat", "CSAT"]] },
    { name: "measure", label: "Measure", type: "select", options: [["latest", "Latest answer"], ["average", "Average (NPS score)"]] },
    { name: "days", label: "Over days", type: "number" },
  ],
  renewal: [],
  attribute: [
    { name: "key", label: "Attribute key", type: "text" },
    { name: "measure", label: "Read as", type: "select", options: [["number", "Its number"], ["days_since", "Days since the date"], ["days_until", "Days until the date"]] },
  ],
};

const num = (v: string) => (v.trim() === "" ? Number.NaN : Number(v));

/**
 * The scheme of one account type as a form: bands, how parents score, and each dimension's weight,
 * rule and thresholds. "Preview" scores 20 real accounts with it beside their current scores;
 * "Save" stores it as a new version. Errors come back under the path of the field they concern.
 */
export function SchemeEditor({
  accountTypeId,
  typeName,
  initial,
  preview,
  save,
}: {
  accountTypeId: string;
  typeName: string;
  initial: HealthSchemeDefinition;
  preview: ServerAction<PreviewRow[]>;
  save: ServerAction<{ version: number; accounts: number; typeName: string }>;
}) {
  const [scheme, setScheme] = useState<HealthSchemeDefinition>(initial);
  const [previewState, previewDispatch, previewing] = useActionState(async (prev: ActionResult<PreviewRow[]> | null, data: FormData) => preview(prev, data), null);
  const [saveState, saveDispatch, saving] = useActionState(async (prev: ActionResult<{ version: number; accounts: number; typeName: string }> | null, data: FormData) => save(prev, data), null);
  // The answer shown is the one of the button pressed last.
  const [pressed, setPressed] = useState<"preview" | "save" | null>(null);
  const last: ActionResult<unknown> | null = pressed === "save" ? saveState : pressed === "preview" ? previewState : null;
  const errors = last && !last.ok ? (last.fieldErrors ?? {}) : {};
  const id = `scheme-${accountTypeId}`;
  const errorOf = (path: string) => errors[path]?.join(" ");
  const setDim = (i: number, next: Partial<Dimension>) => setScheme((s) => ({ ...s, dimensions: s.dimensions.map((d, j) => (j === i ? { ...d, ...next } : d)) }));
  const setRule = (i: number, patch: Record<string, unknown>) => setDim(i, { rule: { ...scheme.dimensions[i].rule, ...patch } as HealthRule });

  const field = (path: string, label: string, control: React.ReactNode, controlId: string) => (
    <div>
      <label htmlFor={controlId} className={labelClass}>
        {label}
      </label>
      {control}
      {errorOf(path) ? (
        <p id={`${controlId}-error`} className="mt-1 text-sm text-red-800" data-testid="field-error">
          {errorOf(path)}
        </p>
      ) : null}
    </div>
  );
  const numberInput = (path: string, controlId: string, value: number | undefined, onChange: (v: number) => void) => (
    <input
      id={controlId}
      type="number"
      step="any"
      className={inputClass}
      defaultValue={value === undefined || Number.isNaN(value) ? "" : String(value)}
      aria-invalid={errorOf(path) ? true : undefined}
      aria-describedby={errorOf(path) ? `${controlId}-error` : undefined}
      onChange={(e) => onChange(num(e.target.value))}
    />
  );

  return (
    <form className="space-y-4" data-testid={`form-${id}`}>
      <input type="hidden" name="accountTypeId" value={accountTypeId} />
      <input type="hidden" name="definition" value={JSON.stringify(scheme, (_k, v) => (typeof v === "number" && Number.isNaN(v) ? null : v))} />
      <fieldset className="grid gap-3 sm:grid-cols-3">
        <legend className="sr-only">Overall bands of {typeName}</legend>
        {field("poorBelow", "Poor below", numberInput("poorBelow", `${id}-poorBelow`, scheme.poorBelow, (v) => setScheme((s) => ({ ...s, poorBelow: v }))), `${id}-poorBelow`)}
        {field("goodFrom", "Good from", numberInput("goodFrom", `${id}-goodFrom`, scheme.goodFrom, (v) => setScheme((s) => ({ ...s, goodFrom: v }))), `${id}-goodFrom`)}
        {field(
          "parentScoring",
          "A parent's own score",
          <select id={`${id}-parentScoring`} className={inputClass} value={scheme.parentScoring} onChange={(e) => setScheme((s) => ({ ...s, parentScoring: e.target.value as HealthSchemeDefinition["parentScoring"] }))}>
            <option value="none">From its own dimensions</option>
            <option value="children_equal">Mean of its children (equal weights)</option>
            <option value="children_arr">Mean of its children, weighted by ARR</option>
          </select>,
          `${id}-parentScoring`,
        )}
      </fieldset>

      {scheme.dimensions.map((d, i) => {
        const did = `${id}-dim-${i}`;
        return (
          <fieldset key={i} className="rounded-md border border-slate-200 p-3" data-testid={`dimension-${d.key || i}`}>
            <legend className="px-1 text-sm font-semibold text-slate-900">{d.label || `Dimension ${i + 1}`}</legend>
            <div className="grid gap-3 sm:grid-cols-4">
              {field(`dimensions.${i}.label`, "Label", <input id={`${did}-label`} className={inputClass} defaultValue={d.label} onChange={(e) => setDim(i, { label: e.target.value })} />, `${did}-label`)}
              {field(`dimensions.${i}.key`, "Key", <input id={`${did}-key`} className={inputClass} defaultValue={d.key} onChange={(e) => setDim(i, { key: e.target.value })} />, `${did}-key`)}
              {field(`dimensions.${i}.weight`, "Weight", numberInput(`dimensions.${i}.weight`, `${did}-weight`, d.weight, (v) => setDim(i, { weight: v })), `${did}-weight`)}
              {field(
                `dimensions.${i}.rule.kind`,
                "Rule",
                <select id={`${did}-kind`} className={inputClass} value={d.rule.kind} onChange={(e) => setDim(i, { rule: { ...defaultRule(e.target.value as Kind), poor: d.rule.poor, good: d.rule.good } as HealthRule })}>
                  {KINDS.map((k) => (
                    <option key={k.kind} value={k.kind}>
                      {k.label}
                    </option>
                  ))}
                </select>,
                `${did}-kind`,
              )}
              {PARAMS[d.rule.kind].map((p) => {
                const pid = `${did}-${p.name}`;
                const path = `dimensions.${i}.rule.${p.name}`;
                const value = (d.rule as Record<string, unknown>)[p.name];
                if (p.type === "types") {
                  const chosen = (value as string[]) ?? [];
                  return (
                    <fieldset key={`${d.rule.kind}-${p.name}`} className="sm:col-span-2">
                      <legend className={labelClass}>{p.label}</legend>
                      <div className="mt-1 flex flex-wrap gap-x-3 gap-y-1">
                        {TOUCHPOINT_TYPES.map((t) => (
                          <label key={t} className="flex items-center gap-1 text-sm text-slate-800">
                            <input type="checkbox" checked={chosen.includes(t)} onChange={(e) => setRule(i, { touchpointTypes: e.target.checked ? [...chosen, t] : chosen.filter((x) => x !== t) })} />
                            {t}
                          </label>
                        ))}
                      </div>
                      {errorOf(path) ? <p className="mt-1 text-sm text-red-800" data-testid="field-error">{errorOf(path)}</p> : null}
                    </fieldset>
                  );
                }
                const control =
                  p.type === "select" ? (
                    <select id={pid} className={inputClass} value={String(value ?? "")} onChange={(e) => setRule(i, { [p.name]: e.target.value })}>
                      {p.options.map(([v, l]) => (
                        <option key={v} value={v}>
                          {l}
                        </option>
                      ))}
                    </select>
                  ) : p.type === "number" ? (
                    numberInput(path, pid, value as number, (v) => setRule(i, { [p.name]: v }))
                  ) : (
                    <input id={pid} className={inputClass} defaultValue={String(value ?? "")} onChange={(e) => setRule(i, { [p.name]: e.target.value || undefined })} />
                  );
                return <div key={`${d.rule.kind}-${p.name}`}>{field(path, p.label, control, pid)}</div>;
              })}
              {field(`dimensions.${i}.rule.poor`, "Poor at", numberInput(`dimensions.${i}.rule.poor`, `${did}-poor`, d.rule.poor, (v) => setRule(i, { poor: v })), `${did}-poor`)}
              {field(`dimensions.${i}.rule.good`, "Good at", numberInput(`dimensions.${i}.rule.good`, `${did}-good`, d.rule.good, (v) => setRule(i, { good: v })), `${did}-good`)}
            </div>
            <button type="button" className="mt-2 text-sm text-red-800 underline underline-offset-2" onClick={() => setScheme((s) => ({ ...s, dimensions: s.dimensions.filter((_, j) => j !== i) }))}>
              Remove {d.label || "this dimension"}
            </button>
          </fieldset>
        );
      })}
      {errorOf("dimensions") ? <p className="text-sm text-red-800" data-testid="field-error">{errorOf("dimensions")}</p> : null}

      <div className="flex flex-wrap items-center gap-3">
        <button
          type="button"
          className="rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm text-slate-800 hover:bg-slate-50"
          onClick={() => setScheme((s) => ({ ...s, dimensions: [...s.dimensions, { key: `dimension_${s.dimensions.length + 1}`, label: `Dimension ${s.dimensions.length + 1}`, weight: 1, rule: defaultRule("usage") }] }))}
        >
          Add a dimension
        </button>
        <button type="submit" formAction={previewDispatch} onClick={() => setPressed("preview")} disabled={previewing} className="rounded-md border border-brand-700 bg-white px-3.5 py-1.5 text-sm font-medium text-brand-700 hover:bg-brand-50 disabled:opacity-60">
          {previewing ? "Scoring…" : "Preview on 20 accounts"}
        </button>
        <button type="submit" formAction={saveDispatch} onClick={() => setPressed("save")} disabled={saving} className="rounded-md bg-brand-700 px-3.5 py-1.5 text-sm font-medium text-white hover:bg-brand-600 disabled:opacity-60">
          {saving ? "Saving…" : "Save as a new version"}
        </button>
      </div>
      {last ? (
        last.ok ? (
          pressed === "save" ? (
            <p role="status" className="rounded-md bg-green-50 px-3 py-2 text-sm text-green-900" data-testid="form-success">
              {last.message ?? "Saved."}
            </p>
          ) : null
        ) : (
          <p role="alert" tabIndex={-1} className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-900" data-testid="form-error">
            {last.error}
          </p>
        )
      ) : null}
      {previewState?.ok ? <PreviewTable rows={previewState.data} /> : null}
    </form>
  );
}

function PreviewTable({ rows }: { rows: PreviewRow[] }) {
  if (!rows.length) return <p className="text-sm text-slate-700">No accounts of this type yet.</p>;
  const moved = rows.filter((r) => r.before?.band !== r.after?.band).length;
  return (
    <div className="overflow-x-auto" data-testid="health-preview">
      <table className="min-w-full text-sm">
        <caption className="text-left text-sm text-slate-700">
          Scored now with the current and the edited scheme: {moved} of {rows.length} accounts change band.
        </caption>
        <thead>
          <tr className="border-b border-slate-200 text-left text-xs uppercase tracking-wide text-slate-600">
            <th scope="col" className="py-1 pr-3">Account</th>
            <th scope="col" className="py-1 pr-3">Now</th>
            <th scope="col" className="py-1 pr-3">With this scheme</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.accountId} className="border-b border-slate-100" data-testid="preview-row" data-before={r.before?.band ?? "none"} data-after={r.after?.band ?? "none"}>
              <th scope="row" className="py-1 pr-3 text-left font-normal text-slate-900">{r.name}</th>
              <td className="py-1 pr-3 tabular-nums">{r.before ? `${Math.round(r.before.score)} · ${r.before.band}` : "no score"}</td>
              <td className={`py-1 pr-3 tabular-nums ${r.before?.band !== r.after?.band ? "font-semibold" : ""}`}>{r.after ? `${Math.round(r.after.score)} · ${r.after.band}` : "no score"}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
