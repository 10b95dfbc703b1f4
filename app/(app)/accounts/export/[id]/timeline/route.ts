import { TIMELINE_KINDS, timelineBatch, type TimelineEntry } from "@/lib/dal/timeline";
import { isUuid } from "@/lib/dal/viewer";
import { isoDay, openAccountExport } from "@/lib/export/account-export";
import { exportFileName, pagedRows, type CsvColumn } from "@/lib/export/csv";
import { badQuery, csvResponse } from "@/lib/export/response";

export const dynamic = "force-dynamic";
export const runtime = "nodejs";

/** The profile's query names a timeline view uses (tab, page, view and period are accepted and ignored). */
const PARAMS = ["kind", "author", "child", "from", "to", "tab", "page", "view", "period"];
const DETAIL_KEYS = ["type", "subject", "body", "status", "priority", "dueDate", "assignee", "from", "to", "label", "channel", "name", "url", "question"];

/** An account's timeline with the timeline tab's filters, newest first (what the tab lists, all pages). */
export async function GET(request: Request, { params }: { params: Promise<{ id: string }> }) {
  const opened = await openAccountExport(request, (await params).id, PARAMS, ["kind"]);
  if (!opened.ok) return opened.response;
  const { ctx, account, params: query } = opened;
  const kinds = query.kind ? query.kind.split(",").map((k) => k.trim()).filter(Boolean) : [];
  const unknown = kinds.filter((k) => !(TIMELINE_KINDS as readonly string[]).includes(k));
  if (unknown.length) return badQuery(`Unknown kind “${unknown[0].slice(0, 40)}”. Allowed: ${TIMELINE_KINDS.join(", ")}.`);
  for (const name of ["from", "to"] as const) {
    if (query[name] && !isoDay(query[name])) return badQuery(`“${name}” must be a date as YYYY-MM-DD.`);
  }
  for (const name of ["author", "child"] as const) {
    if (query[name] && !isUuid(query[name])) return badQuery(`“${name}” must be an id.`);
  }
  const filters = { kinds, author: query.author, child: query.child, from: query.from, to: query.to };
  const columns: CsvColumn<TimelineEntry>[] = [
    { header: "When", value: (e) => e.occurredAt },
    { header: "Kind", value: (e) => e.kind },
    { header: "Title", value: (e) => e.title },
    { header: "Account", value: (e) => e.accountName },
    { header: "By", value: (e) => e.actorName },
    { header: "Details", value: (e) => details(e.snapshot) },
  ];
  const rows = pagedRows((offset, limit) => timelineBatch(ctx, account, filters, offset, limit), 1000);
  return csvResponse(exportFileName([account.name, "timeline"]), columns, rows);
}

/** The snapshot's readable fields as "key: value" pairs (privileged changes never reach the timeline). */
function details(snapshot: Record<string, unknown>): string {
  return DETAIL_KEYS.flatMap((key) => {
    const value = snapshot[key];
    if (typeof value === "string" && value) return [`${key}: ${value}`];
    if (typeof value === "number" || typeof value === "boolean") return [`${key}: ${String(value)}`];
    return [];
  }).join("; ");
}
