"use server";

/**
 * The layout editor's server actions: each is `defineAction` (viewer, zod, authorize, one
 * transaction) over a definition in lib/layouts/actions.ts, where tests run the very same
 * definitions through `runAction`. Creating and duplicating open the new layout in the editor.
 */
import { defineAction } from "@/lib/actions/define";
import { layoutActions } from "@/lib/layouts/actions";

export const createLayoutAction = defineAction(layoutActions.create);
export const duplicateLayoutAction = defineAction(layoutActions.duplicate);
export const deleteLayoutAction = defineAction(layoutActions.remove);
export const moveLayoutAction = defineAction(layoutActions.move);
export const saveTargetingAction = defineAction(layoutActions.targeting);
export const saveDraftAction = defineAction(layoutActions.saveDraft);
export const discardDraftAction = defineAction(layoutActions.discardDraft);
export const publishLayoutAction = defineAction(layoutActions.publish);
export const rollbackLayoutAction = defineAction(layoutActions.rollback);
