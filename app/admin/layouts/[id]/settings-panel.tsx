import { useState } from "react";
import type { LayoutWidget } from "@/db/schema";
import type { LayoutOptions } from "@/lib/layouts/catalog";
import { button, input, SETTING_LABELS, type JsonSchema, type PaletteWidget } from "./editor-shared";

const typeOf = (s: JsonSchema): string | undefined => (Array.isArray(s.type) ? s.type.find((t) => t !== "null") : s.type);

/** A placed widget's settings, a form generated from the widget's settings schema. */
export function SettingsPanel({
  placement,
  widget,
  options,
  onSave,
  onClose,
}: {
  placement: LayoutWidget;
  widget: PaletteWidget | undefined;
  options: LayoutOptions;
  onSave: (settings: Record<string, unknown>) => void;
  onClose: () => void;
}) {
  const [values, setValues] = useState<Record<string, unknown>>(placement.settings ?? {});
  if (!widget) {
    return <p className="rounded-md border border-amber-300 bg-amber-50 p-3 text-sm text-amber-900">The widget “{placement.widget}” no longer exists: remove it.</p>;
  }
  const properties = Object.entries(widget.settings.properties ?? {});
  const set = (key: string, value: unknown) => setValues((v) => ({ ...v, [key]: value }));
  const clean = () => Object.fromEntries(Object.entries(values).filter(([, v]) => v !== "" && v !== undefined && !(typeof v === "number" && Number.isNaN(v))));
  return (
    <form
      className="space-y-3 rounded-md border border-brand-500 p-3"
      aria-label={`Settings of ${widget.title}`}
      onSubmit={(e) => {
        e.preventDefault();
        onSave(clean());
      }}
    >
      <h3 className="text-sm font-semibold text-slate-800">Settings of {widget.title}</h3>
      {properties.length === 0 ? <p className="text-sm text-slate-600">This widget has no settings.</p> : null}
      {properties.map(([key, schema]) => {
        const label = SETTING_LABELS[key] ?? schema.title ?? key;
        const id = `setting-${placement.id}-${key}`;
        const type = typeOf(schema);
        const hint = schema.description ? <span className="block text-xs text-slate-600">{schema.description}</span> : null;
        if (schema.input === "attributes" || (type === "array" && key === "attributes")) {
          const chosen = Array.isArray(values[key]) ? (values[key] as string[]) : [];
          return (
            <fieldset key={key}>
              <legend className="text-xs font-medium text-slate-700">{schema.title ?? label}</legend>
              {hint}
              <ul className="mt-1 grid gap-1 sm:grid-cols-3">
                {options.attributes.map((a) => (
                  <li key={a.key} className="flex items-center gap-1.5 text-sm">
                    <input
                      type="checkbox"
                      id={`${id}-${a.key}`}
                      checked={chosen.includes(a.key)}
                      onChange={(e) => set(key, e.target.checked ? [...chosen, a.key] : chosen.filter((k) => k !== a.key))}
                    />
                    <label htmlFor={`${id}-${a.key}`}>{a.label}</label>
                  </li>
                ))}
              </ul>
              {chosen.filter((k) => !options.attributes.some((a) => a.key === k)).map((k) => (
                <p key={k} className="text-xs text-amber-900">
                  “{k}” no longer exists.{" "}
                  <button type="button" className="underline" onClick={() => set(key, chosen.filter((x) => x !== k))}>
                    Remove it
                  </button>
                </p>
              ))}
            </fieldset>
          );
        }
        if (key === "collection") {
          const current = String(values[key] ?? schema.default ?? "");
          return (
            <label key={key} htmlFor={id} className="block text-xs font-medium text-slate-700">
              {label}
              <select id={id} className={input} value={current} onChange={(e) => set(key, e.target.value)}>
                {options.collections.some((c) => c.key === current) ? null : <option value={current}>{current} (missing)</option>}
                {options.collections.map((c) => (
                  <option key={c.key} value={c.key}>
                    {c.name}
                  </option>
                ))}
              </select>
            </label>
          );
        }
        if (schema.enum) {
          return (
            <label key={key} htmlFor={id} className="block text-xs font-medium text-slate-700">
              {label}
              <select id={id} className={input} value={String(values[key] ?? schema.default ?? "")} onChange={(e) => set(key, e.target.value)}>
                {schema.enum.map((v) => (
                  <option key={String(v)} value={String(v)}>
                    {String(v)}
                  </option>
                ))}
              </select>
            </label>
          );
        }
        if (type === "boolean") {
          return (
            <label key={key} className="flex items-center gap-2 text-sm text-slate-800">
              <input type="checkbox" checked={Boolean(values[key] ?? schema.default)} onChange={(e) => set(key, e.target.checked)} />
              {label}
            </label>
          );
        }
        if (type === "number" || type === "integer") {
          return (
            <label key={key} htmlFor={id} className="block text-xs font-medium text-slate-700">
              {label}
              {schema.minimum !== undefined && schema.maximum !== undefined ? ` (${schema.minimum}–${schema.maximum})` : ""}
              <input
                id={id}
                type="number"
                className={input}
                min={schema.minimum}
                max={schema.maximum}
                step={type === "integer" ? 1 : "any"}
                placeholder={schema.default !== undefined ? String(schema.default) : undefined}
                value={values[key] === undefined ? "" : String(values[key])}
                onChange={(e) => set(key, e.target.value === "" ? undefined : Number(e.target.value))}
              />
            </label>
          );
        }
        if (type === "string") {
          return (
            <label key={key} htmlFor={id} className="block text-xs font-medium text-slate-700">
              {label}
              <input
                id={id}
                className={input}
                maxLength={schema.maxLength}
                placeholder={key === "title" ? widget.title : schema.default !== undefined ? String(schema.default) : undefined}
                value={String(values[key] ?? "")}
                onChange={(e) => set(key, e.target.value)}
              />
              {hint}
            </label>
          );
        }
        return (
          <p key={key} className="text-xs text-slate-600">
            {label}: not editable here.
          </p>
        );
      })}
      <div className="flex gap-2">
        <button type="submit" className="rounded-md bg-brand-700 px-3 py-1.5 text-sm font-medium text-white hover:bg-brand-600">
          Apply settings
        </button>
        <button type="button" className={button} onClick={onClose}>
          Close
        </button>
      </div>
    </form>
  );
}
