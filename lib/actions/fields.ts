import "server-only";
import { z } from "zod";
import { isIsoDay, ISO_DAY } from "@/lib/days";
import { isHttpUrl } from "@/lib/urls";

/*
 * Field schemas for action definitions (lib/actions/definition.ts). Server actions receive FormData:
 * every value arrives as a string, or an array for repeated keys; these coerce and give
 * plain-language messages.
 */

const blankToUndefined = (value: unknown) => (typeof value === "string" && value.trim() === "" ? undefined : value);

/** A required id (any 8-4-4-4-12 hex id: demo ids are not RFC 4122 versions). */
export const idField = (message: string) => z.guid({ error: message });

/** An optional id: an empty string means none. */
export const optionalIdField = (message: string) => z.preprocess(blankToUndefined, z.guid({ error: message }).optional());

/** Required trimmed text with a length limit and plain-language messages. */
export function textField(label: string, max: number, options: { min?: number } = {}) {
  const min = options.min ?? 1;
  return z
    .string({ error: `Enter ${label}.` })
    .trim()
    .min(min, min <= 1 ? `Enter ${label}.` : `Use at least ${min} characters.`)
    .max(max, `Use at most ${max.toLocaleString("en-US")} characters (this has too many).`);
}

/** Optional trimmed text: empty becomes undefined. */
export function optionalTextField(max: number) {
  return z.preprocess(
    (value) => (value === undefined || value === null ? undefined : typeof value === "string" ? value.trim() || undefined : value),
    z.string().max(max, `Use at most ${max.toLocaleString("en-US")} characters (this has too many).`).optional(),
  );
}

const dayString = z
  .string({ error: "Enter a date as YYYY-MM-DD." })
  .trim()
  .refine((v) => ISO_DAY.test(v), "Enter the date as YYYY-MM-DD, e.g. 2026-12-31.")
  .refine((v) => !ISO_DAY.test(v) || isIsoDay(v), "That day does not exist in the calendar.")
  .refine((v) => !isIsoDay(v) || (v >= "1900-01-01" && v <= "2199-12-31"), "Pick a date between 1900 and 2199.");

/** A required `YYYY-MM-DD` day. */
export const dayField = dayString;

/** An optional `YYYY-MM-DD` day: empty means none. */
export const optionalDayField = z.preprocess(blankToUndefined, dayString.optional());

/** Checkbox groups and multi-selects: nothing, one string or several, always an array. */
export function idListField(message: string, max: number) {
  return z.preprocess(
    (value) => (value === undefined || value === null || value === "" ? [] : Array.isArray(value) ? value.filter((v) => v !== "") : [value]),
    z.array(z.guid({ error: message })).max(max, `Pick at most ${max}.`),
  );
}

/** An http(s) address. */
export const httpUrlField = z
  .string({ error: "Enter a link starting with http:// or https://." })
  .trim()
  .min(1, "Enter a link starting with http:// or https://.")
  .max(2000, "Use a link of at most 2,000 characters.")
  .refine(isHttpUrl, "Use a web address starting with http:// or https://.");

/** A checkbox: "on" (or "true") when ticked, absent when not. */
export const checkboxField = z.preprocess((value) => value === "on" || value === "true" || value === true, z.boolean());

/** An optional email address: empty means none. */
export const optionalEmailField = z.preprocess(
  blankToUndefined,
  z
    .string()
    .trim()
    .max(320, "Use an email address of at most 320 characters.")
    .pipe(z.email({ error: "Enter a valid email address, e.g. ana@example.com." }))
    .optional(),
);
