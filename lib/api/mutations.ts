import "server-only";
import { sql } from "drizzle-orm";
import { z } from "zod";
import { ActionError } from "@/lib/actions/define";
import { reassignTask } from "@/lib/activity/task-reassign";
import { setTaskStatus } from "@/lib/activity/tasks";
import { findAccount } from "@/lib/dal/accounts";
import type { Ctx } from "@/lib/dal/viewer";
import { archiveAccount, moveAccount, renameAccount } from "@/lib/hierarchy/accounts";
import { updateContact } from "@/lib/contacts/edit";
import { findContact } from "@/lib/dal/contacts";
import { checkCollectionValues } from "@/lib/ingest/collections";
import { IngestError } from "@/lib/ingest/errors";
import { IssueList, rows } from "@/lib/ingest/resolve";
import { collectionRecordPatch, contactPatch, invoicePatch, salePatch, touchpointPatch } from "@/lib/ingest/schemas";
import type { CollectionColumn } from "@/db/schema";
import { touchpointTypeLabel } from "@/lib/activity/touchpoints";
import { renderedText } from "@/lib/mentions/record";
import { deleteContact } from "@/lib/contacts/delete";
import { CAMPAIGN_MUTATIONS } from "./campaign-writes";
import { accountRowWrites, fieldChanges, ROW_DELETED, type TimelineNote } from "./record-writes";
import type { ApiScope } from "./scopes";

/**
 * PATCH and DELETE of one record in /api/v1 (issue 17), through the same domain functions as the
 * app (hierarchy rules, rollups, timeline), so an API change is recorded like one made in the app.
 * Each runs in one transaction (lib/api/handler.ts apiMutate). A record outside the token's reach
 * is a 404, exactly like a missing one.
 */
export type Mutation<S extends z.ZodType = z.ZodType> = {
  path: string;
  method: "PATCH" | "DELETE";
  scope: ApiScope;
  summary: string;
  description: string;
  /** PATCH only; DELETE takes no body. */
  body?: S;
  /** How many uuids the id joins with ":" (a campaign send: campaign, contact, account); default 1. */
  idParts?: number;
  /** The JSON Schema of `data` in the 200 answer (default: an object). */
  response?: Record<string, unknown>;
  /** What a 409 means for this record, when it can answer one besides a concurrent write. */
  conflict?: string;
  run: (ctx: Ctx, id: string, body: z.infer<S>) => Promise<unknown>;
};

function mutation<S extends z.ZodType>(m: Mutation<S>): Mutation<S> {
  return m;
}

const NOT_FOUND = "No such record (or it is outside what this token may change).";

/** The domain's refusals (ActionError) as API answers: "not found" → 404, the rest → 422. */
async function asApi<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (!(error instanceof ActionError)) throw error;
    if (/not found|does not exist/i.test(error.message)) throw new IngestError(404, NOT_FOUND);
    const issues = Object.entries(error.fieldErrors ?? {}).flatMap(([field, messages]) => (messages ?? []).map((message) => ({ path: [field], message })));
    throw new IngestError(422, error.message, issues);
  }
}

// Invoices, sales, collection records and touchpoints: PATCH and DELETE by id, all alike (lib/api/record-writes.ts).
// Each change is on the account's timeline too: what changed, from and to (or the record as deleted).

/** "Invoice INV-7 changed (paid on)" / "Invoice INV-7 deleted", kind revenue. */
const revenueNote = (what: (row: Record<string, unknown>) => string) => async (_ctx: Ctx, before: Record<string, unknown>, after: Record<string, unknown> | null): Promise<TimelineNote> => {
  if (!after) return { kind: "revenue", title: `${what(before)} deleted`, snapshot: { change: "deleted", amount: before.amount } };
  const changes = fieldChanges(before, after);
  return { kind: "revenue", title: `${what(after)} changed (${changes.fields.join(", ")})`, snapshot: { change: "edited", ...changes } };
};

