import type { LayoutDefinition } from "@/db/schema";
import type { AccountSummary } from "@/lib/dal/accounts";
import type { Ctx } from "@/lib/dal/viewer";
import type { ProfileQuery } from "@/lib/profile/query";
import type { WidgetMeta } from "@/lib/widgets/catalog";

export type WidgetProps<S = Record<string, unknown>> = {
  ctx: Ctx;
  account: AccountSummary;
  settings: S;
  query: ProfileQuery;
  /** The layout being rendered, for layout-wide settings such as its field groups. */
  layout?: LayoutDefinition;
};

/** A widget's server component: it loads its own data through the data-access layer. */
export type WidgetComponent<S = any> = (props: WidgetProps<S>) => Promise<React.ReactNode> | React.ReactNode;

/**
 * One widget of the profile: its catalog entry (lib/widgets/catalog.ts) with its component. The
 * layout decides where it appears; the registry is the only list of components.
 */
export type WidgetDefinition<S = any> = WidgetMeta<S> & { Component: WidgetComponent<S> };
