"use server";

import { defineAction } from "@/lib/actions/define";
import { importActions } from "@/lib/import/run";

export const importRowsAction = defineAction(importActions.rows);
