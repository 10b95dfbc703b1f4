/**
 * Attribute values as forms see them: a typed JSON value <-> the string an input holds. Pure, so
 * the edit-in-place components and the server agree on both directions.
 */

import { httpUrl } from "@/lib/urls";

export type AttributeDataType = "text" | "long_text" | "number" | "currency" | "percent" | "date" | "select" | "multi_select" | "boolean" | "url" | "user";

/** Every data type with the words the admin pages use. */
export const DATA_TYPES: { value: AttributeDataType; label: string }[] = [
  { value: "text", label: "Text" },
  { value: "long_text", label: "Long text" },
  { value: "number", label: "Number" },
  { value: "currency", label: "Currency" },
  { value: "percent", label: "Percent" },
  { value: "date", label: "Date" },
  { value: "select", label: "Select (one option)" },
  { value: "multi_select", label: "Multi-select" },
  { value: "boolean", label: "Yes / No" },
  { value: "url", label: "URL" },
  { value: "user", label: "User" },
];

export type AttributeShape = {
  key: string;
  label: string;
  dataType: AttributeDataType | string;
  options?: readonly string[] | null;
};

export type Parsed = { ok: true; value: unknown } | { ok: false; message: string };

export const TEXT_MAX = 5000;

/** Extra limits for well-known keys (the company profile's numbers and the commercial fields). */
const NUMBER_RULES: Record<string, { integer?: boolean; min?: number; max?: () => number; hint: string }> = {
  employees: { integer: true, min: 0, hint: "Enter a whole number of employees (0 or more)." },
  seats: { integer: true, min: 0, hint: "Enter a whole number of seats (0 or more)." },
  year_established: { integer: true, min: 1600, max: () => new Date().getUTCFullYear(), hint: "Enter a year such as 1998, not in the future." },
  probability: { min: 0, max: () => 100, hint: "Enter a percentage from 0 to 100." },
  discount_pct: { min: 0, max: () => 100, hint: "Enter a percentage from 0 to 100." },
};

const ISO_DAY = /^\d{4}-\d{2}-\d{2}$/;

function validDay(value: string): boolean {
  if (!ISO_DAY.test(value)) return false;
  const date = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === value;
}

/** A number typed by a person: spaces, thousands commas and a leading currency sign are tolerated. */
function readNumber(raw: string): number | null {
  const cleaned = raw.replace(/[\s,]/g, "").replace(/^[$€£]/, "");
  if (!/^-?(\d+\.?\d*|\.\d+)(e-?\d+)?$/i.test(cleaned)) return null;
  const n = Number(cleaned);
  return Number.isFinite(n) ? n : null;
}

/**
 * The typed value of what was entered for the attribute, or a message saying what is wrong. An
 * empty input clears the value (null).
 */
export function parseAttributeInput(attribute: AttributeShape, input: unknown): Parsed {
  if (input !== undefined && input !== null && typeof input !== "string") return { ok: false, message: "Enter a single value." };
  const raw = (input ?? "").trim();
  if (raw === "") return { ok: true, value: null };
  switch (attribute.dataType) {
    case "text":
    case "long_text":
      return raw.length > TEXT_MAX ? { ok: false, message: `Use at most ${TEXT_MAX.toLocaleString("en-US")} characters (this has ${raw.length.toLocaleString("en-US")}).` } : { ok: true, value: raw };
    case "number":
    case "currency": {
      const n = readNumber(raw);
      const rule = NUMBER_RULES[attribute.key];
      if (n === null) return { ok: false, message: rule?.hint ?? (attribute.dataType === "currency" ? "Enter an amount, e.g. 12500 or 12,500.50." : "Enter a number, e.g. 42 or 3.5.") };
      if (attribute.dataType === "currency") {
        if (n < 0) return { ok: false, message: "Enter an amount of 0 or more." };
        if (n >= 1e13) return { ok: false, message: "That amount is too large." };
        return { ok: true, value: Math.round(n * 100) / 100 };
      }
      if (rule) {
        const max = rule.max?.();
        if ((rule.integer && !Number.isInteger(n)) || (rule.min !== undefined && n < rule.min) || (max !== undefined && n > max)) {
          return { ok: false, message: rule.hint };
        }
      }
      if (Math.abs(n) >= 1e15) return { ok: false, message: "That number is too large." };
      return { ok: true, value: n };
    }
    case "percent": {
      const n = readNumber(raw.replace(/%$/, ""));
      if (n === null) return { ok: false, message: "Enter a percentage, e.g. 12.5." };
      if (Math.abs(n) > 1e6) return { ok: false, message: "That percentage is too large." };
      return { ok: true, value: n };
    }
    case "multi_select": {
      // Stored as an array of options; typed as one option per comma (or a JSON array).
      let picked: string[];
      try {
        const json = raw.startsWith("[") ? JSON.parse(raw) : null;
        picked = Array.isArray(json) ? json.map((v) => String(v).trim()) : raw.split(",").map((v) => v.trim());
      } catch {
        picked = raw.split(",").map((v) => v.trim());
      }
      picked = [...new Set(picked.filter(Boolean))];
      const options = attribute.options ?? [];
      const unknown = picked.filter((p) => options.length && !options.includes(p));
      if (unknown.length) return { ok: false, message: `Pick from: ${options.join(", ")}.` };
      return picked.length ? { ok: true, value: picked } : { ok: true, value: null };
    }
    case "user":
      return /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(raw) ? { ok: true, value: raw.toLowerCase() } : { ok: false, message: "Pick a user." };
    case "date":
      if (!ISO_DAY.test(raw)) return { ok: false, message: "Enter the date as YYYY-MM-DD, e.g. 2026-12-31." };
      if (!validDay(raw)) return { ok: false, message: "That day does not exist in the calendar." };
      if (raw < "1600-01-01" || raw > "2199-12-31") return { ok: false, message: "Pick a date between 1600 and 2199." };
      return { ok: true, value: raw };
    case "select": {
      const options = attribute.options ?? [];
      if (options.length && !options.includes(raw)) return { ok: false, message: `Pick one of: ${options.join(", ")}.` };
      return raw.length > 200 ? { ok: false, message: "Use at most 200 characters." } : { ok: true, value: raw };
    }
    case "boolean":
      if (/^(true|yes|1|on)$/i.test(raw)) return { ok: true, value: true };
      if (/^(false|no|0|off)$/i.test(raw)) return { ok: true, value: false };
      return { ok: false, message: "Choose Yes or No." };
    case "url": {
      if (raw.length > 2000) return { ok: false, message: "Use a link of at most 2,000 characters." };
      const url = httpUrl(raw);
      return url ? { ok: true, value: url } : { ok: false, message: "Use a web address starting with http:// or https://." };
    }
    default:
      return raw.length > TEXT_MAX ? { ok: false, message: `Use at most ${TEXT_MAX} characters.` } : { ok: true, value: raw };
  }
}

/** What an input shows for a stored value (the inverse of parseAttributeInput). */
export function attributeInputValue(dataType: string, value: unknown): string {
  if (value === null || value === undefined) return "";
  if (dataType === "boolean") return value === true || value === "true" ? "true" : value === false || value === "false" ? "false" : "";
  if (dataType === "date" && typeof value === "string") return value.slice(0, 10);
  if (Array.isArray(value)) return value.map(String).join(", ");
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  return JSON.stringify(value);
}

export function sameValue(a: unknown, b: unknown): boolean {
  return JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
}
