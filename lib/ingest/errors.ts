import { z } from "zod";

/** One problem with a request, at a field path such as `["accounts", 3, "parentExternalId"]`. */
export type ApiIssue = { path: (string | number)[]; message: string };

/**
 * A refusal meant for the caller: an HTTP status, a sentence and the field paths at fault. The
 * ingestion code throws it from inside the transaction, so nothing of the request is written.
 */
export class IngestError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly issues: ApiIssue[] = [],
    /** More of the answer beside error and issues, e.g. `references` of a refused delete. */
    readonly extra: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

/** A 422 for one field of one item of a batch. */
export function itemError(path: (string | number)[], message: string): IngestError {
  return new IngestError(422, "Check the listed fields; nothing was written.", [{ path, message }]);
}

export function zodIssues(error: z.ZodError): ApiIssue[] {
  return error.issues.map((issue) => ({ path: issue.path.map((p) => (typeof p === "symbol" ? String(p) : p)), message: issue.message }));
}
