"use client";

import { useActionState } from "react";
import { Field, FieldError, FormStatus, SubmitButton, useActionForm } from "@/components/forms";
import { WEBHOOK_EVENTS } from "@/lib/webhooks/event-types";
import { createWebhookEndpointAction, deleteWebhookEndpointAction, rotateWebhookSecretAction, setWebhookEnabledAction } from "./actions";

function SecretOnce({ secret, label }: { secret: string; label: string }) {
  return (
    <div className="mt-2">
      <label htmlFor={`secret-${label}`} className="block text-xs font-medium text-green-900">
        Signing secret
      </label>
      <input
        id={`secret-${label}`}
        readOnly
        value={secret}
        onFocus={(e) => e.currentTarget.select()}
        className="mt-1 block w-full rounded-md border border-green-400 bg-white px-3 py-1.5 font-mono text-sm text-slate-900"
      />
      <p className="mt-1 text-xs">
        Check each delivery&apos;s <code>C360-Signature</code> header with it (HMAC-SHA256 of <code>timestamp.body</code>). It is not shown again.
      </p>
    </div>
  );
}

export function CreateEndpointForm() {
  const form = useActionForm(createWebhookEndpointAction);
  const { result } = form;
  const created = result?.ok ? (result.data as { secret: string; url: string }) : null;
  const eventsInvalid = Boolean(!result?.ok && result?.fieldErrors?.eventTypes?.length);
  return (
    <div className="space-y-4">
      {created ? (
        <div role="status" className="rounded-md border border-green-300 bg-green-50 p-3 text-sm text-green-900">
          <p className="font-medium">{result?.ok ? result.message : null}</p>
          <SecretOnce secret={created.secret} label="new" />
        </div>
      ) : null}
      <form key={form.key} ref={form.formRef} action={form.dispatch} className="space-y-4" noValidate>
        {form.refused ? <FormStatus result={result} /> : null}
        <div className="grid gap-4 sm:grid-cols-2">
          <Field id="webhook-url" name="url" label="Address" result={result} hint="An https:// address on the public internet.">
            {(control) => <input {...control} type="url" required maxLength={2000} placeholder="https://hooks.example.com/c360" defaultValue={form.value("url")} />}
          </Field>
          <Field id="webhook-description" name="description" label="Description" result={result}>
            {(control) => <input {...control} maxLength={200} placeholder="Data warehouse" defaultValue={form.value("description")} />}
          </Field>
        </div>
        <fieldset aria-invalid={eventsInvalid || undefined} aria-describedby={eventsInvalid ? "webhook-events-error" : undefined}>
          <legend className="mb-1.5 text-sm font-medium text-slate-800">Events to send</legend>
          <ul className="grid gap-x-6 gap-y-1.5 sm:grid-cols-2">
            {WEBHOOK_EVENTS.map((event) => (
              <li key={event.type} className="flex items-start gap-2">
                <input
                  id={`event-${event.type}`}
                  type="checkbox"
                  name="eventTypes"
                  value={event.type}
                  defaultChecked={form.values("eventTypes").includes(event.type)}
                  className="mt-0.5 h-4 w-4 rounded border-slate-400"
                />
                <label htmlFor={`event-${event.type}`} className="text-sm text-slate-800">
                  {event.label} <code className="text-xs text-slate-600">{event.type}</code>
                </label>
              </li>
            ))}
          </ul>
          <FieldError id="webhook-events" result={result} field="eventTypes" />
        </fieldset>
        <SubmitButton pending={form.pending} pendingLabel="Adding…">
          Add endpoint
        </SubmitButton>
      </form>
    </div>
  );
}

export function EndpointControls({ endpointId, url, enabled }: { endpointId: string; url: string; enabled: boolean }) {
  const [rotated, rotate, rotating] = useActionState(rotateWebhookSecretAction, null);
  const [toggled, toggle, toggling] = useActionState(setWebhookEnabledAction, null);
  const [removed, remove, removing] = useActionState(deleteWebhookEndpointAction, null);
  const refusal = [rotated, toggled, removed].find((r) => r && !r.ok);
  const button = "rounded-md border px-2 py-1 text-xs font-medium disabled:opacity-60";
  return (
    <div className="space-y-2">
      <div className="flex flex-wrap gap-2">
        <form action={toggle}>
          <input type="hidden" name="endpointId" value={endpointId} />
          <input type="hidden" name="enabled" value={enabled ? "false" : "true"} />
          <button type="submit" disabled={toggling} className={`${button} border-slate-300 text-slate-800 hover:bg-slate-50`}>
            {enabled ? "Pause" : "Turn on"}
            <span className="sr-only"> {url}</span>
          </button>
        </form>
        <form
          action={rotate}
          onSubmit={(event) => {
            if (!window.confirm("Make a new signing secret? The old one keeps signing for 24 hours.")) event.preventDefault();
          }}
        >
          <input type="hidden" name="endpointId" value={endpointId} />
          <button type="submit" disabled={rotating} className={`${button} border-slate-300 text-slate-800 hover:bg-slate-50`}>
            Rotate secret<span className="sr-only"> of {url}</span>
          </button>
        </form>
        <form
          action={remove}
          onSubmit={(event) => {
            if (!window.confirm(`Delete ${url} and its delivery log?`)) event.preventDefault();
          }}
        >
          <input type="hidden" name="endpointId" value={endpointId} />
          <button type="submit" disabled={removing} className={`${button} border-red-300 text-red-800 hover:bg-red-50`}>
            Delete<span className="sr-only"> {url}</span>
          </button>
        </form>
      </div>
      {rotated?.ok ? (
        <div role="status" className="rounded-md border border-green-300 bg-green-50 p-2 text-xs text-green-900">
          <p>{rotated.message}</p>
          <SecretOnce secret={(rotated.data as { secret: string }).secret} label={endpointId} />
        </div>
      ) : null}
      {refusal && !refusal.ok ? (
        <p role="alert" className="text-xs text-red-800">
          {refusal.error}
        </p>
      ) : null}
    </div>
  );
}
