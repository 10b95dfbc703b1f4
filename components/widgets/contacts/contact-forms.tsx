"use client";

import { useState, useTransition } from "react";
import { createContactAction, linkContactAction, searchContactsAction, setKeyContactAction, unlinkContactAction } from "@/app/(app)/accounts/[id]/actions";
import { Field, FormStatus, SubmitButton, useActionForm } from "@/components/forms";
import type { ContactMatch } from "@/lib/dal/contacts";

const disclosure = "mt-3 border-t border-slate-100 pt-2";
const summary = "cursor-pointer text-sm font-medium text-brand-700";

function KeyCheckbox({ id, defaultChecked }: { id: string; defaultChecked: boolean }) {
  return (
    <label htmlFor={id} className="flex items-center gap-2 text-sm text-slate-800">
      <input id={id} type="checkbox" name="isKey" defaultChecked={defaultChecked} className="h-4 w-4 rounded border-slate-300" />
      Key contact
    </label>
  );
}

/** A new contact on this account: details, role here, key contact. */
export function AddContactForm({ accountId }: { accountId: string }) {
  const form = useActionForm(createContactAction);
  const { result } = form;
  const id = (name: string) => `add-contact-${name}`;
  return (
    <details className={disclosure} open={form.refused || undefined}>
      <summary className={summary}>Add contact</summary>
      <form key={form.key} ref={form.formRef} action={form.dispatch} className="mt-2 space-y-2" aria-label="Add a contact" noValidate>
        <input type="hidden" name="accountId" value={accountId} />
        <FormStatus result={result} />
        <div className="grid gap-2 sm:grid-cols-2">
          <Field id={id("name")} name="name" label="Name" result={result}>
            {(control) => <input {...control} defaultValue={form.value("name")} autoComplete="off" />}
          </Field>
          <Field id={id("email")} name="email" label="Email" result={result}>
            {(control) => <input {...control} type="email" defaultValue={form.value("email")} autoComplete="off" />}
          </Field>
          <Field id={id("title")} name="title" label="Title" result={result}>
            {(control) => <input {...control} defaultValue={form.value("title")} />}
          </Field>
          <Field id={id("phone")} name="phone" label="Phone" result={result}>
            {(control) => <input {...control} type="tel" defaultValue={form.value("phone")} />}
          </Field>
          <Field id={id("role")} name="role" label="Role on this account" result={result} hint="e.g. Champion, Billing contact">
            {(control) => <input {...control} defaultValue={form.value("role")} />}
          </Field>
          <div className="flex items-end pb-2">
            <KeyCheckbox id={id("isKey")} defaultChecked={form.value("isKey") === "on"} />
          </div>
        </div>
        <SubmitButton pending={form.pending} pendingLabel="Adding…">
          Add contact
        </SubmitButton>
      </form>
    </details>
  );
}

