"use client";

import { saveNotificationPreferencesAction } from "@/app/(app)/notifications/actions";
import { described, FieldError, FormStatus, hintClass, inputClass, labelClass, SubmitButton, useActionForm } from "@/components/forms";

const MODES = [
  ["instant", "Each notification by mail, as it happens"],
  ["digest", "One daily digest"],
  ["off", "No mail (the inbox only)"],
] as const;

export function NotificationSettingsForm({ emailMode, digestHour, mailConfigured }: { emailMode: string; digestHour: number; mailConfigured: boolean }) {
  const form = useActionForm(saveNotificationPreferencesAction);
  const { result } = form;
  const mode = form.value("emailMode", emailMode);
  return (
    <form key={form.key} ref={form.formRef} action={form.dispatch} className="space-y-4" aria-label="Notification settings" noValidate>
      <FormStatus result={result} />
      {mailConfigured ? null : (
        <p className="rounded-md bg-amber-50 px-3 py-2 text-sm text-amber-900">This server sends no mail yet (an admin sets SMTP_URL); your choice applies once it does.</p>
      )}
      <fieldset {...described(result, "emailMode", "ns-mode")}>
        <legend className={labelClass}>Mail</legend>
        <div className="mt-1 space-y-1">
          {MODES.map(([value, label]) => (
            <label key={value} className="flex items-center gap-2 text-sm text-slate-800">
              <input type="radio" name="emailMode" value={value} defaultChecked={mode === value} className="h-4 w-4 border-slate-400" />
              {label}
            </label>
          ))}
        </div>
        <FieldError id="ns-mode" result={result} field="emailMode" />
      </fieldset>
      <div>
        <label htmlFor="ns-hour" className={labelClass}>
          Digest hour (UTC)
        </label>
        <select id="ns-hour" name="digestHour" defaultValue={form.value("digestHour", String(digestHour))} className={`${inputClass} max-w-32`} {...described(result, "digestHour", "ns-hour", "ns-hour-hint")}>
          {Array.from({ length: 24 }, (_, h) => (
            <option key={h} value={h}>
              {String(h).padStart(2, "0")}:00
            </option>
          ))}
        </select>
        <p id="ns-hour-hint" className={hintClass}>
          Used with the daily digest: the unread notifications of the last day, in one mail.
        </p>
        <FieldError id="ns-hour" result={result} field="digestHour" />
      </div>
      <SubmitButton pending={form.pending}>Save</SubmitButton>
    </form>
  );
}
