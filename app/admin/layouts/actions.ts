"use server";

import { redirect } from "next/navigation";
import { defineAction, type ActionResult } from "@/lib/actions/define";
import { layoutActions } from "@/lib/layouts/actions";

/**
 * The layout editor's server actions: each is `defineAction` (viewer, zod, admin-only authorize,
 * one transaction) over a definition in lib/layouts/actions.ts, where tests run the very same
 * definitions through `runAction`.
 */
export const deleteLayoutAction = defineAction(layoutActions.remove);
export const moveLayoutAction = defineAction(layoutActions.move);
export const saveTargetingAction = defineAction(layoutActions.targeting);
export const saveDraftAction = defineAction(layoutActions.saveDraft);
export const discardDraftAction = defineAction(layoutActions.discardDraft);
export const publishLayoutAction = defineAction(layoutActions.publish);
export const rollbackLayoutAction = defineAction(layoutActions.rollback);

const create = defineAction(layoutActions.create);
const duplicate = defineAction(layoutActions.duplicate);

/** Creates a layout, then opens it in the editor (the redirect happens outside the action's try). */
export const createLayoutAction = Object.assign(
  async function createLayoutAction(previous: ActionResult<{ id: string }> | null, formData: FormData) {
    const result = await create(previous, formData);
    if (result.ok) redirect(`/admin/layouts/${result.data.id}`);
    return result;
  },
  // The definition rides along, as with defineAction, so the authorization tests find it.
  { definition: layoutActions.create },
);

/** Duplicates a layout as a new draft, then opens the copy in the editor. */
export const duplicateLayoutAction = Object.assign(
  async function duplicateLayoutAction(previous: ActionResult<{ id: string; name: string }> | null, formData: FormData) {
    const result = await duplicate(previous, formData);
    if (result.ok) redirect(`/admin/layouts/${result.data.id}`);
    return result;
  },
  { definition: layoutActions.duplicate },
);
