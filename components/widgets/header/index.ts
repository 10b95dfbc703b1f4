import { z } from "zod";
import type { WidgetDefinition } from "../types";
import { HeaderWidget } from "./header-widget";

export const headerWidgets: WidgetDefinition[] = [
  {
    key: "header",
    title: "Profile header",
    description: "Key Info, Recent changes (old and new values over a period) and All attributes with search and history.",
    zones: ["header"],
    settings: z.object({ title: z.string().max(80).optional() }),
    Component: HeaderWidget,
    skeletonRows: 3,
  },
];
