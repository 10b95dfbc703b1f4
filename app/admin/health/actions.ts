"use server";

import { defineAction } from "@/lib/actions/define";
import { previewHealthScheme, saveHealthScheme } from "@/lib/health/admin";

export const previewHealthSchemeAction = defineAction(previewHealthScheme);
export const saveHealthSchemeAction = defineAction(saveHealthScheme);
