"use server";

import { z } from "zod";
import { defineAction } from "@/lib/actions/define";
import { importRows, type ImportRow } from "@/lib/import/run";

const MAX_ROWS = 5000;

/** One part of a CSV file (the browser reads the file and sends it in parts, for the progress bar). */
export const importRowsAction = defineAction({
  name: "importCsvRows",
  schema: z.object({
    kind: z.enum(["accounts", "contacts", "usage", "assignments"], { error: "Choose what the file holds." }),
    rows: z.string().transform((text, ctx): ImportRow[] => {
      try {
        const rows = JSON.parse(text) as unknown;
        const shape = z
          .array(z.object({ line: z.number().int().min(1), values: z.record(z.string(), z.string().max(20_000)) }))
          .min(1)
          .max(MAX_ROWS);
        const parsed = shape.safeParse(rows);
        if (parsed.success) return parsed.data;
      } catch {}
      ctx.addIssue({ code: "custom", message: "The rows could not be read: reload the page and try again." });
      return z.NEVER;
    }),
  }),
  authorize: (ctx) => ctx.viewer.role === "admin" || "Only admins can import data.",
  run: (ctx, input) => importRows(ctx, input.kind, input.rows),
});
