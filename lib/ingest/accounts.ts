import "server-only";
import { eq, sql } from "drizzle-orm";
import { accounts } from "@/db/schema";
import { ActionError } from "@/lib/actions/define";
import { visibleAccount, type Ctx } from "@/lib/dal/viewer";
import { createAccount, moveAccount } from "@/lib/hierarchy/accounts";
import { IngestError } from "./errors";
import { IssueList, pgArray, rows, unknownAccount } from "./resolve";
import type { AccountItem } from "./schemas";

export type AccountUpsertResult = {
  created: number;
  updated: number;
  moved: number;
  unchanged: number;
  accounts: { externalId: string; id: string; status: "created" | "updated" | "moved" | "unchanged" }[];
};

type Stored = { id: string; externalId: string; name: string; typeKey: string; parentId: string | null; archived: boolean; visible: boolean };

/** Field names of lib/hierarchy's errors → the API's field names. */
const FIELD = { parentId: "parentExternalId", typeId: "type", typeKey: "type", name: "name", externalId: "externalId" } as Record<string, string>;

function fromActionError(error: ActionError, path: (string | number)[]): IngestError {
  const fields = Object.keys(error.fieldErrors ?? {});
  const issues = fields.length ? fields.map((f) => ({ path: [...path, FIELD[f] ?? f], message: error.message })) : [{ path, message: error.message }];
  return new IngestError(422, "Check the listed fields; nothing was written.", issues);
}

/**
 * Creates or updates accounts by external id, in the caller's transaction, through the hierarchy
 * code (lib/hierarchy/accounts.ts): its placement rules, cycle checks and rollup upkeep apply to
 * every item. A parent may be stored already or come earlier or later in the same request
 * (parents are written first). An existing account is renamed and, when its parent differs,
 * moved; its type cannot change here. Any refusal throws with the item's field path.
 */
