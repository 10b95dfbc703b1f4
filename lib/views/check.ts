import "server-only";
import { listAccountTypes, searchFilterOptions } from "@/lib/dal/accounts";
import type { Ctx } from "@/lib/dal/viewer";
import { BANDS, SORTS, parseViewState, type ViewState } from "./state";

/** Every parameter the accounts list reads (attribute filters `a.<key>` come on top). */
export const VIEW_QUERY_PARAMS = ["q", "type", "under", "parent", "health", "stage", "user", "csm", "role", "renewal", "quiet", "cols", "col", "sort", "view"] as const;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The list's query read strictly: the page drops values that name nothing (a mangled link still shows
 * a useful list), but an export must not silently widen to everything, so this names each such value
 * (with what is allowed) and the caller answers 400. `col` may come joined by commas.
 */
export async function readViewQueryStrictly(ctx: Ctx, params: Record<string, string>): Promise<{ state: ViewState; problems: string[] }> {
  const [types, options] = await Promise.all([listAccountTypes(ctx), searchFilterOptions(ctx)]);
  const problems: string[] = [];
  const oneOf = (name: string, value: string | undefined, allowed: readonly string[]) => {
    if (value && !allowed.includes(value)) problems.push(`“${value.slice(0, 60)}” is not a ${name} here (allowed: ${allowed.join(", ") || "none"}).`);
  };
  oneOf("type", params.type, types.map((t) => t.key));
  for (const band of params.health ? params.health.split(",") : []) oneOf("health band", band, BANDS);
  oneOf("journey stage", params.stage, options.stages.map((s) => s.key));
  if (params.csm && !options.csms.some((c) => c.id === params.csm)) problems.push("The csm filter names no CSM of an account you can see.");
  for (const name of ["under", "parent"] as const) if (params[name] && !UUID.test(params[name])) problems.push(`${name} must be an account id.`);
  if (params.user && params.user !== "me" && !UUID.test(params.user)) problems.push("user must be a user id or “me”.");
  for (const name of ["renewal", "quiet"] as const) {
    if (params[name] && !(/^\d{1,4}$/.test(params[name]) && Number(params[name]) <= 3650)) problems.push(`${name} must be a number of days (0 to 3650).`);
  }
  if (params.sort && !(params.sort.replace(/^-/, "") in SORTS)) problems.push(`“${params.sort.slice(0, 40)}” is not a sort here (allowed: ${Object.keys(SORTS).join(", ")}).`);
  const { col, ...rest } = params;
  const state = parseViewState(col ? { ...rest, cols: col } : rest);
  return { state, problems };
}
