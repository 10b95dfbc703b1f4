import type { Metadata } from "next";
import Link from "next/link";
import { ProfileBanner } from "@/components/profile/banner";
import { QuickActionsBar } from "@/components/quick-actions/bar";
import { ProfileView } from "@/components/profile/profile-view";
import { ShareLinkButton } from "@/components/share/share-link-button";
import { PrintButton } from "@/components/print-button";
import { FollowControl } from "@/components/notifications/follow-control";
import { ancestorsOf, childrenOf, findAccount, findArchivedAccount } from "@/lib/dal/accounts";
import { formatDate } from "@/lib/format";
import { may } from "@/lib/auth/permissions";
import { redirectIfMerged } from "@/lib/dal/merged";
import { getContext, requireContext } from "@/lib/dal/session";
import { RestoreForm } from "./manage/manage-forms";
import { defaultLayoutFor } from "@/lib/layouts/defaults";
import { chooseLayout, type ChosenLayout } from "@/lib/layouts/choose";
import { parseProfileQuery, profileHref } from "@/lib/profile/query";
import { ProfileKeys } from "@/components/keyboard/profile-keys";
import { listPosition, profileKeyLinks } from "@/lib/views/profile-links";

type Props = { params: Promise<{ id: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const ctx = await getContext();
  const account = ctx ? await findAccount(ctx, (await params).id) : null;
  return { title: account?.name ?? "Account not found" };
}

export default async function AccountProfilePage({ params, searchParams }: Props) {
  const ctx = await requireContext();
  const [{ id }, rawQuery] = await Promise.all([params, searchParams]);
  const account = await findAccount(ctx, id);
  if (!account) {
    // An archived account the viewer may see says so (who and when) instead of "not found".
    const archived = await findArchivedAccount(ctx, id);
    if (!archived) return redirectIfMerged(ctx, id, "", rawQuery);
    return (
      <div className="space-y-2 rounded-lg border border-amber-300 bg-amber-50 p-6" data-testid="archived-account">
        <h1 className="text-2xl font-semibold text-slate-900">{archived.name}</h1>
        <p className="text-sm text-slate-800">
          This {archived.typeName.toLowerCase()} is <strong>archived</strong>: archived {archived.archivedByName ? `by ${archived.archivedByName} ` : ""}on{" "}
          {formatDate(archived.archivedAt)}. It counts in no list or rollup; its data is kept.
        </p>
        {may(ctx.viewer, "accounts.archive") ? <RestoreForm accountId={archived.id} /> : null}
      </div>
    );
  }
  const query = parseProfileQuery(rawQuery);

  // One round of reads before the first byte. The list neighbours (j / k) need only the list
  // param, so they run beside the rest; the Follow state streams in after (FollowControl).
  const [crumbs, children, chosen, list] = await Promise.all([
    ancestorsOf(ctx, account),
    childrenOf(ctx, account.id, { q: query.raw.sub?.trim() || undefined, limit: 100 }),
    chooseLayout(ctx, account),
    listPosition(ctx, account.id, query.raw.list),
  ]);
  const definition = chosen?.definition ?? defaultLayoutFor({ key: account.typeKey, isOpportunity: account.isOpportunity, level: account.depth });
  const keys = profileKeyLinks(account, { list, tab: query.tab, crumbs, children, tabs: definition.tabs });
  return (
    <div className="space-y-4">
      <ProfileBanner account={account} crumbs={crumbs} subAccounts={children} subQuery={query.raw.sub} />
      <ProfileKeys accountId={account.id} links={keys.links} />
      <QuickActionsBar ctx={ctx} account={account} />
      <div className="flex flex-wrap items-center gap-4" data-print="hide">
        {may(ctx.viewer, "notifications.use") ? <FollowControl ctx={ctx} accountId={account.id} hasChildren={children.total > 0 || Boolean(query.raw.sub)} /> : null}
        {may(ctx.viewer, "share.create") ? <ShareLinkButton accountId={account.id} /> : null}
        <PrintButton />
        {may(ctx.viewer, "accounts.edit") || may(ctx.viewer, "accounts.delete") ? (
          <Link prefetch={false} href={`/accounts/${account.id}/manage`} className="text-sm text-brand-700 underline">
            Manage account (rename, move, sub-accounts, archive)
          </Link>
        ) : null}
      </div>
      <ProfileView
        ctx={ctx}
        account={account}
        query={query}
        definition={definition}
        tabHref={(tab) => profileHref(account.id, keys.listParam ? { list: keys.listParam } : {}, { tab })}
      />
      {may(ctx.viewer, "profile.diagnose") ? <WhyThisLayout chosen={chosen} /> : null}
    </div>
  );
}

/** For admins: which layout shaped this profile, why, and which earlier layouts did not match. */
function WhyThisLayout({ chosen }: { chosen: ChosenLayout | null }) {
  if (!chosen) return <p className="text-xs text-slate-500">Why this layout: no published layout matches; showing the built-in default.</p>;
  return (
    <details className="text-xs text-slate-500" data-testid="why-this-layout">
      <summary className="cursor-pointer">
        Why this layout: “{chosen.name}” v{chosen.version}. {chosen.reason}.
      </summary>
      <div className="mt-1 space-y-1 pl-4">
        {chosen.skipped.length ? (
          <ul className="list-disc pl-4">
            {chosen.skipped.map((s) => (
              <li key={s.id}>
                Tried first: “{s.name}” ({s.why})
              </li>
            ))}
          </ul>
        ) : (
          <p>It is the first layout tried for this account type.</p>
        )}
        <Link prefetch={false} href={`/admin/layouts/${chosen.id}`} className="text-brand-700 underline">
          Edit this layout
        </Link>
      </div>
    </details>
  );
}
