"use client";

import { useState } from "react";
import { logTouchpointAction } from "@/app/(app)/accounts/[id]/actions";
import type { ContactOption } from "@/lib/dal/contacts";
import type { Colleague } from "@/lib/dal/quick-actions";
import { MentionEditor } from "@/components/mentions/mention-editor";
import { described, FieldError, FormStatus, hintClass, inputClass, labelClass, SubmitButton, useActionForm } from "@/components/forms";

const TYPES = [
  ["call", "Call"],
  ["meeting", "Meeting"],
  ["email", "Email"],
  ["note", "Note"],
  ["qbr", "QBR"],
  ["chat", "Chat"],
] as const;
const BODY_MAX = 12_000;

export function TouchpointForm({ accountId, contacts, colleagues, today }: { accountId: string; contacts: ContactOption[]; colleagues: Colleague[]; today: string }) {
  const form = useActionForm(logTouchpointAction);
  const { result } = form;
  const [bodyLength, setBodyLength] = useState(0);
  const id = (name: string) => `tp-${name}`;
  return (
    <form key={form.key} ref={form.formRef} action={form.dispatch} className="space-y-3" aria-label="Log a touchpoint" noValidate>
      <input type="hidden" name="accountId" value={accountId} />
      <FormStatus result={result} />
      <div className="grid gap-3 sm:grid-cols-2">
        <div>
          <label htmlFor={id("type")} className={labelClass}>
            Type
          </label>
          <select id={id("type")} name="type" defaultValue={form.value("type", "call")} className={inputClass} {...described(result, "type", id("type"))}>
            {TYPES.map(([value, label]) => (
              <option key={value} value={value}>
                {label}
              </option>
            ))}
          </select>
          <FieldError id={id("type")} result={result} field="type" />
        </div>
        <div>
          <label htmlFor={id("date")} className={labelClass}>
            Date
          </label>
          <input id={id("date")} name="date" type="date" required defaultValue={form.value("date", today)} className={inputClass} {...described(result, "date", id("date"))} />
          <FieldError id={id("date")} result={result} field="date" />
        </div>
        <div className="sm:col-span-2">
          <label htmlFor={id("subject")} className={labelClass}>
            Subject
          </label>
          <input id={id("subject")} name="subject" required maxLength={200} defaultValue={form.value("subject")} className={inputClass} {...described(result, "subject", id("subject"))} />
          <FieldError id={id("subject")} result={result} field="subject" />
        </div>
      </div>
      <div>
        <label htmlFor={id("body")} className={labelClass}>
          Notes
        </label>
        <MentionEditor
          id={id("body")}
          name="body"
          colleagues={colleagues.filter((u) => !u.isViewer)}
          defaultValue={form.value("body")}
          onLengthChange={setBodyLength}
          describedBy={described(result, "body", id("body"), id("body-hint"))["aria-describedby"]}
          invalid={Boolean(described(result, "body", id("body"))["aria-invalid"])}
        />
        <p id={id("body-hint")} className={`${hintClass} ${bodyLength > BODY_MAX ? "font-medium text-red-800" : ""}`}>
          Up to {BODY_MAX.toLocaleString("en-US")} characters{bodyLength ? ` (${bodyLength.toLocaleString("en-US")} used)` : ""}. Type @ to mention a colleague who can see this account.
        </p>
        <FieldError id={id("body")} result={result} field="body" />
      </div>
      <div className="grid gap-3 sm:grid-cols-2">
        <ParticipantGroup
          legend="Contacts"
          name="contactIds"
          empty="This account has no contacts."
          options={contacts.map((c) => ({ id: c.id, label: c.name, detail: c.role + (c.isKey ? " · key contact" : "") }))}
          checked={form.values("contactIds")}
          result={result}
        />
        <ParticipantGroup
          legend="Team members"
          name="userIds"
          empty="Nobody else can see this account."
          options={colleagues.map((u) => ({ id: u.id, label: u.isViewer ? `${u.name} (you)` : u.name, detail: u.roles.length ? u.roles.join(", ") : (u.title ?? "") }))}
          checked={form.values("userIds")}
          result={result}
        />
      </div>
      <SubmitButton pending={form.pending} pendingLabel="Logging…">
        Log touchpoint
      </SubmitButton>
    </form>
  );
}

function ParticipantGroup({
  legend,
  name,
  options,
  checked,
  empty,
  result,
}: {
  legend: string;
  name: string;
  options: { id: string; label: string; detail: string }[];
  checked: string[];
  empty: string;
  result: Parameters<typeof described>[0];
}) {
  const groupId = `tp-${name}`;
  const aria = described(result, name, groupId);
  return (
    <fieldset aria-describedby={aria["aria-describedby"]} aria-invalid={aria["aria-invalid"]}>
      <legend className={labelClass}>Participants: {legend.toLowerCase()}</legend>
      {options.length === 0 ? (
        <p className={hintClass}>{empty}</p>
      ) : (
        <ul className="mt-1 max-h-40 space-y-1 overflow-auto rounded-md border border-slate-200 p-2">
          {options.map((o) => (
            <li key={o.id} className="flex items-start gap-2">
              <input id={`${groupId}-${o.id}`} type="checkbox" name={name} value={o.id} defaultChecked={checked.includes(o.id)} className="mt-0.5 h-4 w-4 rounded border-slate-400" />
              <label htmlFor={`${groupId}-${o.id}`} className="text-sm text-slate-800">
                {o.label}
                {o.detail ? <span className="ml-1 text-xs text-slate-600">{o.detail}</span> : null}
              </label>
            </li>
          ))}
        </ul>
      )}
      <FieldError id={groupId} result={result} field={name} />
    </fieldset>
  );
}
