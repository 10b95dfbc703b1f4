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
import { accountRowWrites } from "./record-writes";
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
const invoiceWrites = accountRowWrites({
  target: "invoice",
  table: "invoices",
  path: "/api/v1/invoices",
  scope: "revenue:write",
  label: "an invoice",
  patch: invoicePatch,
  patchSummary: "Change an invoice (e.g. mark it paid)",
  patchDescription: "Changes the fields sent (paidOn: null marks it unpaid again). The change is in the audit log with the invoice before and after.",
  deleteDescription: "Deletes the invoice (sent by mistake, or voided in the billing system); the audit log keeps it as it was.",
  check: { sql: sql`r.due_on >= r.issued_on`, path: "dueOn", message: "The due date is before the issue date." },
});
const saleWrites = accountRowWrites({
  target: "sale",
  table: "sales",
  path: "/api/v1/sales",
  scope: "revenue:write",
  label: "a sale",
  patch: salePatch,
  patchSummary: "Change a sale",
  patchDescription: "Changes the fields sent. The change is in the audit log with the sale before and after.",
  deleteDescription: "Deletes the sale; the audit log keeps it as it was.",
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
});
const touchpointWrites = accountRowWrites({
  target: "touchpoint",
  table: "touchpoints",
  path: "/api/v1/touchpoints",
  scope: "touchpoints:write",
  label: "a touchpoint",
  patch: touchpointPatch,
  patchSummary: "Correct a touchpoint",
  patchDescription: "Changes the fields sent. The timeline keeps the entry written when it was logged; the correction is in the audit log with the touchpoint before and after.",
  deleteDescription: "Deletes the touchpoint (logged by mistake) with its participants; its timeline entry and the audit log keep it as it was.",
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
} satisfies Record<string, Mutation>;
