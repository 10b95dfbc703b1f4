"use client";

import { useState, useTransition } from "react";
import { searchContactsAction } from "@/app/(app)/accounts/[id]/actions";
import { Field, FormStatus, SubmitButton, useActionForm } from "@/components/forms";
import type { ContactMatch } from "@/lib/dal/contacts";
import { mergeContactsAction, updateContactAction } from "./actions";

const disclosure = "rounded-lg border border-slate-200 bg-white px-5 py-3";
const summary = "cursor-pointer text-sm font-medium text-brand-700";

type Details = { id: string; name: string; email: string | null; title: string | null; phone: string | null };

/** Name, email, title and phone of the contact. */
export function EditContactForm({ contact }: { contact: Details }) {
  const form = useActionForm(updateContactAction);
  const { result } = form;
  const id = (name: string) => `edit-contact-${name}`;
  return (
    <details className={disclosure} open={form.refused || undefined}>
      <summary className={summary}>Edit details</summary>
      <form key={form.key} ref={form.formRef} action={form.dispatch} className="mt-2 space-y-2" aria-label="Edit contact details" noValidate>
        <input type="hidden" name="contactId" value={contact.id} />
        <FormStatus result={result} />
        <div className="grid gap-2 sm:grid-cols-2">
          <Field id={id("name")} name="name" label="Name" result={result}>
            {(control) => <input {...control} defaultValue={form.value("name", contact.name)} />}
          </Field>
          <Field id={id("email")} name="email" label="Email" result={result}>
            {(control) => <input {...control} type="email" defaultValue={form.value("email", contact.email ?? "")} />}
          </Field>
          <Field id={id("title")} name="title" label="Title" result={result}>
            {(control) => <input {...control} defaultValue={form.value("title", contact.title ?? "")} />}
          </Field>
          <Field id={id("phone")} name="phone" label="Phone" result={result}>
            {(control) => <input {...control} type="tel" defaultValue={form.value("phone", contact.phone ?? "")} />}
          </Field>
        </div>
        <SubmitButton pending={form.pending}>Save details</SubmitButton>
      </form>
    </details>
  );
}

/**
 * Pick a duplicate of this contact (found by name or email) and merge it into this one: its
 * accounts, touchpoints, usage, campaigns and survey answers move here, and it is deleted.
 */
export function MergeContactForm({ contact }: { contact: Details }) {
  const form = useActionForm(mergeContactsAction);
  const { result } = form;
  const [matches, setMatches] = useState<ContactMatch[] | null>(null);
  const [searching, startSearch] = useTransition();
  const id = (name: string) => `merge-contact-${name}`;
  const search = (words: string) => {
    if (words.trim().length < 2) return setMatches(null);
    startSearch(async () => {
      const data = new FormData();
      data.set("q", words);
      data.set("excludeContactId", contact.id);
      const found = await searchContactsAction(null, data);
      setMatches(found.ok ? found.data : []);
    });
  };
  const duplicateError = result && !result.ok ? result.fieldErrors?.duplicateId : undefined;
  return (
    <details className={disclosure} open={form.refused || undefined}>
      <summary className={summary}>Merge a duplicate into this contact</summary>
      <form key={form.key} ref={form.formRef} action={form.dispatch} className="mt-2 space-y-2" aria-label="Merge a duplicate contact" noValidate>
        <input type="hidden" name="contactId" value={contact.id} />
        <FormStatus result={result} />
        <p className="text-sm text-slate-700">
          The duplicate&apos;s accounts, touchpoints, usage, campaigns, tickets and survey answers move to {contact.name}; details {contact.name} lacks are taken
          from it; then the duplicate is deleted. This cannot be undone.
        </p>
        <Field id={id("q")} name="q" label="Find the duplicate by name or email" result={null} hint={searching ? "Searching…" : "Type at least 2 characters."}>
          {(control) => <input {...control} name="" type="search" autoComplete="off" onChange={(e) => search(e.currentTarget.value)} />}
        </Field>
        <fieldset aria-describedby={duplicateError ? `${id("duplicateId")}-error` : undefined}>
          <legend className="sr-only">Duplicate</legend>
          {matches === null ? null : matches.length === 0 ? (
            <p className="text-xs text-slate-600">No other contact you can see matches.</p>
          ) : (
            <ul className="max-h-56 space-y-1 overflow-y-auto" data-testid="duplicate-matches">
              {matches.map((m) => (
                <li key={m.id}>
                  <label className="flex items-start gap-2 text-sm">
                    <input type="radio" name="duplicateId" value={m.id} className="mt-1" />
                    <span>
                      <span className="font-medium">{m.name}</span>
                      {m.email ? <span className="text-slate-600"> · {m.email}</span> : null}
                      {m.title ? <span className="text-slate-600"> · {m.title}</span> : null}
                      <span className="block text-xs text-slate-600">{m.accounts.join(", ")}</span>
                    </span>
                  </label>
                </li>
              ))}
            </ul>
          )}
          {duplicateError ? (
            <p id={`${id("duplicateId")}-error`} className="mt-1 text-xs text-red-800">
              {duplicateError.join(" ")}
            </p>
          ) : null}
        </fieldset>
        <SubmitButton pending={form.pending} pendingLabel="Merging…">
          Merge into {contact.name}
        </SubmitButton>
      </form>
    </details>
  );
}