/** A corrected touchpoint: a new entry showing it as corrected (the entry of when it was logged stays as it was). */
async function touchpointNote(ctx: Ctx, before: Record<string, unknown>, after: Record<string, unknown> | null): Promise<TimelineNote> {
  const row = after ?? before;
  const label = touchpointTypeLabel(String(row.type));
  if (!after) return { kind: "touchpoint", title: `${label} deleted: ${row.subject}`, snapshot: { change: "deleted", type: row.type, subject: row.subject } };
  const participants = await rows<{ name: string }>(
    ctx.db,
    sql`select coalesce(c.name, u.name) as name from touchpoint_participants p left join contacts c on c.id = p.contact_id left join users u on u.id = p.user_id
        where p.touchpoint_id = ${String(row.id)}::uuid order by p.id`,
  );
  return {
    kind: "touchpoint",
    title: `${label} corrected: ${row.subject}`,
    snapshot: {
      change: "corrected",
      fields: fieldChanges(before, after).fields,
      type: row.type,
      subject: row.subject,
      body: await renderedText(ctx, String(row.body ?? "")),
      date: String(row.occurred_at).slice(0, 10),
      participants: participants.map((p) => p.name).filter(Boolean),
    },
  };
}
const invoiceWrites = accountRowWrites({
  target: "invoice",
  table: "invoices",
  path: "/api/v1/invoices",
  scope: "revenue:write",
  label: "an invoice",
  patch: invoicePatch,
  patchSummary: "Change an invoice (e.g. mark it paid)",
  patchDescription: "Changes the fields sent (paidOn: null marks it unpaid again). The change is on the account's timeline and in the audit log with the invoice before and after.",
  deleteDescription: "Deletes the invoice (sent by mistake, or voided in the billing system); the audit log keeps it as it was.",
  check: { sql: sql`r.due_on >= r.issued_on`, path: "dueOn", message: "The due date is before the issue date." },
  timeline: revenueNote((row) => `Invoice ${row.number}`),
});
const saleWrites = accountRowWrites({
  target: "sale",
  table: "sales",
  path: "/api/v1/sales",
  scope: "revenue:write",
  label: "a sale",
  patch: salePatch,
  patchSummary: "Change a sale",
  patchDescription: "Changes the fields sent. The change is on the account's timeline and in the audit log with the sale before and after.",
  deleteDescription: "Deletes the sale; the audit log keeps it as it was.",
  timeline: revenueNote((row) => `Sale “${row.name}”`),
});
const collectionRecordWrites = accountRowWrites({
  target: "collection_record",
  table: "collection_records",
  path: "/api/v1/collection-records",
  scope: "collections:write",
  label: "a collection record",
  patch: collectionRecordPatch,
  patchSummary: "Change a collection record's values",
  patchDescription: "Sets the values sent (null clears one); values not sent stay. Each is checked against its column's type.",
  deleteDescription: "Deletes the record; the audit log keeps it as it was.",
  async columns(ctx, row, body) {
    const [collection] = await rows<{ columns: CollectionColumn[] }>(ctx.db, sql`select columns from collections where id = ${String(row.collection_id)}::uuid`);
    const issues = new IssueList();
    checkCollectionValues(issues, ["values"], collection.columns, body.values);
    issues.throwIfAny();
    return { values: JSON.stringify({ ...(row.values as Record<string, unknown>), ...body.values }) };
  },
  async timeline(ctx, before, after) {
    const [collection] = await rows<{ name: string }>(ctx.db, sql`select name from collections where id = ${String(before.collection_id)}::uuid`);
    const values = (row: Record<string, unknown>) => (row.values ?? {}) as Record<string, unknown>;
    const label = values(after ?? before).name ?? values(after ?? before).title;
    const what = `${collection?.name ?? "Collection"} record${typeof label === "string" ? ` “${label}”` : ""}`;
    if (!after) return { kind: "collection_record", title: `${what} deleted`, snapshot: { change: "deleted", values: values(before) } };
    const changes = fieldChanges(values(before), values(after));
    return { kind: "collection_record", title: `${what} changed (${changes.fields.join(", ")})`, snapshot: { change: "edited", ...changes } };
  },
});
const touchpointWrites = accountRowWrites({
  target: "touchpoint",
  table: "touchpoints",
  path: "/api/v1/touchpoints",
  scope: "touchpoints:write",
  label: "a touchpoint",
  feedsHealth: true,
  patch: touchpointPatch,
  patchSummary: "Correct a touchpoint",
  patchDescription:
    "Changes the fields sent. The timeline keeps the entry written when it was logged and adds one showing the touchpoint as corrected; the audit log has it before and after.",
  deleteDescription: "Deletes the touchpoint (logged by mistake) with its participants; its timeline entry and the audit log keep it as it was, and a timeline entry notes the deletion.",
  timeline: touchpointNote,
});

const accountPatch = z
  .object({
    name: z.string().trim().min(1, "Enter a name.").max(200, "Use at most 200 characters.").optional(),
    parentId: z.uuid("Use an account id (a UUID), or null for a top-level account.").nullable().optional(),
  })
  .strict()
  .refine((b) => b.name !== undefined || b.parentId !== undefined, "Send name, parentId or both.");

