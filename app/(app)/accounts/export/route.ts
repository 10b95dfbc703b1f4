import { searchAccounts, type AccountSearchRow } from "@/lib/dal/accounts";
import { ACCOUNT_SEARCH_PARAMS, parseAccountSearch } from "@/lib/dal/account-search-query";
import { getContext } from "@/lib/dal/session";
import { exportFileName, pagedRows, type CsvColumn } from "@/lib/export/csv";
import { badQuery, csvResponse, readQuery, signInRequired } from "@/lib/export/response";
import { publicOrigin } from "@/lib/unfurl/origin";

export const dynamic = "force-dynamic";
export const runtime = "nodejs";

/**
 * The accounts list as CSV: `/accounts/export?<the list's query>`, every account of every page that
 * the viewer may see, read with the list's own parser and search (so the list's filters apply).
 */
export async function GET(request: Request) {
  const ctx = await getContext();
  if (!ctx) return signInRequired();
  const url = new URL(request.url);
  const query = readQuery(url, ACCOUNT_SEARCH_PARAMS);
  if (!query.ok) return query.response;
  const { search, problems } = await parseAccountSearch(ctx, query.params);
  if (problems.length) return badQuery(problems.join(" "));
  const origin = await publicOrigin();
  const columns: CsvColumn<AccountSearchRow>[] = [
    { header: "Account", value: (a) => a.name },
    { header: "Type", value: (a) => a.typeName },
    { header: "Health", value: (a) => a.healthBand },
    { header: "Journey stage", value: (a) => a.stageName },
    { header: "CSM", value: (a) => a.csmName },
    { header: "Level", value: (a) => a.depth },
    { header: "Profile", value: (a) => `${origin}/accounts/${a.id}` },
  ];
  const rows = pagedRows(async (offset, limit) => (await searchAccounts(ctx, { ...search, offset, limit })).accounts, 2000);
  return csvResponse(exportFileName(["accounts", search.q ?? "", search.typeKey ?? ""]), columns, rows);
}
