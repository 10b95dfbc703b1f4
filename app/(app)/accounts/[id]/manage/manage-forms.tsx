"use client";

import { useRouter } from "next/navigation";
import { useEffect } from "react";
import type { ActionResult } from "@/lib/actions/define";
import { described, FieldError, FormStatus, inputClass, labelClass, SubmitButton, useActionForm } from "@/components/forms";
import { archiveAccountAction, createSubAccountAction, deleteAccountAction, mergeAccountsAction, moveAccountAction, renameAccountAction, restoreAccountAction } from "./actions";

export function RenameForm({ accountId, name }: { accountId: string; name: string }) {
  const form = useActionForm(renameAccountAction);
  return (
    <form key={form.key} ref={form.formRef} action={form.dispatch} className="mt-2 space-y-2" aria-label="Rename" noValidate>
      <input type="hidden" name="accountId" value={accountId} />
      <FormStatus result={form.result} />
      <label htmlFor="rename-name" className={labelClass}>Name</label>
      <input id="rename-name" name="name" maxLength={200} defaultValue={form.value("name", name)} className={inputClass} {...described(form.result, "name", "rename-name")} />
      <FieldError id="rename-name" result={form.result} field="name" />
      <SubmitButton pending={form.pending}>Rename</SubmitButton>
    </form>
  );
}

/** The move picker: only the parents the rules allow are offered; the server checks again. */
export function MoveForm({ accountId, parents, topLevel }: { accountId: string; parents: { id: string; label: string }[]; topLevel: boolean }) {
  const form = useActionForm(moveAccountAction);
  return (
    <form key={form.key} ref={form.formRef} action={form.dispatch} className="mt-2 space-y-2" aria-label="Move" noValidate>
      <input type="hidden" name="accountId" value={accountId} />
      <FormStatus result={form.result} />
      <label htmlFor="move-parent" className={labelClass}>New parent</label>
      <select id="move-parent" name="parentId" defaultValue={form.value("parentId")} className={inputClass} {...described(form.result, "parentId", "move-parent")}>
        <option value="">{topLevel ? "Top of the hierarchy" : "Choose…"}</option>
        {parents.map((p) => (
          <option key={p.id} value={p.id}>
            {p.label}
          </option>
        ))}
      </select>
      <FieldError id="move-parent" result={form.result} field="parentId" />
      <SubmitButton pending={form.pending} pendingLabel="Moving…">Move</SubmitButton>
    </form>
  );
}

export function CreateSubAccountForm({ parentId, types }: { parentId: string; types: { id: string; name: string }[] }) {
  const form = useActionForm(createSubAccountAction);
  return (
    <form key={form.key} ref={form.formRef} action={form.dispatch} className="mt-2 space-y-2" aria-label="Add a sub-account" noValidate>
      <input type="hidden" name="parentId" value={parentId} />
      <FormStatus result={form.result} />
      <div className="grid gap-2 sm:grid-cols-2">
        <div>
          <label htmlFor="sub-type" className={labelClass}>Type</label>
          <select id="sub-type" name="typeId" defaultValue={form.value("typeId", types[0]?.id)} className={inputClass} {...described(form.result, "typeId", "sub-type")}>
            {types.map((t) => (
              <option key={t.id} value={t.id}>{t.name}</option>
            ))}
          </select>
          <FieldError id="sub-type" result={form.result} field="typeId" />
        </div>
        <div>
          <label htmlFor="sub-name" className={labelClass}>Name</label>
          <input id="sub-name" name="name" maxLength={200} defaultValue={form.value("name")} className={inputClass} {...described(form.result, "name", "sub-name")} />
          <FieldError id="sub-name" result={form.result} field="name" />
        </div>
      </div>
      <SubmitButton pending={form.pending} pendingLabel="Creating…">Create sub-account</SubmitButton>
    </form>
  );
}

