"use server";

import { defineAction } from "@/lib/actions/define";
import { apiTokenActions } from "@/lib/api/tokens";

export const createApiTokenAction = defineAction(apiTokenActions.create);
export const revokeApiTokenAction = defineAction(apiTokenActions.revoke);
export const setApiTokenRateLimitAction = defineAction(apiTokenActions.setRateLimit);
