"use client";

import { addLinkAssetAction } from "@/app/(app)/accounts/[id]/actions";
import { described, FieldError, FormStatus, inputClass, labelClass, SubmitButton, useActionForm } from "@/components/forms";

/** A link asset: a document kept elsewhere, by name and http(s) address. */
export function LinkAssetForm({ accountId }: { accountId: string }) {
  const form = useActionForm(addLinkAssetAction);
  const { result } = form;
  const id = (name: string) => `link-${name}`;
  return (
    <form key={form.key} ref={form.formRef} action={form.dispatch} className="space-y-3" aria-label="Add a link" noValidate>
      <input type="hidden" name="accountId" value={accountId} />
      <FormStatus result={result} />
      <div className="grid gap-3 sm:grid-cols-2">
        <div>
          <label htmlFor={id("name")} className={labelClass}>
            Link name
          </label>
          <input id={id("name")} name="name" required maxLength={200} defaultValue={form.value("name")} className={inputClass} {...described(result, "name", id("name"))} />
          <FieldError id={id("name")} result={result} field="name" />
        </div>
        <div>
          <label htmlFor={id("url")} className={labelClass}>
            Address (URL)
          </label>
          <input
            id={id("url")}
            name="url"
            type="url"
            inputMode="url"
            required
            placeholder="https://"
            defaultValue={form.value("url")}
            className={inputClass}
            {...described(result, "url", id("url"))}
          />
          <FieldError id={id("url")} result={result} field="url" />
        </div>
      </div>
      <SubmitButton pending={form.pending} pendingLabel="Adding…">
        Add link
      </SubmitButton>
    </form>
  );
}
