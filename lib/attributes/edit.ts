import "server-only";
import { and, eq, isNull, sql } from "drizzle-orm";
import { z } from "zod";
import { attributeChanges, attributeDefinitions, attributeValues } from "@/db/schema";
import { ActionError } from "@/lib/actions/define";
import { actionDefinition } from "@/lib/actions/definition";
import { idField } from "@/lib/actions/fields";
import { accountForWrite, authorizeOnAccount, NOT_FOUND_MESSAGE } from "@/lib/activity/permissions";
import { recordTimeline, type NewTimelineEntry } from "@/lib/activity/timeline";
import { emitEvent } from "@/lib/events/emit";
import { canSeePrivileged, findAccount, isEmptyValue, type AccountSummary } from "@/lib/dal/accounts";
import { attributeDefinitionsOf } from "@/lib/dal/attributes";
import type { Ctx } from "@/lib/dal/viewer";
import { formatAttribute } from "@/lib/format";
import { afterAttributeValuesChanged } from "@/lib/rollups/attributes";
import { parseAttributeInput, sameValue } from "./values";
import { markHealthDirty } from "@/lib/health/dirty";

export type EditableDefinition = {
  id: string;
  key: string;
  label: string;
  dataType: string;
  options: string[] | null;
  privileged: boolean;
  rollupRule: string;
};

/** Live attribute definitions of the account's type, optionally only some ids or keys. */
export async function definitionsOf(ctx: Ctx, account: AccountSummary, filter: { ids?: string[]; keys?: readonly string[] } = {}): Promise<EditableDefinition[]> {
  const definitions = await attributeDefinitionsOf(ctx.db, account.typeId);
  return definitions.filter((d) => (!filter.ids || filter.ids.includes(d.id)) && (!filter.keys || filter.keys.includes(d.key)));
}

/**
 * Why the viewer may not edit this attribute here, or null when they may: rolled-up values are
 * computed from the accounts below; privileged ones need the privilege (admins and people
 * assigned to this very account).
 */
export function editBlocker(definition: EditableDefinition, privilegedOk: boolean): string | null {
  if (definition.rollupRule !== "none") return `${definition.label} is rolled up from the accounts below; change it there.`;
  if (definition.privileged && !privilegedOk) return "This attribute does not exist or you may not edit it.";
  return null;
}

/** Role and account visibility for any attribute, tag or group edit. */
export function authorizeAccountEdit(ctx: Ctx, accountId: string): Promise<true | string> {
  return authorizeOnAccount(ctx, accountId, "attribute.edit");
}

type CurrentValue = { value: unknown; version: number; updatedByName: string | null; updatedAt: Date | null } | null;

/** The stored value, locked until the transaction ends (nothing to lock when there is no row). */
async function lockCurrent(ctx: Ctx, accountId: string, attributeId: string): Promise<CurrentValue> {
  const { rows } = await ctx.db.execute<{ value: unknown; version: number; updated_by_name: string | null; updated_at: Date | string | null }>(sql`
    select v.value, v.version, u.name as updated_by_name, v.updated_at
    from attribute_values v left join users u on u.id = v.updated_by
    where v.account_id = ${accountId}::uuid and v.attribute_id = ${attributeId}::uuid
    for update of v`);
  const row = rows[0];
  if (!row) return null;
  return {
    value: row.value,
    version: Number(row.version),
    updatedByName: row.updated_by_name,
    updatedAt: row.updated_at === null ? null : new Date(row.updated_at),
  };
}

const conflictTime = new Intl.DateTimeFormat("en-GB", { day: "numeric", month: "short", year: "numeric", hour: "2-digit", minute: "2-digit", timeZone: "UTC" });

/** A value as people read it (years without a thousands separator). */
export function displayValue(definition: Pick<EditableDefinition, "key" | "dataType">, value: unknown): string {
  if (definition.key === "year_established" && typeof value === "number") return String(value);
  return formatAttribute(definition.dataType, value);
}

/** The sentence a conflicting save gets: their value, who set it and when. */
export function conflictMessage(definition: EditableDefinition, current: NonNullable<CurrentValue>): string {
  const who = current.updatedByName ?? "An import";
  const when = current.updatedAt ? ` on ${conflictTime.format(current.updatedAt)} UTC` : "";
  const what = isEmptyValue(current.value) ? `cleared ${definition.label}` : `changed ${definition.label} to “${displayValue(definition, current.value)}”`;
  return `${who} ${what}${when}, after you opened it. Your value was not saved.`;
}

