import "server-only";
import { listAccountTypes, searchFilterOptions, type AccountSearch } from "./accounts";
import type { Ctx } from "./viewer";

/**
 * The accounts list's query (`/accounts?q=…&type=…`) read into an `AccountSearch`, in one place,
 * so every reader of that query (the list's CSV export today; the list itself once it moves here)
 * applies the same filters. A new filter on the list is added here: name, then the rule.
 */
export const ACCOUNT_SEARCH_PARAMS = ["q", "type", "health", "stage", "csm", "page"] as const;
const BANDS = ["good", "average", "poor"] as const;

export type AccountSearchQuery = {
  search: Omit<AccountSearch, "limit" | "offset">;
  page: number;
  /** Filter values that name nothing (an unknown type, stage, CSM or band), with what is allowed. */
  problems: string[];
};

/**
 * Reads the list's parameters. Unknown values are collected in `problems` rather than thrown: the
 * page drops them (a mangled link still shows a useful list), the export answers 400 with them.
 */
export async function parseAccountSearch(ctx: Ctx, params: Record<string, string | undefined>): Promise<AccountSearchQuery> {
  const [types, options] = await Promise.all([listAccountTypes(ctx), searchFilterOptions(ctx)]);
  const problems: string[] = [];
  const pick = <T,>(name: string, value: string | undefined, allowed: readonly T[], key: (t: T) => string): T | undefined => {
    if (!value) return undefined;
    const found = allowed.find((t) => key(t) === value);
    if (!found) problems.push(`“${value.slice(0, 60)}” is not a ${name} here (allowed: ${allowed.map(key).join(", ") || "none"}).`);
    return found;
  };
  const q = (params.q ?? "").trim().slice(0, 200);
  const typeKey = pick("type", params.type, types, (t) => t.key)?.key;
  const health = pick("health band", params.health, BANDS, (b) => b);
  const stageKey = pick("journey stage", params.stage, options.stages, (s) => s.key)?.key;
  const csm = params.csm ? options.csms.find((c) => c.id === params.csm) : undefined;
  if (params.csm && !csm) problems.push("The csm filter names no CSM of an account you can see.");
  const page = Math.max(1, Math.min(10_000, Number.parseInt(params.page ?? "1", 10) || 1));
  return { search: { q: q || undefined, typeKey, health, stageKey, csmId: csm?.id }, page, problems };
}
