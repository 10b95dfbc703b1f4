import { ENDPOINTS } from "@/lib/api/endpoints";
import { apiList, apiPost } from "@/lib/api/handler";
import { READS } from "@/lib/api/reads";

/** invoices: see lib/api/endpoints.ts and /api/v1/openapi.json. GET lists (lib/api/reads). Authenticated by API token, not by session. */
export const POST = apiPost(ENDPOINTS.invoices);
export const GET = apiList(READS.invoices);
