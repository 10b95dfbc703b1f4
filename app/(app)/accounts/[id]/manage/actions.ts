"use server";

/* Account management (definitions in lib/hierarchy/account-actions.ts). */
import { defineAction } from "@/lib/actions/define";
import {
  archiveAccountAction as archiveDefinition,
  createSubAccountAction as createDefinition,
  deleteAccountAction as deleteDefinition,
  mergeAccountsAction as mergeDefinition,
  moveAccountAction as moveDefinition,
  renameAccountAction as renameDefinition,
  restoreAccountAction as restoreDefinition,
} from "@/lib/hierarchy/account-actions";

export const renameAccountAction = defineAction(renameDefinition);
export const moveAccountAction = defineAction(moveDefinition);
export const createSubAccountAction = defineAction(createDefinition);
export const archiveAccountAction = defineAction(archiveDefinition);
export const deleteAccountAction = defineAction(deleteDefinition);
export const restoreAccountAction = defineAction(restoreDefinition);
export const mergeAccountsAction = defineAction(mergeDefinition);
