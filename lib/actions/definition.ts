import "server-only";
import type { z } from "zod";
import type { runAction } from "./define";

/**
 * An action definition as `defineAction` and `runAction` take it, kept as a plain object in a
 * domain module under lib/ so the server-action file under app/ only wraps it and tests can
 * run it with their own database and viewer.
 */
export type ActionDefinition<S extends z.ZodType, T> = Parameters<typeof runAction<S, T>>[0];

/** Identity with inference: the schema types the input of `authorize` and `run`. */
export function actionDefinition<S extends z.ZodType, T>(definition: ActionDefinition<S, T>): ActionDefinition<S, T> {
  return definition;
}