export async function upsertAccounts(ctx: Ctx, items: readonly AccountItem[], base: (string | number)[] = ["accounts"]): Promise<AccountUpsertResult> {
  const issues = new IssueList();
  const indexOf = new Map<string, number>();
  items.forEach((item, i) => {
    if (indexOf.has(item.externalId)) issues.add([...base, i, "externalId"], `The external id “${item.externalId}” appears twice in this request.`);
    else indexOf.set(item.externalId, i);
    if (item.parentExternalId === item.externalId) issues.add([...base, i, "parentExternalId"], "An account cannot be its own parent.");
  });
  issues.throwIfAny();

  const wanted = [...new Set(items.flatMap((item) => [item.externalId, ...(item.parentExternalId ? [item.parentExternalId] : [])]))];
  const stored = new Map<string, Stored>();
  const found = await rows<{ id: string; external_id: string; name: string; type_key: string; parent_id: string | null; archived: boolean; visible: boolean }>(
    ctx.db,
    sql`select a.id, a.external_id, a.name, t.key as type_key, a.parent_id,
          a.archived_at is not null as archived, ${visibleAccount(ctx.viewer, sql`a.id`, sql`a.type_id`)} as visible
        from accounts a join account_types t on t.id = a.type_id
        where a.external_id = any(${pgArray(wanted)}::text[])`,
  );
  for (const r of found) {
    stored.set(r.external_id, { id: r.id, externalId: r.external_id, name: r.name, typeKey: r.type_key, parentId: r.parent_id, archived: r.archived, visible: r.visible });
  }

  // Unknown parents and types are listed all at once (a CSV file is fixed in one go); placement
  // rules and cycles are checked by the hierarchy code below, item by item.
  const typeKeys = new Set(
    (await rows<{ key: string }>(ctx.db, sql`select key from account_types where key = any(${pgArray([...new Set(items.map((i) => i.type))])}::text[])`)).map((r) => r.key),
  );
  items.forEach((item, i) => {
    if (!typeKeys.has(item.type)) issues.add([...base, i, "type"], `There is no account type with the key “${item.type}”.`);
    const parent = item.parentExternalId;
    if (parent && !indexOf.has(parent)) {
      const found = stored.get(parent);
      if (!found || !found.visible || found.archived) issues.add([...base, i, "parentExternalId"], unknownAccount(parent));
    }
  });
  issues.throwIfAny();

  // Parents first: a depth-first walk over in-request parents; a loop among the items is refused.
  const order: number[] = [];
  const state = new Map<number, "visiting" | "done">();
  const visit = (i: number, trail: number[]) => {
    if (state.get(i) === "done") return;
    if (state.get(i) === "visiting") {
      const names = [...trail.slice(trail.indexOf(i)), i].map((j) => items[j].externalId).join(" → ");
      throw new IngestError(422, "Check the listed fields; nothing was written.", [
        { path: [...base, i, "parentExternalId"], message: `These accounts would be each other's parents: ${names}.` },
      ]);
    }
    state.set(i, "visiting");
    const parent = items[i].parentExternalId;
    const j = parent ? indexOf.get(parent) : undefined;
    if (j !== undefined) visit(j, [...trail, i]);
    state.set(i, "done");
    order.push(i);
  };
  items.forEach((_, i) => visit(i, []));

  const ids = new Map<string, string>();
  const result: AccountUpsertResult = { created: 0, updated: 0, moved: 0, unchanged: 0, accounts: new Array(items.length) };
  const limited = !ctx.viewer.seesAll;
  for (const i of order) {
    const item = items[i];
    const path = [...base, i];
    const existing = stored.get(item.externalId);
    let parentId: string | null = null;
    if (item.parentExternalId) {
      const parent = ids.get(item.parentExternalId) ?? stored.get(item.parentExternalId);
      const id = typeof parent === "string" ? parent : parent && parent.visible && !parent.archived ? parent.id : null;
      if (!id) throw new IngestError(422, "Check the listed fields; nothing was written.", [
        { path: [...path, "parentExternalId"], message: unknownAccount(item.parentExternalId) },
      ]);
      parentId = id;
    } else if (limited) {
      throw new IngestError(422, "Check the listed fields; nothing was written.", [
        { path: [...path, "parentExternalId"], message: "This token is limited to a subtree: give a parent inside it." },
      ]);
    }
    try {
      if (!existing) {
        const { id } = await createAccount(ctx, { name: item.name, typeKey: item.type, parentId, externalId: item.externalId });
        ids.set(item.externalId, id);
        result.created++;
        result.accounts[i] = { externalId: item.externalId, id, status: "created" };
        continue;
      }
      if (!existing.visible) throw new IngestError(403, "This token may not write to that account.", [{ path: [...path, "externalId"], message: "This token may not write to that account." }]);
      if (existing.archived) throw new IngestError(422, "Check the listed fields; nothing was written.", [{ path: [...path, "externalId"], message: "That account is archived: restore it in the app first." }]);
      if (existing.typeKey !== item.type) {
        throw new IngestError(422, "Check the listed fields; nothing was written.", [
          { path: [...path, "type"], message: `The account is a “${existing.typeKey}”; its type cannot be changed through the API.` },
        ]);
      }
      ids.set(item.externalId, existing.id);
      let status: "updated" | "moved" | "unchanged" = "unchanged";
      if (existing.name !== item.name) {
        await ctx.db.update(accounts).set({ name: item.name, updatedAt: new Date() }).where(eq(accounts.id, existing.id));
        status = "updated";
      }
      if (parentId !== existing.parentId) {
        await moveAccount(ctx, existing.id, parentId);
        status = "moved";
      }
      result[status]++;
      result.accounts[i] = { externalId: item.externalId, id: existing.id, status };
    } catch (error) {
      if (error instanceof ActionError) throw fromActionError(error, path);
      throw error;
    }
  }
  return result;
}
