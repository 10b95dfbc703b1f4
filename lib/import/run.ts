import "server-only";
import { z } from "zod";
import { actionDefinition } from "@/lib/actions/definition";
import { requires } from "@/lib/auth/permissions";
import type { Ctx } from "@/lib/dal/viewer";
import { upsertAccounts } from "@/lib/ingest/accounts";
import { ingestAssignments } from "@/lib/ingest/assignments";
import { upsertContacts } from "@/lib/ingest/contacts";
import { IngestError } from "@/lib/ingest/errors";
import {
  accountItem,
  assignmentItem,
  contactItem,
  usageEventItem,
  type AccountItem,
  type AssignmentItem,
  type ContactItem,
  type UsageEventItem,
} from "@/lib/ingest/schemas";
import { ingestUsage } from "@/lib/ingest/usage";
import { ingestStageChanges } from "@/lib/lifecycle/ingest";
import { stageChangeItem, type StageChangeItem } from "@/lib/lifecycle/schemas";
import { IMPORT_KINDS, rowToItem, type ImportKind } from "./csv";

export type ImportRow = { line: number; values: Record<string, string> };
export type RowError = { line: number; message: string };
export type ImportChunkResult = { imported: number; errors: RowError[] };

/** Items ready to write, each with the file lines it came from (a contact may span several rows). */
type Planned<T> = { item: T; lines: number[] };

/** Field labels for messages ("parentExternalId" → "Parent external id"). */
function fieldLabel(kind: ImportKind, path: (string | number)[]): string {
  const key = [...path].reverse().find((p) => typeof p === "string" && p !== "accounts");
  const field = IMPORT_KINDS[kind].fields.find((f) => f.key === key);
  return field ? `${field.label}: ` : "";
}

/**
 * Imports rows of a CSV file with the API's code (same zod schemas, same upserts, same rollup
 * upkeep). Rows that fail validation are reported with their line; the rest are written all or
 * nothing in a savepoint, and when the write refuses an item (an unknown parent, say) that item's
 * rows are reported and the others are written again without it.
 */
export async function importRows(ctx: Ctx, kind: ImportKind, rows: ImportRow[]): Promise<ImportChunkResult> {
  const errors: RowError[] = [];
  const schema: z.ZodType =
    kind === "accounts" ? accountItem : kind === "contacts" ? contactItem : kind === "assignments" ? assignmentItem : kind === "stages" ? stageChangeItem : usageEventItem;
  let planned: Planned<unknown>[] = [];
  const contactsById = new Map<string, Planned<ContactItem>>();
  for (const row of rows) {
    const parsed = schema.safeParse(rowToItem(kind, row.values));
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      errors.push({ line: row.line, message: `${fieldLabel(kind, issue.path as (string | number)[])}${issue.message}` });
      continue;
    }
    if (kind === "contacts") {
      // One contact on several rows (one per account it is linked to) becomes one item.
      const item = parsed.data as ContactItem;
      const seen = contactsById.get(item.externalId);
      if (seen) {
        seen.item.accounts = [...(seen.item.accounts ?? []), ...(item.accounts ?? [])];
        seen.lines.push(row.line);
        continue;
      }
      const entry = { item, lines: [row.line] };
      contactsById.set(item.externalId, entry);
      planned.push(entry);
    } else planned.push({ item: parsed.data, lines: [row.line] });
  }

  for (let attempt = 0; planned.length && attempt < 25; attempt++) {
    const items = planned.map((p) => p.item);
    try {
      await ctx.db.transaction(async (tx) => {
        const inner = { db: tx, viewer: ctx.viewer };
        if (kind === "accounts") await upsertAccounts(inner, items as AccountItem[], []);
        else if (kind === "contacts") await upsertContacts(inner, items as ContactItem[], []);
        else if (kind === "assignments") await ingestAssignments(inner, items as AssignmentItem[], [], "import");
        else if (kind === "stages") await ingestStageChanges(inner, items as StageChangeItem[], [], "import");
        else await ingestUsage(inner, items as UsageEventItem[], []);
      });
      return { imported: planned.reduce((n, p) => n + p.lines.length, 0), errors: errors.sort((a, b) => a.line - b.line) };
    } catch (error) {
      if (!(error instanceof IngestError)) throw error;
      const bad = new Set<number>();
      for (const issue of error.issues) {
        const index = issue.path[0];
        if (typeof index !== "number" || !planned[index]) continue;
        bad.add(index);
        const lines = planned[index].lines;
        // A contact's link j came from its (j+1)-th row.
        const linkIndex = issue.path[1] === "accounts" && typeof issue.path[2] === "number" ? issue.path[2] : null;
        const line = linkIndex !== null ? (lines[linkIndex] ?? lines[0]) : lines[0];
        errors.push({ line, message: `${fieldLabel(kind, issue.path)}${issue.message}` });
      }
      if (!bad.size) {
        for (const p of planned) for (const line of p.lines) errors.push({ line, message: error.message });
        planned = [];
        break;
      }
      planned = planned.filter((_, i) => !bad.has(i));
    }
  }
  for (const p of planned) for (const line of p.lines) errors.push({ line, message: "Not imported: too many errors in this part of the file." });
  return { imported: 0, errors: errors.sort((a, b) => a.line - b.line) };
}

const MAX_ROWS = 5000;

/** The import page's action (app/admin/import/actions.ts). */
export const importActions = {
  /** One part of a CSV file (the browser reads the file and sends it in parts, for the progress bar). */
  rows: actionDefinition({
    name: "importCsvRows",
    schema: z.object({
      kind: z.enum(["accounts", "contacts", "usage", "assignments", "stages"], { error: "Choose what the file holds." }),
      rows: z.string().transform((text, ctx): ImportRow[] => {
        try {
          const rows = JSON.parse(text) as unknown;
          const shape = z
            .array(z.object({ line: z.number().int().min(1), values: z.record(z.string(), z.string().max(20_000)) }))
            .min(1)
            .max(MAX_ROWS);
          const parsed = shape.safeParse(rows);
          if (parsed.success) return parsed.data;
        } catch {}
        ctx.addIssue({ code: "custom", message: "The rows could not be read: reload the page and try again." });
        return z.NEVER;
      }),
    }),
    authorize: requires("import.run"),
    run: (ctx, input) => importRows(ctx, input.kind, input.rows),
  }),
};
