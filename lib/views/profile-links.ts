import "server-only";
import type { AccountSummary, ChildPage, Crumb } from "@/lib/dal/accounts";
import type { Ctx } from "@/lib/dal/viewer";
import { profileHref } from "@/lib/profile/query";
import { listNeighbours } from "./query";
import { resolveList } from "./resolve";

/**
 * Where the profile's keyboard layer (components/keyboard/profile-keys.tsx) leads: the list
 * neighbours (one keyset query, only when the profile was opened from a list), the parent and the
 * first sub-account (already loaded by the page) and the layout's tabs. The list and the tab
 * travel along, so j / k keep walking the same list on the same tab.
 */
export async function profileKeyLinks(
  ctx: Ctx,
  account: AccountSummary,
  context: { list: string | undefined; tab: string | undefined; crumbs: Crumb[]; children: ChildPage; tabs: { key: string; label: string }[] },
) {
  const list = await resolveList(ctx, context.list);
  const neighbours = list ? await listNeighbours(ctx, list.state, account.id) : { previousId: null, nextId: null };
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
      previous: neighbours.previousId ? profileHref(neighbours.previousId, keep, {}) : null,
      next: neighbours.nextId ? profileHref(neighbours.nextId, keep, {}) : null,
      parent: parent?.id ? `/accounts/${parent.id}` : null,
      firstChild: context.children.children[0] ? `/accounts/${context.children.children[0].id}` : null,
      tabs,
    },
  };
}
