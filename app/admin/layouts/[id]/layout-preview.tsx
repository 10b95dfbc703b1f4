import { ProfileBanner } from "@/components/profile/banner";
import { ProfileView } from "@/components/profile/profile-view";
import type { LayoutDefinition } from "@/db/schema";
import { ancestorsOf, childrenOf, findAccount } from "@/lib/dal/accounts";
import { loadViewer, type Ctx } from "@/lib/dal/viewer";
import { parseProfileQuery } from "@/lib/profile/query";

export type PreviewOutcome = "shown" | "not-found" | "no-viewer";

/**
 * The real profile of an account as another user would see it, rendered with a layout that is
 * not published yet. The chosen viewer's own visibility rules apply: an account they may not see
 * answers "not found", exactly as their profile page would.
 */
export async function previewFor(ctx: Ctx, input: { accountId: string; asUserId: string; tab?: string; definition: LayoutDefinition; accountTypeId: string }) {
  const viewer = await loadViewer(ctx.db, input.asUserId);
  if (!viewer) return { outcome: "no-viewer" as const };
  const as: Ctx = { db: ctx.db, viewer };
  const account = await findAccount(as, input.accountId);
  if (!account) return { outcome: "not-found" as const, viewer };
  return { outcome: "shown" as const, viewer, account, as, query: parseProfileQuery({ tab: input.tab }) };
}

export async function LayoutPreview({
  preview,
  definition,
  accountTypeId,
  tabHref,
}: {
  preview: Extract<Awaited<ReturnType<typeof previewFor>>, { outcome: "shown" }>;
  definition: LayoutDefinition;
  accountTypeId: string;
  tabHref: (tab: string | undefined) => string;
}) {
  const { as, account, query } = preview;
  const [crumbs, children] = await Promise.all([ancestorsOf(as, account), childrenOf(as, account.id, { limit: 100 })]);
  return (
    <div className="space-y-4" data-testid="layout-preview">
      {account.typeId !== accountTypeId ? (
        <p className="rounded-md border border-dashed border-amber-300 bg-amber-50 px-3 py-2 text-xs text-amber-900">
          This account is a {account.typeName}: this layout never applies to it, but here is how it would look.
        </p>
      ) : null}
      <ProfileBanner account={account} crumbs={crumbs} subAccounts={children} />
      <ProfileView ctx={as} account={account} query={query} definition={definition} tabHref={tabHref} />
    </div>
  );
}
