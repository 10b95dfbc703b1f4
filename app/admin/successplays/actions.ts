"use server";

import { defineAction } from "@/lib/actions/define";
import { addPlaybookStep, createPlaybook, deletePlaybook, movePlaybookStep, removePlaybookStep, updatePlaybook, updatePlaybookStep } from "@/lib/data-model/playbooks";

export const createPlaybookAction = defineAction(createPlaybook);
export const updatePlaybookAction = defineAction(updatePlaybook);
export const deletePlaybookAction = defineAction(deletePlaybook);
export const addPlaybookStepAction = defineAction(addPlaybookStep);
export const updatePlaybookStepAction = defineAction(updatePlaybookStep);
export const removePlaybookStepAction = defineAction(removePlaybookStep);
export const movePlaybookStepAction = defineAction(movePlaybookStep);
