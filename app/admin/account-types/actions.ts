"use server";

import { defineAction } from "@/lib/actions/define";
import { accountTypeActions } from "@/lib/hierarchy/account-types";

export const setAllowedParentsAction = defineAction(accountTypeActions.setAllowedParents);
export const createAccountTypeAction = defineAction(accountTypeActions.create);
