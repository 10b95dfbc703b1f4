import { z } from "zod";
import { BATCH_LIMIT } from "@/lib/ingest/schemas";

/** One stage change as the API and CSV import take it (keys, as on /admin/lifecycles). */
export const stageChangeItem = z
  .object({
    accountExternalId: z.string({ error: "Give the account external id as a string." }).trim().min(1, "Give the account external id.").max(200, "Use at most 200 characters."),
    lifecycle: z.string({ error: "Give the lifecycle key as a string." }).trim().min(1, "Give the lifecycle key.").max(80, "Use at most 80 characters.").describe("Key of the lifecycle."),
    stage: z.string({ error: "Give the stage key as a string." }).trim().min(1, "Give the stage key.").max(80, "Use at most 80 characters.").describe("Key of a non-archived stage of that lifecycle."),
    note: z.string().trim().max(2000, "Use at most 2,000 characters.").nullish().describe("Why the account moved (optional)."),
    changedAt: z.iso
      .datetime({ offset: true, error: "Use an ISO 8601 date-time with a time zone, e.g. 2026-11-20T14:30:00Z." })
      .optional()
      .describe("When it moved; defaults to now. Not in the future."),
  })
  .strict();
export type StageChangeItem = z.infer<typeof stageChangeItem>;

export const stageChangesBody = z
  .object({
    changes: z
      .array(stageChangeItem, { error: "Give changes as an array." })
      .min(1, "Send at least one of changes.")
      .max(BATCH_LIMIT, `Send at most ${BATCH_LIMIT.toLocaleString("en-US")} changes per request.`),
  })
  .strict();
