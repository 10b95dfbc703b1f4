"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { useEffect } from "react";
import { described, FieldError, FormStatus, inputClass, labelClass, SubmitButton, useActionForm } from "@/components/forms";
import { deleteViewAction, saveViewAction } from "./actions";

type View = { id: string; name: string; teamId: string | null; teamName: string | null; mine: boolean; ownerName: string };

/**
 * Saved views: links to the viewer's own and their teams' shared views, and a form that saves the
 * list as it is now (private or shared with one of the viewer's teams), or updates the view it
 * started from when that view is theirs.
 */
export function SavedViews({ views, current, query, teams }: { views: View[]; current: View | null; query: string; teams: { id: string; name: string }[] }) {
  const router = useRouter();
  const save = useActionForm(saveViewAction);
  const remove = useActionForm(deleteViewAction);
  useEffect(() => {
    if (save.result?.ok) router.push(`/accounts?view=${(save.result.data as { id: string }).id}`);
  }, [save.result, router]);
  useEffect(() => {
    if (remove.result?.ok) router.push("/accounts");
  }, [remove.result, router]);
  const id = (name: string) => `view-${name}`;
  return (
    <section aria-labelledby="saved-views-heading" className="rounded-lg border border-slate-200 bg-white p-4 text-sm" data-testid="saved-views">
      <h2 id="saved-views-heading" className="font-semibold">
        Saved views
      </h2>
      {views.length ? (
        <ul className="mt-2 flex flex-wrap gap-2">
          {views.map((v) => (
            <li key={v.id}>
              <Link
                href={`/accounts?view=${v.id}`}
                aria-current={current?.id === v.id ? "page" : undefined}
                className="inline-block rounded-full border border-slate-300 px-3 py-1 hover:border-brand-500 aria-[current=page]:border-brand-600 aria-[current=page]:bg-brand-50 aria-[current=page]:text-brand-800"
              >
                {v.name}
                <span className="ml-1 text-xs text-slate-500">{v.mine ? (v.teamName ? `· shared with ${v.teamName}` : "· private") : `· ${v.ownerName}, ${v.teamName}`}</span>
              </Link>
            </li>
          ))}
        </ul>
      ) : (
        <p className="mt-1 text-slate-600">No saved views yet: filter the list, then save it here.</p>
      )}
      <details className="mt-3" open={save.refused}>
        <summary className="cursor-pointer font-medium text-brand-700">{current?.mine ? `Save or update “${current.name}”` : "Save this view"}</summary>
        <form key={save.key} ref={save.formRef} action={save.dispatch} className="mt-2 flex flex-wrap items-end gap-3" aria-label="Save this view" noValidate>
          <FormStatus result={save.result} />
          <input type="hidden" name="query" value={query} />
          <div className="min-w-48 flex-1">
            <label htmlFor={id("name")} className={labelClass}>
              Name
            </label>
            <input id={id("name")} name="name" defaultValue={save.value("name", current?.mine ? current.name : "")} className={inputClass} {...described(save.result, "name", id("name"))} />
            <FieldError id={id("name")} result={save.result} field="name" />
          </div>
          <div>
            <label htmlFor={id("teamId")} className={labelClass}>
              Who sees it
            </label>
            <select id={id("teamId")} name="teamId" defaultValue={save.value("teamId", current?.mine ? (current.teamId ?? "") : "")} className={inputClass} {...described(save.result, "teamId", id("teamId"))}>
              <option value="">Only me</option>
              {teams.map((t) => (
                <option key={t.id} value={t.id}>
                  Shared with {t.name}
                </option>
              ))}
            </select>
            <FieldError id={id("teamId")} result={save.result} field="teamId" />
          </div>
          {current?.mine ? (
            <label className="flex items-center gap-1.5 py-1.5">
              <input type="checkbox" name="viewId" value={current.id} defaultChecked className="size-4" />
              Update “{current.name}” (untick to save a new view)
            </label>
          ) : null}
          <SubmitButton pending={save.pending}>Save view</SubmitButton>
        </form>
      </details>
      {current?.mine ? (
        <form key={`d${remove.key}`} ref={remove.formRef} action={remove.dispatch} className="mt-2" aria-label="Delete this view">
          <FormStatus result={remove.result} />
          <input type="hidden" name="viewId" value={current.id} />
          <button type="submit" className="text-sm text-red-700 underline" disabled={remove.pending}>
            Delete “{current.name}”
          </button>
        </form>
      ) : null}
    </section>
  );
}
