"use server";

import { defineAction } from "@/lib/actions/define";
import { deleteSsoDomainRule, saveSsoDomainRule } from "@/lib/admin/sso-domains";
import { createUser, resetPassword, updateUser } from "@/lib/admin/users";

export const createUserAction = defineAction(createUser);
export const updateUserAction = defineAction(updateUser);
export const resetPasswordAction = defineAction(resetPassword);
export const saveSsoDomainRuleAction = defineAction(saveSsoDomainRule);
export const deleteSsoDomainRuleAction = defineAction(deleteSsoDomainRule);
