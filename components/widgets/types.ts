import type { z } from "zod";
import type { LayoutDefinition, LayoutZone } from "@/db/schema";
import type { AccountSummary } from "@/lib/dal/accounts";
import type { Ctx } from "@/lib/dal/viewer";
import type { ProfileQuery } from "@/lib/profile/query";

export type WidgetProps<S = Record<string, unknown>> = {
  ctx: Ctx;
  account: AccountSummary;
  settings: S;
  query: ProfileQuery;
  /** The layout being rendered, for layout-wide settings such as its field groups. */
  layout?: LayoutDefinition;
};

/**
 * One widget of the profile: a server component that loads its own data through the data-access
 * layer. The layout decides where it appears; the registry is the only list of widgets.
 */
export type WidgetDefinition<S = any> = {
  key: string;
  title: string;
  description: string;
  zones: LayoutZone[];
  settings: z.ZodType<S>;
  Component: (props: WidgetProps<S>) => Promise<React.ReactNode> | React.ReactNode;
  /** Rough height of the skeleton shown while it streams in. */
  skeletonRows?: number;
};