export const MUTATIONS = {
  patchAccount: mutation({
    path: "/api/v1/accounts/{id}",
    method: "PATCH",
    scope: "accounts:write",
    summary: "Rename or move an account",
    description: "Renames the account and/or moves it (with its subtree) under another parent; the hierarchy rules apply and the move is on the timeline.",
    body: accountPatch,
    run: (ctx, id, body) =>
      asApi(async () => {
        if (!(await findAccount(ctx, id))) throw new IngestError(404, NOT_FOUND);
        if (body.name !== undefined) await renameAccount(ctx, id, body.name);
        if (body.parentId !== undefined) {
          if (body.parentId !== null && !(await findAccount(ctx, body.parentId))) {
            throw new IngestError(422, "Check the listed fields; nothing was written.", [{ path: ["parentId"], message: "No such account (or outside this token's reach)." }]);
          }
          await moveAccount(ctx, id, body.parentId);
        }
        return { id };
      }),
  }),
  deleteAccount: mutation({
    path: "/api/v1/accounts/{id}",
    method: "DELETE",
    scope: "accounts:write",
    summary: "Archive an account",
    description: "Archives the account and every account below it, as in the app: they keep their data and history (restorable by an admin) and count nowhere.",
    run: (ctx, id) => asApi(() => archiveAccount(ctx, id)),
  }),
  patchTask: mutation({
    path: "/api/v1/tasks/{id}",
    method: "PATCH",
    scope: "tasks:write",
    summary: "Complete, reopen or reassign a task",
    description:
      "Marks the task done or open again, and/or hands it to another user (assigneeId; null leaves it with nobody), with a timeline entry, as the app does. The new assignee must be able to see the account and is notified (inbox, and mail per their setting).",
    body: z
      .object({
        status: z.enum(["done", "open"], { error: "Use done or open." }).optional(),
        assigneeId: z.uuid("Use a user id (a UUID), or null for nobody.").nullable().optional(),
      })
      .strict()
      .refine((b) => b.status !== undefined || b.assigneeId !== undefined, "Send status, assigneeId or both."),
    run: (ctx, id, body) =>
      asApi(async () => {
        let result: unknown = { id };
        if (body.assigneeId !== undefined) {
          const input = { taskId: id, assigneeId: body.assigneeId ?? undefined };
          const allowed = await reassignTask.authorize(ctx, input);
          if (allowed !== true) throw new ActionError(allowed);
          result = await reassignTask.run(ctx, input);
        }
        if (body.status !== undefined) {
          const allowed = await setTaskStatus.authorize(ctx, { taskId: id, status: body.status });
          if (allowed !== true) throw new ActionError(allowed);
          result = await setTaskStatus.run(ctx, { taskId: id, status: body.status });
        }
        return result;
      }),
  }),
  // Writes for every table the profile reads (issue 17, api2 helper).
  patchInvoice: invoiceWrites.patch,
  deleteInvoice: invoiceWrites.delete,
  patchSale: saleWrites.patch,
  deleteSale: saleWrites.delete,
  patchCollectionRecord: collectionRecordWrites.patch,
  deleteCollectionRecord: collectionRecordWrites.delete,
  patchTouchpoint: touchpointWrites.patch,
  deleteTouchpoint: touchpointWrites.delete,
  patchContact: mutation({
    path: "/api/v1/contacts/{id}",
    method: "PATCH",
    scope: "contacts:write",
    summary: "Change a contact's details",
    description: "Changes the fields sent (null clears email, title or phone), as the contact page does: on the timeline of each account it is linked to, and in the audit log.",
    body: contactPatch,
    run: (ctx, id, body) =>
      asApi(async () => {
        const contact = await findContact(ctx, id);
        if (!contact) throw new IngestError(404, NOT_FOUND);
        const pick = <K extends "email" | "title" | "phone">(key: K) => (body[key] === undefined ? contact[key] : body[key]) ?? undefined;
        const input = { contactId: id, name: body.name ?? contact.name, email: pick("email"), title: pick("title"), phone: pick("phone") };
        const allowed = await updateContact.authorize(ctx, input);
        if (allowed !== true) throw new ActionError(allowed);
        return updateContact.run(ctx, input);
      }),
  }),
  // Campaigns and their sends, and deleting a contact (issue 17, api3 helper).
  ...CAMPAIGN_MUTATIONS,
  deleteContact: mutation({
    path: "/api/v1/contacts/{id}",
    method: "DELETE",
    scope: "contacts:write",
    summary: "Delete a contact that no history names",
    description:
      "Deletes a contact (and its account links) only when nothing else names it. A contact named by history (campaign sends, touchpoints, support tickets, survey responses, information requests, usage) is refused with 409 and `references` (a count per kind): merge it into the contact it duplicates on the contact page instead, or keep it. A token limited to a subtree may delete only contacts linked to no account outside it (403 otherwise). On the timeline of each account it was linked to, and in the audit log.",
    conflict: "History still names the contact (counts per kind in references): merge it instead; or a conflicting concurrent write (retry).",
    response: ROW_DELETED,
    run: (ctx, id) => asApi(() => deleteContact(ctx, id)),
  }),
} satisfies Record<string, Mutation>;
