"use server";

/* The accounts list's server actions (definitions in lib/assignments, where tests run them). */
import { defineAction } from "@/lib/actions/define";
import { bulkAssign } from "@/lib/assignments/actions";

export const bulkAssignAction = defineAction(bulkAssign);
