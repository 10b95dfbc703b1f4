"use server";

import { defineAction } from "@/lib/actions/define";
import { createAccountGroup, createCollection, deleteAccountGroup, deleteCollection, renameAccountGroup, updateCollection } from "@/lib/data-model/collections";

export const createCollectionAction = defineAction(createCollection);
export const updateCollectionAction = defineAction(updateCollection);
export const deleteCollectionAction = defineAction(deleteCollection);
export const createAccountGroupAction = defineAction(createAccountGroup);
export const renameAccountGroupAction = defineAction(renameAccountGroup);
export const deleteAccountGroupAction = defineAction(deleteAccountGroup);
