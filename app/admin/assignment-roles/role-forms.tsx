"use client";

import { described, FieldError, FormStatus, inputClass, labelClass, SubmitButton, useActionForm } from "@/components/forms";
import type { AssignmentRole } from "@/lib/assignments/roles";
import { createAssignmentRoleAction, deleteAssignmentRoleAction, updateAssignmentRoleAction } from "./actions";

export function CreateRoleForm() {
  const form = useActionForm(createAssignmentRoleAction);
  const { result } = form;
  return (
    <form key={form.key} ref={form.formRef} action={form.dispatch} className="mt-3 space-y-3" aria-label="Add a role" noValidate>
      <FormStatus result={result} />
      <div className="flex flex-wrap items-end gap-4">
        <div>
          <label htmlFor="new-role-name" className={labelClass}>
            Name
          </label>
          <input id="new-role-name" name="name" maxLength={100} defaultValue={form.value("name")} className={inputClass} {...described(result, "name", "new-role-name")} />
          <FieldError id="new-role-name" result={result} field="name" />
        </div>
        <label className="flex items-center gap-2 py-1.5 text-sm text-slate-800">
          <input type="checkbox" name="grantsPrivileged" defaultChecked={form.value("grantsPrivileged") === "on"} className="size-4" />
          Grants privileged attributes
        </label>
        <SubmitButton pending={form.pending} pendingLabel="Adding…">
          Add role
        </SubmitButton>
      </div>
    </form>
  );
}

export function RoleRow({ role }: { role: AssignmentRole }) {
  const edit = useActionForm(updateAssignmentRoleAction);
  const remove = useActionForm(deleteAssignmentRoleAction);
  const id = `role-${role.id}`;
  return (
    <li className="space-y-2 px-4 py-3" data-testid="assignment-role">
      <FormStatus result={edit.result} />
      <FormStatus result={remove.result} />
      <div className="flex flex-wrap items-end gap-4">
        <form key={edit.key} ref={edit.formRef} action={edit.dispatch} className="flex flex-wrap items-end gap-4" aria-label={`Edit ${role.name}`} noValidate>
          <input type="hidden" name="id" value={role.id} />
          <div>
            <label htmlFor={`${id}-name`} className={labelClass}>
              Name
            </label>
            <input id={`${id}-name`} name="name" maxLength={100} defaultValue={edit.value("name", role.name)} className={inputClass} {...described(edit.result, "name", `${id}-name`)} />
            <FieldError id={`${id}-name`} result={edit.result} field="name" />
          </div>
          <label className="flex items-center gap-2 py-1.5 text-sm text-slate-800">
            <input type="checkbox" name="grantsPrivileged" defaultChecked={edit.refused ? edit.value("grantsPrivileged") === "on" : role.grantsPrivileged} className="size-4" />
            Grants privileged attributes
          </label>
          <SubmitButton pending={edit.pending}>Save</SubmitButton>
        </form>
        <span className="py-1.5 text-xs text-slate-600">
          {role.inUse} assignment{role.inUse === 1 ? "" : "s"}
        </span>
        {role.inUse === 0 ? (
          <form action={remove.dispatch}>
            <input type="hidden" name="id" value={role.id} />
            <button type="submit" disabled={remove.pending} className="rounded-md border border-red-300 px-3 py-1.5 text-sm text-red-800 hover:bg-red-50">
              Delete
            </button>
          </form>
        ) : null}
      </div>
    </li>
  );
}