/** `expectedVersion` null: overwrite whatever is stored (the API), still under the row lock. */
export type PlannedEdit = { definition: EditableDefinition; value: unknown; expectedVersion: number | null };
export type AppliedEdit = { definition: EditableDefinition; old: unknown; value: unknown; version: number };

/** Field errors of a conflicting edit: the message, and the version now stored (to overwrite on purpose). */
export type ConflictErrors = Record<string, string[]>;

/**
 * Applies edits to ONE account in the caller's transaction, all or nothing: each row is locked and
 * its version compared with the one the form loaded. A value equal to the stored one is no change
 * (and no conflict). Any conflict throws an ActionError naming the other person's value, with
 * field errors keyed by `fieldOf(key)` plus `<field>:version` holding the current version.
 * Each change lands in attribute_changes and, unless privileged, the timeline; rollups that
 * depend on the changed keys are kept up to date.
 */
export async function applyAttributeEdits(
  ctx: Ctx,
  account: AccountSummary,
  edits: PlannedEdit[],
  fieldOf: (key: string) => string,
  /** Where the change came from, kept in the attribute's history ("app" for edits in the app, "api" for /api/v1). */
  source: "app" | "api" = "app",
): Promise<AppliedEdit[]> {
  const conflicts: ConflictErrors = {};
  const toWrite: { edit: PlannedEdit; current: CurrentValue }[] = [];
  for (const edit of edits) {
    const current = await lockCurrent(ctx, account.id, edit.definition.id);
    if (sameValue(current?.value ?? null, edit.value)) continue;
    const currentVersion = current?.version ?? 0;
    if (edit.expectedVersion !== null && currentVersion !== edit.expectedVersion) {
      const field = fieldOf(edit.definition.key);
      conflicts[field] = [current ? conflictMessage(edit.definition, current) : `${edit.definition.label} was cleared by someone else after you opened it. Your value was not saved.`];
      conflicts[`${field}:version`] = [String(currentVersion)];
      continue;
    }
    toWrite.push({ edit, current });
  }
  if (Object.keys(conflicts).length) {
    throw new ActionError("Someone else changed this since you opened it; nothing was saved. Check their value below.", conflicts);
  }

  const now = new Date();
  const applied: AppliedEdit[] = [];
  const entries: NewTimelineEntry[] = [];
  for (const { edit, current } of toWrite) {
    const { definition, value } = edit;
    const json = value === null ? null : value;
    let version: number;
    if (current) {
      const [row] = await ctx.db
        .update(attributeValues)
        .set({ value: json, version: sql`${attributeValues.version} + 1`, updatedBy: ctx.viewer.userId, updatedAt: now })
        .where(and(eq(attributeValues.accountId, account.id), eq(attributeValues.attributeId, definition.id), eq(attributeValues.version, current.version)))
        .returning({ version: attributeValues.version });
      if (!row) throw new ActionError("Someone else changed this at the same moment; nothing was saved. Reload and try again.");
      version = row.version;
    } else {
      const [row] = await ctx.db
        .insert(attributeValues)
        .values({ accountId: account.id, attributeId: definition.id, value: json, version: 1, updatedBy: ctx.viewer.userId, updatedAt: now })
        .onConflictDoNothing()
        .returning({ version: attributeValues.version });
      if (!row) throw new ActionError("Someone else set this value at the same moment; nothing was saved. Reload and try again.");
      version = row.version;
    }
    await ctx.db.insert(attributeChanges).values({
      accountId: account.id,
      attributeId: definition.id,
      oldValue: current?.value ?? null,
      newValue: json,
      changedBy: ctx.viewer.userId,
      changedAt: now,
      source,
    });
    // Privileged values stay out of the timeline, which every viewer of the account may read.
    if (!definition.privileged) {
      const old = current?.value ?? null;
      const verb = isEmptyValue(old) ? "set" : isEmptyValue(json) ? "cleared" : "changed";
      entries.push({
        accountId: account.id,
        kind: "attribute_change",
        refId: definition.id,
        actorId: ctx.viewer.userId,
        title: `${definition.label} ${verb}`,
        snapshot: { attributeKey: definition.key, label: definition.label, old, new: json },
        occurredAt: now,
      });
    }
    applied.push({ definition, old: current?.value ?? null, value: json, version });
  }
  if (applied.length) {
    await afterAttributeValuesChanged(ctx.db, account.id, applied.map((a) => a.definition.key));
    await markHealthDirty(ctx.db, [account.id]);
    await recordTimeline(ctx.db, entries);
    // Keys only, never values: a webhook receiver reads the value through the API with its token's rights.
    await emitEvent(ctx.db, { type: "account.updated", accountId: account.id, actorId: ctx.viewer.userId, data: { changed: applied.map((a) => a.definition.key) } });
  }
  return applied;
}

