import type { Random } from "../random";

/* Time and text helpers of the demo generator (UTC). */

export const DAY = 86_400_000;
export const HOUR = 3_600_000;

export function floorDay(ms: number): number {
  return Math.floor(ms / DAY) * DAY;
}
export function isoDay(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}
export function mondayOf(ms: number): number {
  const day = floorDay(ms);
  const isoDow = (new Date(day).getUTCDay() + 6) % 7;
  return day - isoDow * DAY;
}
export function addMonths(ms: number, months: number): number {
  const d = new Date(ms);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + months, d.getUTCDate());
}
/** A moment during office hours (08:00–18:00 UTC) on the day of `dayMs`. */
export function officeTime(rng: Random, dayMs: number): number {
  return floorDay(dayMs) + 8 * HOUR + Math.floor(rng.next() * 10 * HOUR);
}
export function clamp(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, value));
}
export function round1(value: number): number {
  return Math.round(value * 10) / 10;
}
export function fill(template: string, values: Record<string, string | number>): string {
  return template.replace(/\{(\w+)\}/g, (_, key: string) => String(values[key] ?? `{${key}}`));
}
export function slug(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-|-$/g, "");
}
export function excerpt(text: string, max = 180): string {
  return text.length <= max ? text : `${text.slice(0, max - 1).trimEnd()}…`;
}
