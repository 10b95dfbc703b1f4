/**
 * Malformed input for the fuzz tests: a seeded PRNG (so a failure reproduces: FUZZ_SEED=<n>) and
 * generators of hostile values — wrong types, huge and empty strings, unicode, control characters,
 * negative and non-finite numbers, crafted ids, prototype-pollution keys, nested junk.
 */

import { mulberry32 } from "@/db/seed/random";

/** A seeded generator (mulberry32) to pick test cases, so a failing run can be replayed with its seed. */
export function prng(seed: number) {
  const next = mulberry32(seed);
  const int = (min: number, max: number) => min + Math.floor(next() * (max - min + 1));
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)];
  return { next, int, pick, chance: (p: number) => next() < p };
}
export type Prng = ReturnType<typeof prng>;

export const FUZZ_SEED = Number(process.env.FUZZ_SEED ?? 0xc360_2026);

/** A syntactically valid id that names nothing (random, so never a demo id). */
export function craftedId(r: Prng): string {
  const hex = (n: number) => Array.from({ length: n }, () => "0123456789abcdef"[r.int(0, 15)]).join("");
  return `${hex(8)}-${hex(4)}-4${hex(3)}-8${hex(3)}-${hex(12)}`;
}

const STRINGS = [
  "",
  " ",
  "\u0000",
  "\u0000\u0001\u0002",
  "null",
  "undefined",
  "NaN",
  "-1",
  "1e309",
  "0x41",
  "true",
  "on",
  "<script>alert(1)</script>",
  "'; drop table accounts; --",
  "\" or 1=1 --",
  "../../../../etc/passwd",
  "%00%2e%2e%2f",
  "${7*7}{{7*7}}",
  "\u202Eevil\u202C",
  "🦄🔥💥".repeat(20),
  "ｆｕｌｌｗｉｄｔｈ",
  "e\u0301\u0301\u0301\u0301",
  "\uD800",
  "\r\n\r\nX-Injected: 1",
  "__proto__",
  "constructor",
  "00000000-0000-0000-0000-000000000000",
  "ffffffff-ffff-ffff-ffff-ffffffffffff",
  "not-a-uuid",
  "contact:not-a-uuid",
  "user:00000000-0000-4000-8000-000000000000",
  "2026-02-30",
  "9999-99-99",
  "-0001-01-01",
  "javascript:alert(1)",
  "https://",
  "http://127.0.0.1:1/",
  "a@b",
  "@@@",
];

/** One hostile value of any type. */
export function junkValue(r: Prng, depth = 0): unknown {
  switch (r.int(0, 13)) {
    case 0:
      return r.pick(STRINGS);
    case 1:
      return "x".repeat(r.pick([201, 4_001, 100_001, 1_000_001]));
    case 2:
      return r.pick([-1, -999999, 0, 1.5, Number.MAX_SAFE_INTEGER, -Number.MAX_SAFE_INTEGER, 1e308]);
    case 3:
      return r.pick([Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY]);
    case 4:
      return r.pick([true, false, null, undefined]);
    case 5:
      return craftedId(r);
    case 6:
      return depth < 2 ? Array.from({ length: r.int(0, 4) }, () => junkValue(r, depth + 1)) : [];
    case 7:
      return depth < 2 ? { [r.pick(["a", "__proto__", "constructor", "toString"])]: junkValue(r, depth + 1) } : {};
    case 8:
      return Array.from({ length: r.int(1, 300) }, () => String.fromCodePoint(r.int(0, 0x2ffff))).join("");
    case 9:
      return Array.from({ length: r.pick([2, 51, 101, 201, 5_000]) }, () => craftedId(r));
    case 10:
      return `${r.pick(["contact", "user", "team", ""])}:${r.chance(0.5) ? craftedId(r) : r.pick(STRINGS)}`;
    case 11:
      return r.pick(["2026-13-01", "2026-01-32", "1899-12-31", "2200-01-01", "today", "01/02/2026"]);
    case 12:
      return BigInt(r.int(-5, 5)).toString() + "n";
    default:
      return String(r.int(-1_000_000, 1_000_000));
  }
}

/** Keys that try to reach Object.prototype or confuse a parser. */
export const HOSTILE_KEYS = ["__proto__", "constructor", "prototype", "toString", "hasOwnProperty", "$ACTION_ID_x", "", "a.b", "a[b]", "🦄"];

/** A hostile plain object: the expected keys with junk, some dropped, hostile keys added. */
export function junkPayload(r: Prng, keys: string[]): Record<string, unknown> {
  const payload: Record<string, unknown> = Object.create(null);
  for (const key of keys) if (!r.chance(0.2)) payload[key] = junkValue(r);
  for (let i = r.int(0, 2); i > 0; i--) {
    const key = r.pick(HOSTILE_KEYS);
    payload[key] = r.chance(0.5) ? { polluted: true, isAdmin: true } : junkValue(r);
  }
  return payload;
}

/** Any junk value as text (a `toString` key that is not a function defeats String()). */
export function asText(value: unknown): string {
  try {
    return String(value);
  } catch {
    return JSON.stringify(value, (_k, v) => (typeof v === "bigint" ? String(v) : v)) ?? "";
  }
}

/** encodeURIComponent that survives lone surrogates (they become U+FFFD). */
export function encodeJunk(value: string): string {
  return encodeURIComponent(value.replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, "\uFFFD"));
}
