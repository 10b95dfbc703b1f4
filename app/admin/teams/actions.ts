"use server";

import { defineAction } from "@/lib/actions/define";
import { createTeam, deleteTeam, updateTeam } from "@/lib/admin/teams";

export const createTeamAction = defineAction(createTeam);
export const updateTeamAction = defineAction(updateTeam);
export const deleteTeamAction = defineAction(deleteTeam);
