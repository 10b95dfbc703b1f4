import { myAccounts, type PortfolioAccount } from "@/lib/dal/portfolio";
import { getContext } from "@/lib/dal/session";
import { exportFileName, type CsvColumn } from "@/lib/export/csv";
import { csvResponse, readQuery, signInRequired } from "@/lib/export/response";
import { publicOrigin } from "@/lib/unfurl/origin";

export const dynamic = "force-dynamic";
export const runtime = "nodejs";

/** My portfolio's accounts (the ones the viewer is assigned to) as CSV. */
export async function GET(request: Request) {
  const ctx = await getContext();
  if (!ctx) return signInRequired();
  const query = readQuery(new URL(request.url), []);
  if (!query.ok) return query.response;
  const origin = await publicOrigin();
  const columns: CsvColumn<PortfolioAccount>[] = [
    { header: "Account", value: (a) => a.name },
    { header: "Type", value: (a) => a.typeName },
    { header: "My role", value: (a) => a.roles },
    { header: "Health", value: (a) => a.healthBand },
    { header: "Health score", value: (a) => (a.healthScore === null ? null : Math.round(a.healthScore)) },
    { header: "Journey stage", value: (a) => a.journeyStage },
    { header: "Profile", value: (a) => `${origin}/accounts/${a.id}` },
  ];
  async function* rows() {
    yield await myAccounts(ctx!);
  }
  return csvResponse(exportFileName(["my-portfolio"]), columns, rows());
}
