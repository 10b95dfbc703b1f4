/**
 * The state of the accounts list (filters, columns, sort) and its one spelling as a query string.
 * The URL is the state: a pasted link reopens exactly that list, a saved view stores the same
 * normalized string, and a profile reached from the list carries it in `?list=` for j / k.
 * Unknown or malformed values are dropped, not errors: a mangled link still shows a useful list.
 * Plain data (no database): the SQL is built from it in ./query.ts.
 */

export const BANDS = ["good", "average", "poor"] as const;
export type Band = (typeof BANDS)[number];

/** Built-in columns; attribute columns are `a.<key>`. */
export const BUILTIN_COLUMNS = {
  type: "Type",
  health: "Health",
  stage: "Journey stage",
  csm: "CSM",
  parent: "Parent",
  mrr: "MRR",
  renewal: "Next renewal",
  touch: "Last touchpoint",
} as const;
export type BuiltinColumn = keyof typeof BUILTIN_COLUMNS;
export type ColumnKey = BuiltinColumn | `a.${string}`;
export const DEFAULT_COLUMNS: ColumnKey[] = ["type", "health", "stage", "csm"];

export const SORTS = {
  level: "Level, then name",
  name: "Name",
  health: "Health (poor first)",
  mrr: "MRR",
  renewal: "Next renewal",
  touch: "Last touchpoint",
} as const;
export type SortKey = keyof typeof SORTS;

export type ViewState = {
  /** Name or external id contains. */
  q?: string;
  /** Account type key. */
  type?: string;
  /** Accounts strictly below this account. */
  under?: string;
  /** Direct children of this account. */
  parent?: string;
  health: Band[];
  /** A stage of the customer journey, by key. */
  stage?: string;
  /** Assigned user (a user id, or "me": the person looking, so a shared view means "mine" for each). */
  user?: string;
  /** Assignment role name (with or without a user). */
  role?: string;
  /** Select (or any) attributes by key = value. */
  attributes: { key: string; value: string }[];
  /** An active contract ends within this many days. */
  renewal?: number;
  /** No touchpoint for at least this many days. */
  quiet?: number;
  columns: ColumnKey[];
  sort: SortKey;
  desc: boolean;
};

export type QueryInput = URLSearchParams | Record<string, string | string[] | undefined>;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const KEY = /^[a-z][a-z0-9_]{0,62}$/;
const MAX_ATTRIBUTES = 5;
const MAX_COLUMNS = 12;

function entries(input: QueryInput): [string, string][] {
  if (input instanceof URLSearchParams) return [...input.entries()];
  return Object.entries(input).flatMap(([k, v]) => (v === undefined ? [] : [v].flat().map((s): [string, string] => [k, s])));
}

const text = (v: string | undefined, max: number) => {
  const s = v?.trim().slice(0, max);
  return s ? s : undefined;
};
const days = (v: string | undefined) => {
  if (!v || !/^\d{1,4}$/.test(v)) return undefined;
  const n = Number(v);
  return n <= 3650 ? n : undefined;
};
const id = (v: string | undefined) => (v && UUID.test(v) ? v.toLowerCase() : undefined);

export function parseViewState(input: QueryInput): ViewState {
  const all = entries(input);
  const get = (k: string) => all.find(([key]) => key === k)?.[1];
  const attributes: ViewState["attributes"] = [];
  for (const [k, v] of all) {
    const key = k.startsWith("a.") ? k.slice(2) : "";
    const value = text(v, 200);
    if (KEY.test(key) && value && attributes.length < MAX_ATTRIBUTES && !attributes.some((a) => a.key === key)) attributes.push({ key, value });
  }
  // `csm=<id>` is the list's older spelling of "assigned as CSM".
  const csm = id(get("csm"));
  const user = csm ?? (get("user") === "me" ? "me" : id(get("user")));
  const role = csm ? "CSM" : text(get("role"), 100);
  // `cols=a,b` (links, saved views) or one `col` per ticked box (the list's form without JavaScript).
  const ticked = all.filter(([k]) => k === "col").map(([, v]) => v);
  const columnsParam = ticked.length ? ticked.join(",") : get("cols");
  const columns =
    columnsParam === undefined
      ? DEFAULT_COLUMNS
      : [...new Set(columnsParam.split(",").map((c) => c.trim()))]
          .filter((c): c is ColumnKey => c in BUILTIN_COLUMNS || (c.startsWith("a.") && KEY.test(c.slice(2))))
          .slice(0, MAX_COLUMNS);
  const sortParam = get("sort") ?? "";
  const desc = sortParam.startsWith("-");
  const sortKey = desc ? sortParam.slice(1) : sortParam;
  const sort = (sortKey in SORTS ? sortKey : "level") as SortKey;
  const health = [...new Set((get("health") ?? "").split(","))].filter((b): b is Band => (BANDS as readonly string[]).includes(b));
  const type = text(get("type"), 100);
  const stage = text(get("stage"), 100);
  return {
    q: text(get("q"), 200),
    type: type && KEY.test(type) ? type : undefined,
    under: id(get("under")),
    parent: id(get("parent")),
    health: BANDS.filter((b) => health.includes(b)),
    stage: stage && KEY.test(stage) ? stage : undefined,
    user,
    role,
    attributes,
    renewal: days(get("renewal")),
    quiet: days(get("quiet")),
    columns,
    sort,
    desc: desc && sort !== "level" ? true : false,
  };
}

/** The one spelling of a state: same state, same string (saved views and `?list=` compare them). */
export function viewQueryString(state: ViewState): string {
  const qs = new URLSearchParams();
  const set = (k: string, v: string | number | undefined) => {
    if (v !== undefined && v !== "") qs.set(k, String(v));
  };
  set("q", state.q);
  set("type", state.type);
  set("under", state.under);
  set("parent", state.parent);
  set("health", state.health.join(","));
  set("stage", state.stage);
  set("user", state.user);
  set("role", state.role);
  for (const a of [...state.attributes].sort((x, y) => x.key.localeCompare(y.key))) set(`a.${a.key}`, a.value);
  set("renewal", state.renewal);
  set("quiet", state.quiet);
  if (state.columns.join(",") !== DEFAULT_COLUMNS.join(",")) qs.set("cols", state.columns.join(","));
  if (state.sort !== "level") set("sort", `${state.desc ? "-" : ""}${state.sort}`);
  return qs.toString();
}

/** Whether any filter narrows the list (columns and sort do not). */
export function hasFilters(state: ViewState): boolean {
  return Boolean(
    state.q || state.type || state.under || state.parent || state.health.length || state.stage || state.user || state.role || state.attributes.length || state.renewal !== undefined || state.quiet !== undefined,
  );
}

/**
 * The list a profile was opened from, as it travels in `?list=`: either `view:<id>` (a saved view)
 * or the list's own query string. Anything else is no list.
 */
export type ListRef = { kind: "view"; id: string } | { kind: "query"; query: string };

export function parseListRef(value: string | undefined | null): ListRef | null {
  if (!value || value.length > 2000) return null;
  if (value === "all") return { kind: "query", query: "" };
  if (value.startsWith("view:")) {
    const viewId = id(value.slice(5));
    return viewId ? { kind: "view", id: viewId } : null;
  }
  return { kind: "query", query: viewQueryString(parseViewState(new URLSearchParams(value))) };
}

export function listParam(ref: ListRef): string {
  return ref.kind === "view" ? `view:${ref.id}` : ref.query || "all";
}
