import { myOpenTasks, type PortfolioTask } from "@/lib/dal/portfolio";
import { getContext } from "@/lib/dal/session";
import { exportFileName, type CsvColumn } from "@/lib/export/csv";
import { csvResponse, readQuery, signInRequired } from "@/lib/export/response";

export const dynamic = "force-dynamic";
export const runtime = "nodejs";

/** My open tasks (the portfolio's task list, all of them rather than the first 50) as CSV. */
export async function GET(request: Request) {
  const ctx = await getContext();
  if (!ctx) return signInRequired();
  const query = readQuery(new URL(request.url), []);
  if (!query.ok) return query.response;
  const columns: CsvColumn<PortfolioTask>[] = [
    { header: "Task", value: (t) => t.title },
    { header: "Account", value: (t) => t.accountName },
    { header: "Due", value: (t) => t.dueDate },
    { header: "Priority", value: (t) => t.priority },
    { header: "Status", value: (t) => t.status.replace("_", " ") },
  ];
  async function* rows() {
    yield await myOpenTasks(ctx!, 10_000);
  }
  return csvResponse(exportFileName(["my-open-tasks"]), columns, rows());
}
