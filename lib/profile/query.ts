import { z } from "zod";

/**
 * Everything a profile view depends on lives in the URL, so a pasted link reopens exactly that
 * view. Unknown or malformed values fall back to defaults instead of failing the page.
 */
export const PERIODS = [1, 7, 14, 30, 90, 180, 365] as const;
export type Period = (typeof PERIODS)[number];

const isoDate = /^\d{4}-\d{2}-\d{2}$/;

export type ProfileQuery = {
  tab: string | undefined;
  /** Header view: key info, recent changes or all attributes. */
  view: "key" | "recent" | "all";
  period: Period;
  from: string | undefined;
  to: string | undefined;
  q: string | undefined;
  page: number;
  kinds: string[];
  author: string | undefined;
  child: string | undefined;
  attribute: string | undefined;
  raw: Record<string, string>;
};

export type SearchParams = Record<string, string | string[] | undefined>;

function one(v: string | string[] | undefined): string | undefined {
  const s = Array.isArray(v) ? v[0] : v;
  return s === undefined ? undefined : s.slice(0, 500);
}

function validDate(v: string | undefined): string | undefined {
  if (!v || !isoDate.test(v)) return undefined;
  const d = new Date(`${v}T00:00:00Z`);
  return Number.isNaN(d.getTime()) || d.toISOString().slice(0, 10) !== v ? undefined : v;
}

export function parseProfileQuery(params: SearchParams, defaults: { period?: Period } = {}): ProfileQuery {
  const view = z.enum(["key", "recent", "all"]).catch("key").parse(one(params.view));
  const periodNum = Number(one(params.period));
  const period = (PERIODS as readonly number[]).includes(periodNum) ? (periodNum as Period) : (defaults.period ?? 30);
  let from = validDate(one(params.from));
  let to = validDate(one(params.to));
  if (from && to && from > to) [from, to] = [to, from];
  const pageNum = Number.parseInt(one(params.page) ?? "1", 10);
  // `kind=a,b` (joined by the form) and `kind=a&kind=b` (no JavaScript) both work.
  const kinds = [params.kind ?? []]
    .flat()
    .join(",")
    .slice(0, 1000)
    .split(",")
    .map((k) => k.trim())
    .filter((k) => /^[a-z_]{1,40}$/.test(k));
  const uuidOrUndefined = (v: string | undefined) => (v && /^[0-9a-f-]{36}$/i.test(v) ? v : undefined);
  const raw: Record<string, string> = {};
  for (const [k, v] of Object.entries(params)) {
    const s = one(v);
    if (s !== undefined) raw[k] = s;
  }
  return {
    tab: one(params.tab)?.toLowerCase(),
    view,
    period,
    from,
    to,
    q: one(params.q)?.trim().slice(0, 200) || undefined,
    page: Number.isFinite(pageNum) && pageNum >= 1 ? Math.min(pageNum, 1000) : 1,
    kinds,
    author: uuidOrUndefined(one(params.author)),
    child: uuidOrUndefined(one(params.child)),
    attribute: one(params.attribute)?.slice(0, 100),
    raw,
  };
}

/** The window [since, until) a query's period or custom range covers, relative to `now`. */
export function periodRange(query: Pick<ProfileQuery, "period" | "from" | "to">, now = new Date()): { since: Date; until: Date } {
  if (query.from) {
    const until = query.to ? new Date(`${query.to}T00:00:00Z`) : now;
    if (query.to) until.setUTCDate(until.getUTCDate() + 1);
    return { since: new Date(`${query.from}T00:00:00Z`), until };
  }
  return { since: new Date(now.getTime() - query.period * 86_400_000), until: now };
}

/** A link to the same profile with some query values changed (undefined removes one). */
export function profileHref(accountId: string, current: Record<string, string>, changes: Record<string, string | undefined>): string {
  const next = new URLSearchParams();
  for (const [k, v] of Object.entries({ ...current, ...changes })) if (v !== undefined && v !== "") next.set(k, v);
  const qs = next.toString();
  return `/accounts/${accountId}${qs ? `?${qs}` : ""}`;
}
