import Link from "next/link";
import type { TimelineEntry, TimelineKind } from "@/lib/dal/timeline";
import { formatBytes, formatDate, formatNumber, relativeTime } from "@/lib/format";

export const KIND_META: Record<TimelineKind, { label: string; icon: string; tone: string }> = {
  touchpoint: { label: "Touchpoint", icon: "☎", tone: "bg-sky-50 text-sky-800 ring-sky-200" },
  task: { label: "Task", icon: "✓", tone: "bg-violet-50 text-violet-800 ring-violet-200" },
  campaign: { label: "Campaign", icon: "✉", tone: "bg-pink-50 text-pink-800 ring-pink-200" },
  attribute_change: { label: "Attribute change", icon: "✎", tone: "bg-slate-50 text-slate-700 ring-slate-200" },
  lifecycle_change: { label: "Lifecycle change", icon: "➜", tone: "bg-indigo-50 text-indigo-800 ring-indigo-200" },
  health_change: { label: "Health change", icon: "♥", tone: "bg-rose-50 text-rose-800 ring-rose-200" },
  asset: { label: "Asset", icon: "▤", tone: "bg-amber-50 text-amber-900 ring-amber-200" },
  objective: { label: "Objective", icon: "◎", tone: "bg-emerald-50 text-emerald-800 ring-emerald-200" },
  request: { label: "Information request", icon: "?", tone: "bg-orange-50 text-orange-900 ring-orange-200" },
  hierarchy_change: { label: "Hierarchy change", icon: "⤴", tone: "bg-teal-50 text-teal-800 ring-teal-200" },
  assignment: { label: "Assignment", icon: "⚑", tone: "bg-lime-50 text-lime-900 ring-lime-200" },
  contact: { label: "Contact", icon: "✆", tone: "bg-cyan-50 text-cyan-900 ring-cyan-200" },
  revenue: { label: "Revenue", icon: "$", tone: "bg-green-50 text-green-900 ring-green-200" },
  collection_record: { label: "Record", icon: "▦", tone: "bg-stone-50 text-stone-800 ring-stone-200" },
};

export function KindBadge({ kind }: { kind: TimelineKind }) {
  const meta = KIND_META[kind] ?? { label: kind, icon: "•", tone: "bg-slate-50 text-slate-700 ring-slate-200" };
  return (
    <span className={`inline-flex shrink-0 items-center gap-1 rounded px-1.5 py-0.5 text-[11px] font-medium ring-1 ${meta.tone}`} data-kind={kind}>
      <span aria-hidden="true">{meta.icon}</span>
      {meta.label}
    </span>
  );
}

const absolute = new Intl.DateTimeFormat("en-GB", {
  day: "numeric",
  month: "short",
  year: "numeric",
  hour: "2-digit",
  minute: "2-digit",
  timeZone: "UTC",
  timeZoneName: "short",
});

/** Relative time with the exact instant in the title and the datetime attribute. */
export function When({ date, now }: { date: Date; now?: Date }) {
  return (
    <time dateTime={date.toISOString()} title={absolute.format(date)} className="whitespace-nowrap">
      {relativeTime(date, now)}
    </time>
  );
}

function text(snapshot: Record<string, unknown>, ...keys: string[]): string | null {
  for (const key of keys) {
    const value = snapshot[key];
    if (value === null || value === undefined || value === "") continue;
    if (typeof value === "string") return value;
    if (typeof value === "number" || typeof value === "boolean") return String(value);
    if (typeof value === "object" && !Array.isArray(value)) {
      const named = (value as Record<string, unknown>).name ?? (value as Record<string, unknown>).label;
      if (typeof named === "string") return named;
    }
    return JSON.stringify(value);
  }
  return null;
}

function names(value: unknown): string[] {
  if (!Array.isArray(value)) return [];
  return value
    .map((p) => (typeof p === "string" ? p : p && typeof p === "object" ? ((p as Record<string, unknown>).name as string | undefined) : undefined))
    .filter((n): n is string => typeof n === "string" && n.length > 0);
}

