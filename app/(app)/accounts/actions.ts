"use server";

/* The accounts list's server actions (definitions in lib/assignments, where tests run them). */
import { defineAction } from "@/lib/actions/define";
import { bulkAssign } from "@/lib/assignments/actions";

export const bulkAssignAction = defineAction(bulkAssign);

// Saved views of the list (issue 18; definitions in lib/views/saved.ts).
import { deleteView, saveView } from "@/lib/views/saved";
export const saveViewAction = defineAction(saveView);
export const deleteViewAction = defineAction(deleteView);
