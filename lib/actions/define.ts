import "server-only";
import { noteDatabaseError } from "@/db/availability";
import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { z } from "zod";
import { may, refusal, type Capability } from "@/lib/auth/permissions";
import type { Ctx } from "@/lib/dal/viewer";

export type FieldErrors = Record<string, string[]>;
export type ActionResult<T = unknown> =
  | { ok: true; data: T; message?: string }
  | { ok: false; error: string; fieldErrors?: FieldErrors };

/** An error whose message is meant for the user (a conflict, a rule); anything else is logged. */
export class ActionError extends Error {
  constructor(
    message: string,
    readonly fieldErrors?: FieldErrors,
  ) {
    super(message);
  }
}

/** Inside a write: refuse (with the table's sentence) unless the viewer's role has `capability`. */
export function assertMay(ctx: Pick<Ctx, "viewer">, capability: Capability): void {
  if (!may(ctx.viewer, capability)) throw new ActionError(refusal(ctx.viewer, capability));
}

type Definition<S extends z.ZodType, T> = {
  /** For logs. */
  name: string;
  schema: S;
  /** Return true to allow, or a sentence saying why not. Runs before the transaction. */
  authorize: (ctx: Ctx, input: z.infer<S>) => Promise<true | string> | true | string;
  /** Runs inside one transaction: `ctx.db` is the transaction. */
  run: (ctx: Ctx, input: z.infer<S>) => Promise<T>;
  /** Paths to revalidate after a successful run. */
  revalidate?: (input: z.infer<S>, data: T) => string[];
  message?: (data: T) => string;
  /** Where the browser goes after a successful run (the server action only; `runAction` returns). */
  redirectTo?: (data: T) => string;
};

/**
 * The one wrapper for every server action (a server action is a public POST endpoint): who is
 * asking, zod validation of the FormData (strings: coerce), authorization, a transaction, and a
 * typed result whose field errors the form shows beside each field. Nothing is written unless every
 * step passes.
 */
export function defineAction<S extends z.ZodType, T>(definition: Definition<S, T>) {
  const serverAction = async function serverAction(_previous: ActionResult<T> | null, formData: FormData): Promise<ActionResult<T>> {
    const result = await runAction(definition, formDataToObject(formData));
    // Outside runAction's try: redirect() works by throwing.
    if (result.ok && definition.redirectTo) redirect(definition.redirectTo(result.data));
    return result;
  };
  // The definition rides along so tests can find every server action from the files that export
  // them (test/authorization-actions.test.ts, test/fuzz-actions.test.ts) and run it with their own viewer.
  return Object.assign(serverAction, { definition });
}

export async function runAction<S extends z.ZodType, T>(definition: Definition<S, T>, raw: unknown, given?: Ctx | null): Promise<ActionResult<T>> {
  // Loaded lazily: the session module pulls in next-auth, which only runs inside Next.
  const ctx = given === undefined ? await (await import("@/lib/dal/session")).getContext() : given;
  if (!ctx) return { ok: false, error: "Your session has ended. Sign in again." };
  const parsed = definition.schema.safeParse(raw);
  if (!parsed.success) {
    const flat = z.flattenError(parsed.error);
    return { ok: false, error: "Check the highlighted fields.", fieldErrors: flat.fieldErrors as FieldErrors };
  }
  const input = parsed.data;
  try {
    const allowed = await definition.authorize(ctx, input);
    if (allowed !== true) return { ok: false, error: allowed };
    const data = await ctx.db.transaction((tx) => definition.run({ db: tx, viewer: ctx.viewer }, input));
    for (const path of definition.revalidate?.(input, data) ?? []) {
      // Outside a Next request (tests, scripts) there is no cache to revalidate.
      try {
        revalidatePath(path);
      } catch {}
    }
    return { ok: true, data, message: definition.message?.(data) };
  } catch (error) {
    if (error instanceof ActionError) return { ok: false, error: error.message, fieldErrors: error.fieldErrors };
    if (noteDatabaseError(error)) return { ok: false, error: "The database is not answering (restarting?); your change was not confirmed. Try again in a few seconds." };
    console.error(`[action ${definition.name}]`, error);
    return { ok: false, error: "Something went wrong; nothing was saved. Try again." };
  }
}

/** FormData to a plain object; a repeated key becomes an array; `$ACTION_*` fields are dropped. */
export function formDataToObject(formData: FormData): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of formData.entries()) {
    if (key.startsWith("$ACTION")) continue;
    const v = value;
    if (key in out) {
      const prev = out[key];
      out[key] = Array.isArray(prev) ? [...prev, v] : [prev, v];
    } else out[key] = v;
  }
  return out;
}
