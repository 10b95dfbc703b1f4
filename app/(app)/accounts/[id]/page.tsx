import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { ProfileBanner } from "@/components/profile/banner";
import { QuickActionsBar } from "@/components/quick-actions/bar";
import { ProfileTab } from "@/components/profile/tabs";
import { WidgetSlot } from "@/components/profile/widget-slot";
import { ShareLinkButton } from "@/components/share/share-link-button";
import type { WidgetProps } from "@/components/widgets/types";
import type { LayoutTab, LayoutWidget } from "@/db/schema";
import { ancestorsOf, childrenOf, findAccount } from "@/lib/dal/accounts";
import { getContext, requireContext } from "@/lib/dal/session";
import { defaultLayoutFor } from "@/lib/layouts/defaults";
import { chooseLayout } from "@/lib/layouts/choose";
import { parseProfileQuery, profileHref } from "@/lib/profile/query";

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
  if (!account) notFound();
  const query = parseProfileQuery(rawQuery);

  const [crumbs, children, chosen] = await Promise.all([
    ancestorsOf(ctx, account),
    childrenOf(ctx, account.id, { q: query.raw.sub?.trim() || undefined, limit: 100 }),
    chooseLayout(ctx, account),
  ]);
  const definition = chosen?.definition ?? defaultLayoutFor({ key: account.typeKey, isOpportunity: account.isOpportunity, level: account.depth });
  const tabs = definition.tabs.length ? definition.tabs : defaultLayoutFor({ key: "", isOpportunity: false, level: 0 }).tabs;
  // An unknown tab in a pasted link falls back to the first tab rather than failing.
  const tab = tabs.find((t) => t.key === query.tab) ?? tabs[0];
  const widgetProps = { ctx, account, query };

  return (
    <div className="space-y-4">
      <ProfileBanner account={account} crumbs={crumbs} subAccounts={children} subQuery={query.raw.sub} />
      <QuickActionsBar ctx={ctx} account={account} />
      <ShareLinkButton accountId={account.id} />
      <nav aria-label="Profile tabs" className="flex flex-wrap gap-1 border-b border-slate-200">
        {tabs.map((t) => (
          <Link
            key={t.key}
            href={profileHref(account.id, {}, { tab: t.key === tabs[0].key ? undefined : t.key })}
            aria-current={t.key === tab.key ? "page" : undefined}
            className={
              t.key === tab.key
                ? "-mb-px rounded-t-md border border-b-white border-slate-200 bg-white px-4 py-2 text-sm font-medium text-brand-700"
                : "px-4 py-2 text-sm text-slate-600 hover:text-slate-900"
            }
          >
            {t.label}
          </Link>
        ))}
      </nav>
      {tab.kind === "overview" ? (
        <Overview tab={tab} widgetProps={widgetProps} />
      ) : (
        <ProfileTab {...widgetProps} tab={tab} />
      )}
      {ctx.viewer.role === "admin" ? (
        <p className="text-xs text-slate-500">
          Why this layout: {chosen ? `“${chosen.name}” v${chosen.version}. ${chosen.reason}.` : "no published layout matches; showing the built-in default."}
        </p>
      ) : null}
    </div>
  );
}

function Overview({ tab, widgetProps }: { tab: LayoutTab; widgetProps: Omit<WidgetProps, "settings"> }) {
  const zone = (name: "header" | "medium" | "sidebar"): LayoutWidget[] => tab.zones?.[name] ?? [];
  return (
    <div className="space-y-4">
      {zone("header").map((p) => (
        <WidgetSlot key={p.id} placement={p} {...widgetProps} />
      ))}
      <div className="grid gap-4 lg:grid-cols-3">
        <div className="grid content-start gap-4 md:grid-cols-2 lg:col-span-2" data-zone="medium">
          {zone("medium").map((p) => (
            <WidgetSlot key={p.id} placement={p} {...widgetProps} />
          ))}
        </div>
        <aside className="grid content-start gap-4" data-zone="sidebar" aria-label="Sidebar">
          {zone("sidebar").map((p) => (
            <WidgetSlot key={p.id} placement={p} {...widgetProps} />
          ))}
        </aside>
      </div>
    </div>
  );
}
