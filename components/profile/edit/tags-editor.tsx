"use client";

import { addTagAction, removeTagAction } from "@/app/(app)/accounts/[id]/actions";
import { described, FieldError, FormStatus, inputClass, labelClass, useActionForm } from "@/components/forms";

/** Free tags: each with a remove button, and a form to add one (existing tags are suggested). */
export function TagsEditor({ accountId, tags, suggestions }: { accountId: string; tags: { id: string; name: string }[]; suggestions: string[] }) {
  const add = useActionForm(addTagAction);
  const remove = useActionForm(removeTagAction);
  return (
    <div className="space-y-3">
      <FormStatus result={remove.result} />
      {tags.length === 0 ? (
        <p className="text-sm text-slate-600">No tags yet.</p>
      ) : (
        <ul className="flex flex-wrap gap-1.5" aria-label="Tags">
          {tags.map((t) => (
            <li key={t.id} className="inline-flex items-center gap-1 rounded-full bg-slate-100 py-0.5 pr-1 pl-2.5 text-sm text-slate-800" data-testid="tag">
              {t.name}
              <form action={remove.dispatch}>
                <input type="hidden" name="accountId" value={accountId} />
                <input type="hidden" name="tagId" value={t.id} />
                <button type="submit" disabled={remove.pending} className="rounded-full px-1.5 text-slate-600 hover:bg-slate-200 hover:text-slate-900">
                  <span aria-hidden="true">×</span>
                  <span className="sr-only">Remove tag {t.name}</span>
                </button>
              </form>
            </li>
          ))}
        </ul>
      )}
      <form key={add.key} ref={add.formRef} action={add.dispatch} className="space-y-2" aria-label="New tag" noValidate>
        <input type="hidden" name="accountId" value={accountId} />
        <FormStatus result={add.result} />
        <label htmlFor="tag-name" className={labelClass}>
          Add a tag
        </label>
        <div className="flex flex-wrap items-start gap-2">
          <input
            id="tag-name"
            name="name"
            list="tag-suggestions"
            maxLength={40}
            defaultValue={add.value("name")}
            className={`${inputClass.replace("w-full", "w-64")} mt-0`}
            {...described(add.result, "name", "tag-name")}
          />
          <datalist id="tag-suggestions">
            {suggestions.map((s) => (
              <option key={s} value={s} />
            ))}
          </datalist>
          <button type="submit" disabled={add.pending} className="rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm font-medium text-slate-800 hover:bg-slate-50">
            Add tag
          </button>
        </div>
        <FieldError id="tag-name" result={add.result} field="name" />
      </form>
    </div>
  );
}
