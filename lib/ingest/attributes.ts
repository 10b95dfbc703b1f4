import "server-only";
import { sql } from "drizzle-orm";
import { applyAttributeEdits, editBlocker, type EditableDefinition, type PlannedEdit } from "@/lib/attributes/edit";
import { parseAttributeInput } from "@/lib/attributes/values";
import { ActionError } from "@/lib/actions/define";
import { findAccount } from "@/lib/dal/accounts";
import type { Ctx } from "@/lib/dal/viewer";
import { IngestError } from "./errors";
import { accountsByExternalId, IssueList, pgArray, rows, unknownAccount } from "./resolve";
import type { AttributeValueItem } from "./schemas";

/**
 * Sets attribute values by account external id and attribute key, through the same code as an
 * edit in the app (lib/attributes/edit.ts): the value is checked against the attribute's data
 * type, the change lands in the attribute history and the timeline, and the rollups that read the
 * attribute (MRR override, attribute rollups) are kept up to date. Rolled-up attributes are
 * computed, so they cannot be set. A value equal to the stored one is no change.
 */
export async function setAttributeValues(ctx: Ctx, items: readonly AttributeValueItem[], base: (string | number)[] = ["values"]): Promise<{ changed: number; unchanged: number }> {
  const issues = new IssueList();
  const accounts = await accountsByExternalId(ctx, items.map((v) => v.accountExternalId));
  const typeIds = [...new Set([...accounts.values()].map((a) => a.typeId))];
  const definitions = await rows<{ id: string; account_type_id: string; key: string; label: string; data_type: string; options: string[] | null; privileged: boolean; rollup_rule: string }>(
    ctx.db,
    sql`select id, account_type_id, key, label, data_type, options, privileged, rollup_rule from attribute_definitions
        where account_type_id = any(${pgArray(typeIds)}::uuid[]) and deleted_at is null`,
  );
  const byTypeKey = new Map<string, EditableDefinition>(
    definitions.map((d) => [
      `${d.account_type_id}|${d.key}`,
      { id: d.id, key: d.key, label: d.label, dataType: d.data_type, options: d.options, privileged: d.privileged, rollupRule: d.rollup_rule },
    ]),
  );
  const plans = new Map<string, { edits: PlannedEdit[]; index: Map<string, number> }>();
  items.forEach((v, i) => {
    const account = accounts.get(v.accountExternalId);
    if (!account) return issues.add([...base, i, "accountExternalId"], unknownAccount(v.accountExternalId));
    const definition = byTypeKey.get(`${account.typeId}|${v.key}`);
    if (!definition) return issues.add([...base, i, "key"], `Accounts of this type have no attribute “${v.key}”.`);
    // An admin token may set privileged values; rolled-up ones are computed from the accounts below.
    const blocker = editBlocker(definition, true);
    if (blocker) return issues.add([...base, i, "key"], blocker);
    const parsed = parseAttributeInput({ ...definition, options: definition.options ?? undefined }, v.value === null ? "" : String(v.value));
    if (!parsed.ok) return issues.add([...base, i, "value"], parsed.message);
    const plan = plans.get(account.id) ?? { edits: [], index: new Map<string, number>() };
    if (plan.index.has(v.key)) return issues.add([...base, i, "key"], `“${v.key}” of this account is set twice in this request.`);
    plan.index.set(v.key, i);
    plan.edits.push({ definition, value: parsed.value, expectedVersion: null });
    plans.set(account.id, plan);
  });
  issues.throwIfAny();

  let changed = 0;
  for (const accountId of [...plans.keys()].sort()) {
    const plan = plans.get(accountId)!;
    const account = await findAccount(ctx, accountId);
    if (!account) throw new IngestError(422, "Check the listed fields; nothing was written.", [{ path: [...base, plan.index.values().next().value!], message: "That account is no longer available." }]);
    try {
      // The API overwrites (expectedVersion null): applyAttributeEdits locks each row once and writes.
      const applied = await applyAttributeEdits(ctx, account, plan.edits, (key) => key, "api");
      changed += applied.length;
    } catch (error) {
      if (error instanceof ActionError) {
        const keys = Object.keys(error.fieldErrors ?? {}).filter((k) => !k.includes(":"));
        throw new IngestError(409, error.message, keys.map((k) => ({ path: [...base, plan.index.get(k) ?? 0, "value"], message: error.fieldErrors![k].join(" ") })));
      }
      throw error;
    }
  }
  return { changed, unchanged: items.length - changed };
}
