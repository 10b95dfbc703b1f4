import type { LayoutTab } from "@/db/schema";
import type { AccountSummary } from "@/lib/dal/accounts";
import type { Ctx } from "@/lib/dal/viewer";
import type { ProfileQuery } from "@/lib/profile/query";

/** Every built-in tab is a server component with these props; it loads its own data. */
export type TabProps = { ctx: Ctx; account: AccountSummary; query: ProfileQuery; tab: LayoutTab };
