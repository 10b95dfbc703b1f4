import "server-only";
import bcrypt from "bcryptjs";
import { and, eq, isNull } from "drizzle-orm";
import { z } from "zod";
import { passwordTokens, users } from "@/db/schema";
import { ActionError } from "@/lib/actions/define";
import { actionDefinition } from "@/lib/actions/definition";
import { recordAudit } from "@/lib/admin/audit";
import { hashPassword, newPasswordField, PASSWORD_MAX_LENGTH } from "@/lib/auth/password-tokens";
import { requires } from "@/lib/auth/permissions";

export const changeOwnPasswordInput = z
  .object({
    current: z.string({ error: "Enter your current password." }).min(1, "Enter your current password.").max(PASSWORD_MAX_LENGTH, "That is not your current password."),
    password: newPasswordField,
    confirm: z.string({ error: "Type the new password again." }).max(PASSWORD_MAX_LENGTH),
  })
  .refine((form) => form.password === form.confirm, { path: ["confirm"], message: "The two new passwords differ. Type the same password twice." })
  .refine((form) => form.password !== form.current, { path: ["password"], message: "Choose a password different from the current one." });

/**
 * Everyone changes their own password, knowing the current one. A user who signs in only through
 * single sign-on has none here (an admin can send them a set-password link). Open set-password
 * links of the user end: the password was just chosen.
 */
export const changeOwnPassword = actionDefinition({
  name: "changeOwnPassword",
  schema: changeOwnPasswordInput,
  authorize: requires("password.changeOwn"),
  async run(ctx, input) {
    const [user] = await ctx.db.select({ id: users.id, passwordHash: users.passwordHash }).from(users).where(eq(users.id, ctx.viewer.userId)).for("update").limit(1);
    if (!user?.passwordHash) {
      throw new ActionError("You sign in with single sign-on and have no password here. Ask an admin for a set-password link if you need one.");
    }
    if (!(await bcrypt.compare(input.current, user.passwordHash))) {
      throw new ActionError("Check the highlighted fields.", { current: ["That is not your current password."] });
    }
    await ctx.db.update(users).set({ passwordHash: await hashPassword(input.password) }).where(eq(users.id, user.id));
    await ctx.db.update(passwordTokens).set({ usedAt: new Date() }).where(and(eq(passwordTokens.userId, user.id), isNull(passwordTokens.usedAt)));
    await recordAudit(ctx.db, ctx.viewer, { action: "user.change_password", targetType: "user", targetId: user.id });
    return { id: user.id };
  },
  message: () => "Your password is changed. Use the new one the next time you sign in.",
});
