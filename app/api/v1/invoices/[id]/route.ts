import { apiMutate, apiRead } from "@/lib/api/handler";
import { MUTATIONS } from "@/lib/api/mutations";
import { READS } from "@/lib/api/reads";

/** One record of invoices: read, change (PATCH) or delete (DELETE). See /api/v1/openapi.json. Authenticated by API token. */
export const GET = apiRead(READS.invoices);
export const PATCH = apiMutate(MUTATIONS.patchInvoice);
export const DELETE = apiMutate(MUTATIONS.deleteInvoice);
