import Link from "next/link";
import { ProfileTab } from "@/components/profile/tabs";
import { TabStrip } from "@/components/profile/tab-strip";
import { WidgetSlot } from "@/components/profile/widget-slot";
import type { WidgetProps } from "@/components/widgets/types";
import type { LayoutDefinition, LayoutTab, LayoutWidget } from "@/db/schema";
import type { AccountSummary } from "@/lib/dal/accounts";
import type { Ctx } from "@/lib/dal/viewer";
import { defaultLayoutFor } from "@/lib/layouts/defaults";
import type { ProfileQuery } from "@/lib/profile/query";

type Props = {
  ctx: Ctx;
  account: AccountSummary;
  query: ProfileQuery;
  definition: LayoutDefinition;
  /** Where a tab link goes (undefined: the first tab). The profile and the editor's preview differ. */
  tabHref: (tabKey: string | undefined) => string;
};

/**
 * The tabs and widgets of a profile as one layout shapes them: used by the profile page (with the
 * published layout) and by the layout editor's preview (with the draft, as a chosen viewer).
 */
export function ProfileView({ ctx, account, query, definition, tabHref }: Props) {
  const tabs = definition.tabs.length ? definition.tabs : defaultLayoutFor({ key: "", isOpportunity: false, level: 0 }).tabs;
  // An unknown tab in a pasted link falls back to the first tab rather than failing.
  const tab = tabs.find((t) => t.key === query.tab) ?? tabs[0];
  const widgetProps = { ctx, account, query, layout: definition };
  return (
    <>
      <nav aria-label="Profile tabs" className="border-b border-slate-200">
        <TabStrip current={tab.key}>
          {tabs.map((t) => (
            <Link prefetch={false}
              key={t.key}
              href={tabHref(t.key === tabs[0].key ? undefined : t.key)}
              aria-current={t.key === tab.key ? "page" : undefined}
              className={
                t.key === tab.key
                  ? "shrink-0 rounded-t-md border border-b-white border-slate-200 bg-white px-4 py-2 text-sm font-medium whitespace-nowrap text-brand-700"
                  : "shrink-0 border border-transparent px-4 py-2 text-sm whitespace-nowrap text-slate-600 hover:text-slate-900"
              }
            >
              {t.label}
            </Link>
          ))}
        </TabStrip>
      </nav>
      {tab.kind === "overview" ? <Overview tab={tab} widgetProps={widgetProps} /> : <ProfileTab {...widgetProps} tab={tab} />}
    </>
  );
}

function Overview({ tab, widgetProps }: { tab: LayoutTab; widgetProps: Omit<WidgetProps, "settings"> }) {
  const zone = (name: "header" | "medium" | "sidebar"): LayoutWidget[] => tab.zones?.[name] ?? [];
  return (
    <div className="space-y-4">
      {zone("header").map((p) => (
        <WidgetSlot key={p.id} placement={p} eager {...widgetProps} />
      ))}
      <div className="grid grid-cols-1 gap-4 lg:grid-cols-3">
        <div className="grid grid-cols-1 content-start gap-4 md:grid-cols-2 lg:col-span-2" data-zone="medium">
          {zone("medium").map((p) => (
            <WidgetSlot key={p.id} placement={p} {...widgetProps} />
          ))}
        </div>
        <aside className="grid grid-cols-1 content-start gap-4" data-zone="sidebar" aria-label="Sidebar">
          {zone("sidebar").map((p) => (
            <WidgetSlot key={p.id} placement={p} {...widgetProps} />
          ))}
        </aside>
      </div>
    </div>
  );
}
