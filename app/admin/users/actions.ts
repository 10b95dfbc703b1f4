"use server";

import { defineAction } from "@/lib/actions/define";
import { createUser, updateUser } from "@/lib/admin/users";

export const createUserAction = defineAction(createUser);
export const updateUserAction = defineAction(updateUser);
