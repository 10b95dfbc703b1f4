import "server-only";
import { sql, type SQL } from "drizzle-orm";
import type { z } from "zod";
import { recordTimeline, type TimelineKind } from "@/lib/activity/timeline";
import { recordAudit } from "@/lib/admin/audit";
import { findAccount } from "@/lib/dal/accounts";
import type { Ctx } from "@/lib/dal/viewer";
import { markHealthDirty } from "@/lib/health/dirty";
import { IngestError } from "@/lib/ingest/errors";
import { rows } from "@/lib/ingest/resolve";
import type { Mutation } from "./mutations";
import type { ApiScope } from "./scopes";

/**
 * PATCH and DELETE of a row that belongs to one account (an invoice, a sale, a collection record,
 * a touchpoint), all alike: the row is locked, its account must be one the token may see (else the
 * same 404 as a missing row), the changed columns are written, an optional check runs on the row
 * as it now is (a refusal rolls the whole request back), and the change is in the audit log with
 * the row before and after and on the account's timeline (as the app records its own changes:
 * recordTimeline, in the same transaction), so the profile shows it.
 */
export type AccountRowWrites<S extends z.ZodType> = {
  /** The audit log's target type, e.g. "invoice". */
  target: string;
  table: string;
  path: string;
  scope: ApiScope;
  label: string;
  patch: S;
  patchSummary: string;
  patchDescription: string;
  deleteDescription: string;
  /** The columns to set from the body (default: each field, `paidOn` → paid_on). */
  columns?: (ctx: Ctx, row: Record<string, unknown>, body: z.infer<S>) => Promise<Record<string, unknown>>;
  /** A condition the changed row must meet, with the refusal's field and message. */
  check?: { sql: SQL; path: string; message: string };
  /** The timeline entry of a change (`after` is the row as changed) or of a deletion (`after` null). */
  timeline: (ctx: Ctx, before: Record<string, unknown>, after: Record<string, unknown> | null) => Promise<TimelineNote>;
  /** The rows feed the account's health (touchpoints: engagement): a change queues a re-score, as logging one does. */
  feedsHealth?: boolean;
};

/** What a change adds to the account's timeline (the entry's account, actor and time are the write's). */
export type TimelineNote = { kind: TimelineKind; title: string; snapshot: Record<string, unknown> };

const UNSHOWN = new Set(["id", "account_id", "created_at", "author_id", "collection_id", "contract_id"]);

/**
 * The fields a change touched, as the timeline shows them: `{ fields, from, to }` keyed by
 * readable names ("paid on"). Nested objects (a collection record's values) are compared by key.
 */
export function fieldChanges(before: Record<string, unknown>, after: Record<string, unknown>): { fields: string[]; from: Record<string, unknown>; to: Record<string, unknown> } {
  const fields: string[] = [];
  const from: Record<string, unknown> = {};
  const to: Record<string, unknown> = {};
  for (const key of Object.keys(after)) {
    if (UNSHOWN.has(key) || JSON.stringify(before[key]) === JSON.stringify(after[key])) continue;
    const name = key.replace(/_/g, " ");
    fields.push(name);
    from[name] = before[key] ?? null;
    to[name] = after[key] ?? null;
  }
  return { fields, from, to };
}

async function noteOnTimeline(ctx: Ctx, accountId: string, id: string, note: TimelineNote): Promise<void> {
  await recordTimeline(ctx.db, [
    { accountId, kind: note.kind, refId: id, actorId: ctx.viewer.userId, title: note.title, snapshot: { ...note.snapshot, via: ctx.viewer.name }, occurredAt: new Date() },
  ]);
}

export const ROW_WRITTEN = { type: "object", required: ["id"], properties: { id: { type: "string" } } };
export const ROW_DELETED = { type: "object", required: ["id", "deleted"], properties: { id: { type: "string" }, deleted: { type: "boolean" } } };

export const NOT_FOUND = "No such record (or it is outside what this token may change).";

const snake = (name: string) => name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

async function lockedRow(ctx: Ctx, table: string, id: string): Promise<Record<string, unknown>> {
  const [found] = await rows<{ row: Record<string, unknown> | string; account_id: string }>(
    ctx.db,
    sql`select to_jsonb(r) as row, r.account_id from ${sql.raw(table)} r where r.id = ${id}::uuid for update`,
  );
  if (!found || !(await findAccount(ctx, found.account_id))) throw new IngestError(404, NOT_FOUND);
  return typeof found.row === "string" ? JSON.parse(found.row) : found.row;
}

export function accountRowWrites<S extends z.ZodType>(spec: AccountRowWrites<S>): { patch: Mutation<S>; delete: Mutation } {
  return {
    patch: {
      path: `${spec.path}/{id}`,
      method: "PATCH",
      scope: spec.scope,
      summary: spec.patchSummary,
      description: spec.patchDescription,
      body: spec.patch,
      response: ROW_WRITTEN,
      async run(ctx, id, body) {
        const before = await lockedRow(ctx, spec.table, id);
        const set = spec.columns
          ? await spec.columns(ctx, before, body)
          : Object.fromEntries(Object.entries(body as Record<string, unknown>).map(([name, value]) => [snake(name), value]));
        const assignments = Object.entries(set).map(([column, value]) => sql`${sql.raw(column)} = ${value}`);
        const [after] = await rows<{ row: Record<string, unknown> | string; ok: boolean }>(
          ctx.db,
          sql`update ${sql.raw(spec.table)} r set ${sql.join(assignments, sql`, `)} where r.id = ${id}::uuid
              returning to_jsonb(r) as row, ${spec.check?.sql ?? sql`true`} as ok`,
        );
        if (!after.ok) throw new IngestError(422, "Check the listed fields; nothing was written.", [{ path: [spec.check!.path], message: spec.check!.message }]);
        const row = typeof after.row === "string" ? JSON.parse(after.row) : after.row;
        await recordAudit(ctx.db, ctx.viewer, { action: `${spec.target}.update`, targetType: spec.target, targetId: id, before, after: row, details: { via: "api" } });
        // A PATCH that changed nothing is no event on the profile.
        if (JSON.stringify(before) !== JSON.stringify(row)) {
          await noteOnTimeline(ctx, String(before.account_id), id, await spec.timeline(ctx, before, row));
          if (spec.feedsHealth) await markHealthDirty(ctx.db, [String(before.account_id)]);
        }
        return { id };
      },
    },
    delete: {
      path: `${spec.path}/{id}`,
      method: "DELETE",
      scope: spec.scope,
      summary: `Delete ${spec.label}`,
      description: spec.deleteDescription,
      response: ROW_DELETED,
      async run(ctx, id) {
        const before = await lockedRow(ctx, spec.table, id);
        // Described before the delete: a touchpoint's participants go with it.
        const note = await spec.timeline(ctx, before, null);
        await ctx.db.execute(sql`delete from ${sql.raw(spec.table)} where id = ${id}::uuid`);
        await recordAudit(ctx.db, ctx.viewer, { action: `${spec.target}.delete`, targetType: spec.target, targetId: id, before, details: { via: "api" } });
        await noteOnTimeline(ctx, String(before.account_id), id, note);
        if (spec.feedsHealth) await markHealthDirty(ctx.db, [String(before.account_id)]);
        return { id, deleted: true };
      },
    },
  };
}
