"use server";

import { defineAction } from "@/lib/actions/define";
import { mergeUsageActivities, moveUsageActivity, updateUsageActivity, updateUsageModule } from "@/lib/data-model/usage";

export const updateUsageModuleAction = defineAction(updateUsageModule);
export const updateUsageActivityAction = defineAction(updateUsageActivity);
export const moveUsageActivityAction = defineAction(moveUsageActivity);
export const mergeUsageActivitiesAction = defineAction(mergeUsageActivities);

// Success units (issue 16, lifecycle helper)
import { setSuccessUnitThresholds } from "@/lib/success-units/thresholds";
export const setSuccessUnitThresholdsAction = defineAction(setSuccessUnitThresholds);
