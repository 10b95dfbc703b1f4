import type { WidgetDefinition } from "./types";
import { accountWidgets } from "./account";
import { activityWidgets } from "./activity";
import { headerWidgets } from "./header";
import { healthWidgets } from "./health";
import { hierarchyWidgets } from "./hierarchy";

/** Every widget a layout may name. Adding a widget means adding it to its group's list. */
export const WIDGETS: readonly WidgetDefinition[] = [
  ...headerWidgets,
  ...healthWidgets,
  ...hierarchyWidgets,
  ...accountWidgets,
  ...activityWidgets,
];

const byKey = new Map(WIDGETS.map((w) => [w.key, w]));

export function getWidget(key: string): WidgetDefinition | undefined {
  return byKey.get(key);
}
