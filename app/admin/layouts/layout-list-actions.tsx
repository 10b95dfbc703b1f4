"use client";

import { useActionState } from "react";
import type { ActionResult } from "@/lib/actions/define";
import { createLayoutAction, deleteLayoutAction, duplicateLayoutAction, moveLayoutAction } from "./actions";

const button = "rounded-md border border-slate-300 bg-white px-2 py-1 text-xs font-medium text-slate-800 hover:bg-slate-50 disabled:opacity-50";

export function ActionMessage({ state }: { state: ActionResult<unknown> | null }) {
  if (!state) return null;
  if (state.ok) return <p role="status" className="text-xs text-green-800">{state.message ?? "Saved."}</p>;
  const details = Object.values(state.fieldErrors ?? {}).flat();
  return (
    <div role="alert" className="rounded-md bg-red-50 px-2 py-1 text-xs text-red-800">
      <p>{state.error}</p>
      {details.length ? (
        <ul className="mt-1 list-disc pl-4">
          {details.map((d) => (
            <li key={d}>{d}</li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}

/** Move, duplicate and delete for one row of the layouts list. */
export function LayoutRowActions({ id, name, first, last }: { id: string; name: string; first: boolean; last: boolean }) {
  const [moveState, move, moving] = useActionState(moveLayoutAction, null);
  const [duplicateState, duplicate, duplicating] = useActionState(duplicateLayoutAction, null);
  const [deleteState, remove, deleting] = useActionState(deleteLayoutAction, null);
  return (
    <div className="space-y-1">
      <div className="flex flex-wrap gap-1">
        <form action={move}>
          <input type="hidden" name="id" value={id} />
          <input type="hidden" name="direction" value="up" />
          <button type="submit" className={button} disabled={first || moving} aria-label={`Try “${name}” earlier`}>
            ↑ Earlier
          </button>
        </form>
        <form action={move}>
          <input type="hidden" name="id" value={id} />
          <input type="hidden" name="direction" value="down" />
          <button type="submit" className={button} disabled={last || moving} aria-label={`Try “${name}” later`}>
            ↓ Later
          </button>
        </form>
        <form action={duplicate}>
          <input type="hidden" name="id" value={id} />
          <button type="submit" className={button} disabled={duplicating} aria-label={`Duplicate “${name}”`}>
            Duplicate
          </button>
        </form>
        <form
          action={remove}
          onSubmit={(e) => {
            if (!window.confirm(`Delete the layout “${name}” and its version history?`)) e.preventDefault();
          }}
        >
          <input type="hidden" name="id" value={id} />
          <button type="submit" className={`${button} text-red-800`} disabled={deleting} aria-label={`Delete “${name}”`}>
            Delete
          </button>
        </form>
      </div>
      <ActionMessage state={moveState ?? duplicateState ?? deleteState} />
    </div>
  );
}

export function CreateLayoutForm({ types, teams }: { types: { id: string; name: string }[]; teams: { id: string; name: string }[] }) {
  const [state, create, pending] = useActionState(createLayoutAction, null);
  const errors = (field: string) => (state && !state.ok ? state.fieldErrors?.[field] : undefined);
  const input = "mt-1 block w-full rounded-md border border-slate-300 px-2 py-1.5 text-sm";
  return (
    <form action={create} className="grid gap-3 sm:grid-cols-4 sm:items-end">
      <label className="text-sm text-slate-800">
        Name
        <input name="name" required maxLength={80} className={input} aria-invalid={Boolean(errors("name"))} />
        {errors("name") ? <span className="text-xs text-red-800">{errors("name")!.join(" ")}</span> : null}
      </label>
      <label className="text-sm text-slate-800">
        Account type
        <select name="accountTypeId" required className={input} aria-invalid={Boolean(errors("accountTypeId"))}>
          {types.map((t) => (
            <option key={t.id} value={t.id}>
              {t.name}
            </option>
          ))}
        </select>
        {errors("accountTypeId") ? <span className="text-xs text-red-800">{errors("accountTypeId")!.join(" ")}</span> : null}
      </label>
      <label className="text-sm text-slate-800">
        For team (optional)
        <select name="teamId" className={input}>
          <option value="">Everyone</option>
          {teams.map((t) => (
            <option key={t.id} value={t.id}>
              {t.name}
            </option>
          ))}
        </select>
      </label>
      <div>
        <button type="submit" disabled={pending} className="rounded-md bg-brand-700 px-3 py-1.5 text-sm font-medium text-white hover:bg-brand-600 disabled:opacity-50">
          Create layout
        </button>
      </div>
      <div className="sm:col-span-4">
        <ActionMessage state={state} />
      </div>
    </form>
  );
}
