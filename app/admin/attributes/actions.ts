"use server";

import { defineAction } from "@/lib/actions/define";
import { archiveAttribute, createAttribute, restoreAttribute, updateAttribute } from "@/lib/data-model/attributes";
import { createFieldGroup, updateFieldGroup } from "@/lib/data-model/field-groups";

export const createAttributeAction = defineAction(createAttribute);
export const updateAttributeAction = defineAction(updateAttribute);
export const archiveAttributeAction = defineAction(archiveAttribute);
export const restoreAttributeAction = defineAction(restoreAttribute);
export const createFieldGroupAction = defineAction(createFieldGroup);
export const updateFieldGroupAction = defineAction(updateFieldGroup);
