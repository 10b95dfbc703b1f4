"use server";

import { defineAction } from "@/lib/actions/define";
import { changeOwnPassword } from "@/lib/account/password";

export const changeOwnPasswordAction = defineAction(changeOwnPassword);