/** Parses the inputs of some definitions; field errors keyed by `fieldOf(key)` when any is wrong. */
export function parseEdits(
  inputs: { definition: EditableDefinition; raw: unknown; expectedVersion: number }[],
  fieldOf: (key: string) => string,
): PlannedEdit[] {
  const errors: Record<string, string[]> = {};
  const planned: PlannedEdit[] = [];
  for (const input of inputs) {
    const parsed = parseAttributeInput({ ...input.definition, options: input.definition.options ?? undefined }, input.raw);
    if (!parsed.ok) errors[fieldOf(input.definition.key)] = [parsed.message];
    else planned.push({ definition: input.definition, value: parsed.value, expectedVersion: input.expectedVersion });
  }
  if (Object.keys(errors).length) throw new ActionError("Check the highlighted fields.", errors);
  return planned;
}

// ---------------------------------------------------------------------------------------------
// One attribute, edited in place
// ---------------------------------------------------------------------------------------------

export const attributeEditInput = z.object({
  accountId: idField("Unknown account."),
  attributeId: idField("Unknown attribute."),
  /** The version the form loaded (0 when the attribute had no value row yet). */
  version: z.coerce.number({ error: "Reload the page and try again." }).int("Reload the page and try again.").min(0, "Reload the page and try again."),
  value: z.string().max(100_000, "That value is far too long.").optional(),
});

async function editableDefinition(ctx: Ctx, account: AccountSummary, attributeId: string): Promise<EditableDefinition | string> {
  const [definition] = await definitionsOf(ctx, account, { ids: [attributeId] });
  if (!definition) return "This attribute does not exist or you may not edit it.";
  const blocker = editBlocker(definition, definition.privileged ? await canSeePrivileged(ctx, account.id) : true);
  return blocker ?? definition;
}

/** Edit one attribute value with optimistic concurrency; history, timeline and rollups follow. */
export const editAttribute = actionDefinition({
  name: "editAttribute",
  schema: attributeEditInput,
  async authorize(ctx, input) {
    const allowed = await authorizeAccountEdit(ctx, input.accountId);
    if (allowed !== true) return allowed;
    const account = await findAccount(ctx, input.accountId);
    const definition = account ? await editableDefinition(ctx, account, input.attributeId) : NOT_FOUND_MESSAGE;
    return typeof definition === "string" ? definition : true;
  },
  async run(ctx, input) {
    const account = await accountForWrite(ctx, input.accountId);
    const definition = await editableDefinition(ctx, account, input.attributeId);
    if (typeof definition === "string") throw new ActionError(definition);
    const edits = parseEdits([{ definition, raw: input.value ?? "", expectedVersion: input.version }], () => "value");
    const [applied] = await applyAttributeEdits(ctx, account, edits, () => "value");
    const [stored] = await ctx.db
      .select({ version: attributeValues.version })
      .from(attributeValues)
      .where(and(eq(attributeValues.accountId, account.id), eq(attributeValues.attributeId, definition.id)));
    return {
      accountId: account.id,
      key: definition.key,
      label: definition.label,
      changed: Boolean(applied),
      value: applied ? applied.value : edits[0].value,
      version: stored?.version ?? 0,
    };
  },
  revalidate: (input) => [`/accounts/${input.accountId}`, `/accounts/${input.accountId}/company-profile`],
  message: (data) => (data.changed ? `${data.label} saved.` : `${data.label} already has that value; nothing changed.`),
});

