import "server-only";
import { z } from "zod";
import { actionDefinition } from "@/lib/actions/definition";
import { idField, optionalIdField, textField } from "@/lib/actions/fields";
import { requires } from "@/lib/auth/permissions";
import {
  createLayout,
  deleteLayout,
  discardDraft,
  duplicateLayout,
  moveLayout,
  publishLayout,
  rollbackLayout,
  saveDraft,
  saveTargeting,
} from "./manage";
import { criteriaShape, layoutDefinitionShape } from "./validate";

/** Those who may change layouts shape them; everyone else gets the table's sentence (and the admin pages answer 404). */
const mayChangeLayouts = requires("layouts.manage");

/** A JSON document posted in one form field, parsed and then checked against `shape`. */
function jsonField<S extends z.ZodType>(shape: S, what: string) {
  return z
    .string({ error: `The ${what} is missing.` })
    .max(500_000, `The ${what} is too large.`)
    .transform((value, ctx) => {
      try {
        return JSON.parse(value) as unknown;
      } catch {
        ctx.addIssue({ code: "custom", message: `The ${what} could not be read.` });
        return z.NEVER;
      }
    })
    .pipe(shape);
}

const layoutId = idField("Unknown layout.");
const listPaths = (id?: string) => ["/admin/layouts", ...(id ? [`/admin/layouts/${id}`] : [])];

export const layoutActions = {
  create: actionDefinition({
    name: "createLayout",
    schema: z.object({
      name: textField("a name", 80),
      accountTypeId: idField("Pick an account type."),
      teamId: optionalIdField("Pick a team, or none."),
    }),
    authorize: mayChangeLayouts,
    run: (ctx, input) => createLayout(ctx, { name: input.name, accountTypeId: input.accountTypeId, teamId: input.teamId ?? null }),
    revalidate: () => listPaths(),
    message: () => "Layout created as a draft.",
    // Opens the new layout in the editor.
    redirectTo: (data) => `/admin/layouts/${data.id}`,
  }),
  duplicate: actionDefinition({
    name: "duplicateLayout",
    schema: z.object({ id: layoutId }),
    authorize: mayChangeLayouts,
    run: (ctx, input) => duplicateLayout(ctx, input.id),
    revalidate: () => listPaths(),
    message: (data) => `Created “${data.name}” as a draft.`,
    // Opens the copy in the editor.
    redirectTo: (data) => `/admin/layouts/${data.id}`,
  }),
  remove: actionDefinition({
    name: "deleteLayout",
    schema: z.object({ id: layoutId }),
    authorize: mayChangeLayouts,
    run: (ctx, input) => deleteLayout(ctx, input.id),
    revalidate: (input) => listPaths(input.id),
    message: (data) => `Deleted “${data.name}”.`,
  }),
  move: actionDefinition({
    name: "moveLayout",
    schema: z.object({ id: layoutId, direction: z.enum(["up", "down"], { error: "Move up or down." }) }),
    authorize: mayChangeLayouts,
    run: (ctx, input) => moveLayout(ctx, input.id, input.direction),
    revalidate: () => listPaths(),
    message: (data) => (data.moved ? "Order saved." : "Already at the end."),
  }),
  targeting: actionDefinition({
    name: "saveLayoutTargeting",
    schema: z.object({
      id: layoutId,
      name: textField("a name", 80),
      teamId: optionalIdField("Pick a team, or everyone."),
      priority: z.coerce
        .number({ error: "Enter a whole number." })
        .int("Enter a whole number.")
        .min(0, "Use 0 or more.")
        .max(100_000, "Use at most 100,000."),
      criteria: jsonField(criteriaShape, "conditions"),
    }),
    authorize: mayChangeLayouts,
    run: (ctx, input) => saveTargeting(ctx, { ...input, teamId: input.teamId ?? null }),
    revalidate: (input) => listPaths(input.id),
    message: () => "Saved who this layout applies to.",
  }),
  saveDraft: actionDefinition({
    name: "saveLayoutDraft",
    schema: z.object({ id: layoutId, definition: jsonField(layoutDefinitionShape, "layout") }),
    authorize: mayChangeLayouts,
    run: (ctx, input) => saveDraft(ctx, input.id, input.definition),
    revalidate: (input) => listPaths(input.id),
    message: (data) => (data.problems.length ? "Draft saved; fix the problems below before publishing." : "Draft saved."),
  }),
  discardDraft: actionDefinition({
    name: "discardLayoutDraft",
    schema: z.object({ id: layoutId }),
    authorize: mayChangeLayouts,
    run: (ctx, input) => discardDraft(ctx, input.id),
    revalidate: (input) => listPaths(input.id),
    message: () => "Draft discarded: the editor shows the published layout again.",
  }),
  publish: actionDefinition({
    name: "publishLayout",
    schema: z.object({ id: layoutId }),
    authorize: mayChangeLayouts,
    run: (ctx, input) => publishLayout(ctx, input.id),
    revalidate: (input) => listPaths(input.id),
    message: (data) => `Published version ${data.version}.`,
  }),
  rollback: actionDefinition({
    name: "rollbackLayout",
    schema: z.object({
      id: layoutId,
      version: z.coerce.number({ error: "Pick a version." }).int("Pick a version.").min(1, "Pick a version."),
    }),
    authorize: mayChangeLayouts,
    run: (ctx, input) => rollbackLayout(ctx, input.id, input.version),
    revalidate: (input) => listPaths(input.id),
    message: (data) => `Rolled back: version ${data.version} is version ${data.from} again.`,
  }),
};
