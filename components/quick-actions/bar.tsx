import type { AccountSummary } from "@/lib/dal/accounts";
import type { Ctx } from "@/lib/dal/viewer";

/** The Quick Actions (+) bar: only the actions the viewer may take on this account. */
export async function QuickActionsBar(_props: { ctx: Ctx; account: AccountSummary }) {
  return null;
}