/** Link a contact the viewer can see (found by name or email) to this account with a role. */
export function LinkContactForm({ accountId }: { accountId: string }) {
  const form = useActionForm(linkContactAction);
  const { result } = form;
  const [matches, setMatches] = useState<ContactMatch[] | null>(null);
  const [searchError, setSearchError] = useState<string | null>(null);
  const [searching, startSearch] = useTransition();
  const id = (name: string) => `link-contact-${name}`;
  const search = (words: string) => {
    if (words.trim().length < 2) return setMatches(null);
    startSearch(async () => {
      const data = new FormData();
      data.set("q", words);
      data.set("excludeAccountId", accountId);
      const found = await searchContactsAction(null, data);
      setSearchError(found.ok ? null : found.error);
      setMatches(found.ok ? found.data : []);
    });
  };
  return (
    <details className={disclosure} open={form.refused || undefined}>
      <summary className={summary}>Link an existing contact</summary>
      <form key={form.key} ref={form.formRef} action={form.dispatch} className="mt-2 space-y-2" aria-label="Link an existing contact" noValidate>
        <input type="hidden" name="accountId" value={accountId} />
        <FormStatus result={result} />
        <Field id={id("q")} name="q" label="Find by name or email" result={null} hint={searching ? "Searching…" : "Type at least 2 characters."}>
          {(control) => <input {...control} name="" type="search" autoComplete="off" onChange={(e) => search(e.currentTarget.value)} />}
        </Field>
        {searchError ? (
          <p role="alert" className="text-xs text-red-800">
            {searchError}
          </p>
        ) : null}
        <fieldset aria-describedby={`${id("contactId")}-error`}>
          <legend className="sr-only">Contact</legend>
          {matches === null ? null : matches.length === 0 ? (
            <p className="text-xs text-slate-600">No contact you can see matches (or they are already linked here).</p>
          ) : (
            <ul className="max-h-48 space-y-1 overflow-y-auto" data-testid="contact-matches">
              {matches.map((m) => (
                <li key={m.id}>
                  <label className="flex items-start gap-2 text-sm">
                    <input type="radio" name="contactId" value={m.id} className="mt-1" />
                    <span>
                      <span className="font-medium">{m.name}</span>
                      {m.email ? <span className="text-slate-600"> · {m.email}</span> : null}
                      <span className="block text-xs text-slate-600">{m.accounts.join(", ")}</span>
                    </span>
                  </label>
                </li>
              ))}
            </ul>
          )}
          {result && !result.ok && result.fieldErrors?.contactId ? (
            <p id={`${id("contactId")}-error`} className="mt-1 text-xs text-red-800">
              {result.fieldErrors.contactId.join(" ")}
            </p>
          ) : null}
        </fieldset>
        <div className="grid gap-2 sm:grid-cols-2">
          <Field id={id("role")} name="role" label="Role on this account" result={result}>
            {(control) => <input {...control} defaultValue={form.value("role")} />}
          </Field>
          <div className="flex items-end pb-2">
            <KeyCheckbox id={id("isKey")} defaultChecked={form.value("isKey") === "on"} />
          </div>
        </div>
        <SubmitButton pending={form.pending} pendingLabel="Linking…">
          Link contact
        </SubmitButton>
      </form>
    </details>
  );
}

/** Beside a linked contact: mark or unmark as key contact, and unlink from this account. */
export function ContactLinkControls({ accountId, contactId, name, isKey }: { accountId: string; contactId: string; name: string; isKey: boolean }) {
  const key = useActionForm(setKeyContactAction);
  const unlink = useActionForm(unlinkContactAction);
  const error = [key.result, unlink.result].find((r) => r && !r.ok);
  const small = "rounded px-1.5 py-0.5 text-xs text-slate-700 ring-1 ring-slate-200 hover:bg-slate-100 disabled:opacity-60";
  return (
    <span className="flex shrink-0 flex-wrap items-center justify-end gap-1">
      <form action={key.dispatch}>
        <input type="hidden" name="accountId" value={accountId} />
        <input type="hidden" name="contactId" value={contactId} />
        {isKey ? null : <input type="hidden" name="isKey" value="on" />}
        <button type="submit" disabled={key.pending} className={small} aria-label={isKey ? `Unmark ${name} as key contact` : `Mark ${name} as key contact`}>
          {isKey ? "Unmark key" : "Mark key"}
        </button>
      </form>
      <form action={unlink.dispatch}>
        <input type="hidden" name="accountId" value={accountId} />
        <input type="hidden" name="contactId" value={contactId} />
        <button type="submit" disabled={unlink.pending} className={`${small} hover:bg-red-50 hover:text-red-800`} aria-label={`Unlink ${name} from this account`}>
          Unlink
        </button>
      </form>
      {error && !error.ok ? (
        <span role="alert" className="basis-full text-right text-xs text-red-800">
          {error.error}
        </span>
      ) : null}
    </span>
  );
}
