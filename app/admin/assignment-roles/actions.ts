"use server";

/* Admin → Assignment roles (definitions in lib/assignments/roles.ts). */
import { defineAction } from "@/lib/actions/define";
import { createAssignmentRole, deleteAssignmentRole, updateAssignmentRole } from "@/lib/assignments/roles";

export const createAssignmentRoleAction = defineAction(createAssignmentRole);
export const updateAssignmentRoleAction = defineAction(updateAssignmentRole);
export const deleteAssignmentRoleAction = defineAction(deleteAssignmentRole);
