import { getContext } from "@/lib/dal/session";
import { exportFileName, pagedRows, type CsvColumn } from "@/lib/export/csv";
import { badQuery, csvResponse, readQuery, signInRequired } from "@/lib/export/response";
import { publicOrigin } from "@/lib/unfurl/origin";
import { readViewQueryStrictly, VIEW_QUERY_PARAMS } from "@/lib/views/check";
import { listView, viewAttributeOptions, type ViewRow } from "@/lib/views/query";
import { findSavedView } from "@/lib/views/saved";
import { BUILTIN_COLUMNS, type BuiltinColumn } from "@/lib/views/state";

export const dynamic = "force-dynamic";
export const runtime = "nodejs";

/**
 * The accounts list as CSV: `/accounts/export?<the list's query>` (or `?view=<saved view id>`), every
 * account of every page that the viewer may see, with the list's filters, columns and sort: read by
 * the list's own query (lib/views), so a filter added to the list is exported too.
 */
export async function GET(request: Request) {
  const ctx = await getContext();
  if (!ctx) return signInRequired();
  const url = new URL(request.url);
  const attributeParams = [...url.searchParams.keys()].filter((k) => /^a\.[a-z][a-z0-9_]{0,62}$/.test(k));
  const query = readQuery(url, [...VIEW_QUERY_PARAMS, ...attributeParams], ["col"]);
  if (!query.ok) return query.response;
  let params = query.params;
  if (params.view) {
    const view = await findSavedView(ctx, params.view);
    // Missing and not shared with this viewer are the same answer.
    if (!view) return Response.json({ error: "This saved view does not exist or is not shared with you." }, { status: 404 });
    params = Object.fromEntries(new URLSearchParams(view.query));
  }
  const { state, problems } = await readViewQueryStrictly(ctx, params);
  if (problems.length) return badQuery(problems.join(" "));
  const [origin, attributes] = await Promise.all([publicOrigin(), viewAttributeOptions(ctx)]);
  const label = (c: string) => (c.startsWith("a.") ? (attributes.find((a) => `a.${a.key}` === c)?.label ?? c.slice(2)) : BUILTIN_COLUMNS[c as BuiltinColumn]);
  const columns: CsvColumn<ViewRow>[] = [
    { header: "Account", value: (a) => a.name },
    ...state.columns.map((c): CsvColumn<ViewRow> => ({ header: label(c), value: (a) => a.values[c] })),
    { header: "Level", value: (a) => a.depth },
    { header: "Profile", value: (a) => `${origin}/accounts/${a.id}` },
  ];
  const rows = pagedRows(async (offset, limit) => (await listView(ctx, state, { offset, limit })).rows, 2000);
  return csvResponse(exportFileName(["accounts", state.q ?? "", state.type ?? ""]), columns, rows);
}
