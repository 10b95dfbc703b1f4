import "server-only";
import type { AccountSummary, ChildPage, Crumb } from "@/lib/dal/accounts";
import type { Ctx } from "@/lib/dal/viewer";
import { profileHref } from "@/lib/profile/query";
import { listNeighbours } from "./query";
import { resolveList } from "./resolve";

/** Where the profile stands in the list it was opened from (`?list=`), in the list's own param. */
export type ListPosition = { param: string; previousId: string | null; nextId: string | null };

/**
 * The list a profile was opened from and the account's neighbours in it (the saved view when the
 * list names one, then one keyset query). Needs nothing else the page loads, so the page runs it
 * beside its other reads; without a `list` param it asks nothing at all.
 */
export async function listPosition(ctx: Ctx, accountId: string, list: string | undefined): Promise<ListPosition | null> {
  if (!list) return null;
  const resolved = await resolveList(ctx, list);
  if (!resolved) return null;
  const neighbours = await listNeighbours(ctx, resolved.state, accountId);
  return { param: resolved.param, previousId: neighbours.previousId, nextId: neighbours.nextId };
}

/**
 * Where the profile's keyboard layer (components/keyboard/profile-keys.tsx) leads: the list
 * neighbours (from `listPosition`), the parent and the first sub-account (already loaded by the
 * page) and the layout's tabs. The list and the tab travel along, so j / k keep walking the same
 * list on the same tab. No query of its own.
 */
export function profileKeyLinks(
  account: AccountSummary,
  context: { list: ListPosition | null; tab: string | undefined; crumbs: Crumb[]; children: ChildPage; tabs: { key: string; label: string }[] },
) {
  const { list } = context;
  const keep = { ...(list ? { list: list.param } : {}), ...(context.tab ? { tab: context.tab } : {}) };
  const parent = context.crumbs.at(-1);
  const letters = new Set<string>();
  const tabs = context.tabs.flatMap((t, i) => {
    const letter = t.key[0]?.toLowerCase();
    if (!letter || letters.has(letter)) return [];
    letters.add(letter);
    return [{ letter, label: t.label, href: profileHref(account.id, list ? { list: list.param } : {}, { tab: i === 0 ? undefined : t.key }) }];
  });
  return {
    listParam: list?.param,
    links: {
      previous: list?.previousId ? profileHref(list.previousId, keep, {}) : null,
      next: list?.nextId ? profileHref(list.nextId, keep, {}) : null,
      parent: parent?.id ? `/accounts/${parent.id}` : null,
      firstChild: context.children.children[0] ? `/accounts/${context.children.children[0].id}` : null,
      tabs,
    },
  };
}
