import type { ActionResult } from "@/lib/actions/define";
import { Field } from "./field";

/** An optional due date (`dueDate`, YYYY-MM-DD), as tasks, objectives and requests ask for it. */
export function DueDateField({
  id,
  result,
  defaultValue,
  label = "Due date",
  className,
}: {
  id: string;
  result: ActionResult<unknown> | null;
  defaultValue?: string;
  label?: string;
  className?: string;
}) {
  return (
    <Field id={id} name="dueDate" label={label} result={result} hint="Optional." className={className}>
      {(control) => <input {...control} type="date" defaultValue={defaultValue} />}
    </Field>
  );
}