function excerpt(body: string, max = 220): string {
  const flat = body.replace(/\s+/g, " ").trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

function Change({ label, from, to }: { label?: string | null; from: string | null; to: string | null }) {
  return (
    <p className="text-sm text-slate-700">
      {label ? <span className="font-medium">{label}: </span> : null}
      <span className="text-slate-600">{from ?? "—"}</span>
      <span aria-label="changed to" className="mx-1">
        →
      </span>
      <span className="font-medium text-slate-900">{to ?? "—"}</span>
    </p>
  );
}

/** What the record looked like when the entry was written, by kind. */
export function EntrySnapshot({ entry }: { entry: TimelineEntry }) {
  const s = entry.snapshot ?? {};
  switch (entry.kind) {
    case "touchpoint": {
      const body = text(s, "body");
      const participants = names(s.participants);
      const type = text(s, "type");
      return (
        <div className="space-y-0.5 text-sm text-slate-700">
          {type ? <p className="text-xs font-medium uppercase text-slate-600">{type}</p> : null}
          {text(s, "subject") && !entry.title.includes(text(s, "subject")!) ? <p className="font-medium">{text(s, "subject")}</p> : null}
          {body ? <p>{excerpt(body)}</p> : null}
          {participants.length ? <p className="text-xs text-slate-600">With {participants.join(", ")}</p> : null}
        </div>
      );
    }
    case "task": {
      const due = text(s, "dueDate");
      const priority = text(s, "priority");
      const assignee = text(s, "assignee");
      const status = text(s, "status");
      return (
        <p className="flex flex-wrap gap-x-3 text-xs text-slate-600">
          {text(s, "title") && !entry.title.includes(text(s, "title")!) ? <span className="font-medium text-slate-800">{text(s, "title")}</span> : null}
          <span className="text-slate-500">As created:</span>
          <span>Due {due ? formatDate(due) : "—"}</span>
          {priority ? <span className="capitalize">Priority {priority}</span> : null}
          <span>Assignee {assignee ?? "none"}</span>
          {status ? <span>Status {status.replace("_", " ")}</span> : null}
        </p>
      );
    }
    case "attribute_change":
      return <Change label={text(s, "label", "attributeKey")} from={value(s.old ?? s.oldValue)} to={value(s.new ?? s.newValue)} />;
    case "lifecycle_change":
      return <Change label={text(s, "lifecycle")} from={text(s, "from")} to={text(s, "to")} />;
    case "health_change": {
      const score = typeof s.score === "number" || typeof s.score === "string" ? Math.round(Number(s.score)) : null;
      return (
        <div className="flex flex-wrap items-baseline gap-x-2">
          <Change label="Health" from={text(s, "from")} to={text(s, "to", "band")} />
          {score !== null && Number.isFinite(score) ? <span className="text-xs text-slate-600">score {score}</span> : null}
        </div>
      );
    }
    case "hierarchy_change":
      return <Change label="Parent" from={text(s, "from")} to={text(s, "to")} />;
    case "asset": {
      const name = text(s, "name");
      const kind = text(s, "kind");
      const url = text(s, "url");
      const size = typeof s.sizeBytes === "number" ? formatBytes(s.sizeBytes) : null;
      return (
        <p className="text-sm text-slate-700">
          {kind === "link" && url && /^https?:\/\//.test(url) ? (
            <a href={url} className="text-brand-700 underline underline-offset-2" rel="noopener noreferrer" target="_blank">
              {name ?? url}
            </a>
          ) : (
            <span className="font-medium">{name ?? "File"}</span>
          )}
          <span className="ml-2 text-xs text-slate-600">{[kind === "link" ? "link" : text(s, "contentType") ?? kind, size].filter(Boolean).join(" · ")}</span>
        </p>
      );
    }
    case "campaign": {
      const recipients = names(s.recipients);
      const opened = typeof s.opened === "number" ? s.opened : null;
      return (
        <p className="text-xs text-slate-600">
          {text(s, "channel") ? <span className="mr-2 capitalize">{text(s, "channel")}</span> : null}
          {recipients.length ? <span className="mr-2">to {recipients.join(", ")}</span> : null}
          {opened !== null && recipients.length ? (
            <span>
              {opened} of {recipients.length} opened
            </span>
          ) : null}
        </p>
      );
    }
    case "objective": {
      const due = text(s, "dueDate");
      return (
        <p className="text-xs text-slate-600">
          {due ? `Due ${formatDate(due)}` : "No due date"}
          {typeof s.progress === "number" ? ` · progress ${s.progress}% when added` : ""}
        </p>
      );
    }
    case "revenue":
    case "collection_record": {
      // A change through the API: each field from → to (a deletion's title says it all).
      const from = (s.from ?? {}) as Record<string, unknown>;
      const to = (s.to ?? {}) as Record<string, unknown>;
      const fields = Array.isArray(s.fields) ? s.fields.filter((f): f is string => typeof f === "string") : [];
      return fields.length ? (
        <div className="space-y-0.5">
          {fields.map((field) => (
            <Change key={field} label={field} from={value(from[field])} to={value(to[field])} />
          ))}
        </div>
      ) : null;
    }
    case "request":
      return (
        <p className="text-sm text-slate-700">
          {text(s, "question") ? <span>“{excerpt(text(s, "question")!)}”</span> : null}
          {text(s, "to") ? <span className="ml-2 text-xs text-slate-600">to {text(s, "to")}</span> : null}
        </p>
      );
    default:
      return null;
  }
}

/** An attribute value from a snapshot as text: numbers grouped, booleans as Yes/No, empty as null. */
function value(v: unknown): string | null {
  if (v === null || v === undefined || v === "") return null;
  if (typeof v === "number") return formatNumber(v);
  if (typeof v === "boolean") return v ? "Yes" : "No";
  if (typeof v === "string") return v;
  if (Array.isArray(v)) return v.map((x) => String(x)).join(", ");
  return JSON.stringify(v);
}

/** One entry as a list item: kind, title, snapshot, who and when; child activity names its account. */
export function TimelineItem({ entry, now, compact = false }: { entry: TimelineEntry; now?: Date; compact?: boolean }) {
  return (
    <li className={compact ? "py-2" : "py-3"} data-testid="timeline-entry" data-kind={entry.kind}>
      <div className="flex flex-wrap items-center gap-2">
        <KindBadge kind={entry.kind} />
        <span className={`font-medium text-slate-900 ${compact ? "text-sm" : ""}`}>{entry.title}</span>
      </div>
      {compact ? null : (
        <div className="mt-1">
          <EntrySnapshot entry={entry} />
        </div>
      )}
      <p className="mt-1 flex flex-wrap gap-x-2 text-xs text-slate-600">
        <span>
          {entry.actorName ?? "System"}
          {typeof entry.snapshot.via === "string" ? ` via ${entry.snapshot.via}` : null}
        </span>
        <span aria-hidden="true">·</span>
        <When date={entry.occurredAt} now={now} />
        {entry.fromDescendant ? (
          <>
            <span aria-hidden="true">·</span>
            <span>
              on{" "}
              <Link prefetch={false} href={`/accounts/${entry.accountId}`} className="text-brand-700 underline underline-offset-2">
                {entry.accountName}
              </Link>
            </span>
          </>
        ) : null}
      </p>
    </li>
  );
}