export function ArchiveForm({ accountId, name }: { accountId: string; name: string }) {
  const form = useActionForm(archiveAccountAction);
  const router = useRouter();
  useEffect(() => {
    if (form.result?.ok) router.push(`/accounts/${accountId}`);
  }, [form.result, router, accountId]);
  return (
    <form action={form.dispatch} className="mt-2 space-y-2" aria-label="Archive" noValidate>
      <input type="hidden" name="accountId" value={accountId} />
      <FormStatus result={form.result} />
      <ConfirmBox id="archive-confirm" result={form.result} label={`Yes, archive ${name}`} />
      <SubmitButton pending={form.pending} pendingLabel="Archiving…">Archive</SubmitButton>
    </form>
  );
}

export function DeleteForm({ accountId, name }: { accountId: string; name: string }) {
  const form = useActionForm(deleteAccountAction);
  const router = useRouter();
  useEffect(() => {
    if (form.result?.ok) router.push("/accounts");
  }, [form.result, router]);
  return (
    <form action={form.dispatch} className="mt-2 space-y-2" aria-label="Delete" onSubmit={(e) => { if (!window.confirm(`Delete ${name} for good?`)) e.preventDefault(); }}>
      <input type="hidden" name="accountId" value={accountId} />
      <FormStatus result={form.result} />
      <button type="submit" className="rounded-md bg-red-700 px-3.5 py-1.5 text-sm font-medium text-white hover:bg-red-600">Delete {name}</button>
    </form>
  );
}

type FormResult = ActionResult<unknown> | null;

/** A confirmation checkbox (`confirm=on`); the server refuses the action without it. */
function ConfirmBox({ id, result, label }: { id: string; result: FormResult; label: string }) {
  return (
    <div>
      <label className="flex items-center gap-2 text-sm text-slate-800">
        <input id={id} type="checkbox" name="confirm" className="size-4" {...described(result, "confirm", id)} />
        {label}
      </label>
      <FieldError id={id} result={result} field="confirm" />
    </div>
  );
}

/** Merge a duplicate of the same type into this account: pick it, confirm, merge. */
export function MergeForm({ accountId, name, candidates }: { accountId: string; name: string; candidates: { id: string; label: string }[] }) {
  const form = useActionForm(mergeAccountsAction);
  return (
    <form key={form.key} ref={form.formRef} action={form.dispatch} className="mt-2 space-y-2" aria-label="Merge" noValidate>
      <input type="hidden" name="accountId" value={accountId} />
      <FormStatus result={form.result} />
      <label htmlFor="merge-duplicate" className={labelClass}>Duplicate to merge into {name}</label>
      <select id="merge-duplicate" name="mergedId" defaultValue={form.value("mergedId")} className={inputClass} {...described(form.result, "mergedId", "merge-duplicate")}>
        <option value="">Choose…</option>
        {candidates.map((c) => (
          <option key={c.id} value={c.id}>
            {c.label}
          </option>
        ))}
      </select>
      <FieldError id="merge-duplicate" result={form.result} field="mergedId" />
      <ConfirmBox id="merge-confirm" result={form.result} label={`Yes, move everything to ${name} and delete the duplicate`} />
      <SubmitButton pending={form.pending} pendingLabel="Merging…">Merge</SubmitButton>
    </form>
  );
}

/** On an archived account's banner: restore it (and the sub-accounts archived with it). */
export function RestoreForm({ accountId }: { accountId: string }) {
  const form = useActionForm(restoreAccountAction);
  const router = useRouter();
  useEffect(() => {
    if (form.result?.ok) router.refresh();
  }, [form.result, router]);
  return (
    <form action={form.dispatch} className="space-y-2" aria-label="Restore">
      <input type="hidden" name="accountId" value={accountId} />
      <FormStatus result={form.result} />
      <SubmitButton pending={form.pending} pendingLabel="Restoring…">Restore</SubmitButton>
    </form>
  );
}
