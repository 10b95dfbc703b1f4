import { planOf, type TaskView } from "@/lib/dal/activity";
import { openAccountExport } from "@/lib/export/account-export";
import { exportFileName, type CsvColumn } from "@/lib/export/csv";
import { badQuery, csvResponse } from "@/lib/export/response";

export const dynamic = "force-dynamic";
export const runtime = "nodejs";

/** An account's tasks as the Plan tab lists them; `done=1` adds the done and cancelled ones. */
export async function GET(request: Request, { params }: { params: Promise<{ id: string }> }) {
  const opened = await openAccountExport(request, (await params).id, ["done", "tab"]);
  if (!opened.ok) return opened.response;
  const { ctx, account, params: query } = opened;
  if (query.done !== undefined && query.done !== "1" && query.done !== "0") return badQuery("“done” must be 1 or 0.");
  const columns: CsvColumn<TaskView>[] = [
    { header: "Task", value: (t) => t.title },
    { header: "Status", value: (t) => t.status.replace("_", " ") },
    { header: "Priority", value: (t) => t.priority },
    { header: "Due", value: (t) => t.dueDate },
    { header: "Assignee", value: (t) => t.assigneeName },
    { header: "Objective", value: (t) => t.objectiveTitle },
    { header: "Completed", value: (t) => t.completedAt },
    { header: "Description", value: (t) => t.description },
  ];
  async function* rows() {
    yield (await planOf(ctx, account, { includeDone: query.done === "1" })).tasks;
  }
  return csvResponse(exportFileName([account.name, "tasks"]), columns, rows());
}
