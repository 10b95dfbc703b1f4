// The one form kit: quick actions, profile editors and admin forms all build on it.
export { useActionForm, type ServerAction, type Submitted } from "./action-form";
export { AssigneeField } from "./assignee-field";
export { DueDateField } from "./due-date-field";
export { Field, hintClass, inputClass, labelClass, type ControlProps } from "./field";
export { described, errorsOf, FieldError } from "./field-error";
export { FormStatus, SubmitButton } from "./form-status";
