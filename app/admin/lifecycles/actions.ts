"use server";

import { defineAction } from "@/lib/actions/define";
import { addLifecycleStage, archiveLifecycleStage, createLifecycle, moveLifecycleStage, renameLifecycle, renameLifecycleStage } from "@/lib/data-model/lifecycles";

export const createLifecycleAction = defineAction(createLifecycle);
export const renameLifecycleAction = defineAction(renameLifecycle);
export const addLifecycleStageAction = defineAction(addLifecycleStage);
export const renameLifecycleStageAction = defineAction(renameLifecycleStage);
export const moveLifecycleStageAction = defineAction(moveLifecycleStage);
export const archiveLifecycleStageAction = defineAction(archiveLifecycleStage);
