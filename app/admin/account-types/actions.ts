"use server";

import { defineAction } from "@/lib/actions/define";
import { deleteAccountType, updateAccountType } from "@/lib/data-model/account-types";
import { accountTypeActions } from "@/lib/hierarchy/account-types";

export const setAllowedParentsAction = defineAction(accountTypeActions.setAllowedParents);
export const createAccountTypeAction = defineAction(accountTypeActions.create);
export const updateAccountTypeAction = defineAction(updateAccountType);
export const deleteAccountTypeAction = defineAction(deleteAccountType);
