import { z } from "zod";
import type { WidgetDefinition } from "../types";
import { HeaderWidget } from "./header-widget";

export const headerWidgets: WidgetDefinition[] = [
  {
    key: "header",
    title: "Profile header",
    description: "Key Info, Recent changes (old and new values over a period) and All attributes with search and history.",
    zones: ["header"],
    settings: z.object({
      title: z.string().max(80).optional().meta({ title: "Title of the Key Info view" }),
      attributes: z
        .array(z.string().max(100))
        .max(40, "At most 40 key-info attributes.")
        .default([])
        .meta({ input: "attributes", title: "Key info attributes", description: "In this order; none picked: the account type's key-info attributes." }),
    }),
    Component: HeaderWidget,
    skeletonRows: 3,
  },
];
