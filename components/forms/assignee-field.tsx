import type { ActionResult } from "@/lib/actions/define";
import type { Colleague } from "@/lib/dal/quick-actions";
import { Field } from "./field";

/** Who a piece of work is assigned to (`assigneeId`): a colleague who may see the account, or nobody. */
export function AssigneeField({
  id,
  result,
  colleagues,
  defaultValue,
  className,
}: {
  id: string;
  result: ActionResult<unknown> | null;
  colleagues: Colleague[];
  defaultValue?: string;
  className?: string;
}) {
  return (
    <Field id={id} name="assigneeId" label="Assignee" result={result} className={className}>
      {(control) => (
        <select {...control} defaultValue={defaultValue}>
          <option value="">Unassigned</option>
          {colleagues.map((u) => (
            <option key={u.id} value={u.id}>
              {`${u.isViewer ? `${u.name} (you)` : u.name}${u.roles.length ? ` · ${u.roles.join(", ")}` : ""}`}
            </option>
          ))}
        </select>
      )}
    </Field>
  );
}
