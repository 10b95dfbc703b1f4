import { ENDPOINTS } from "@/lib/api/endpoints";
import { apiList, apiPost } from "@/lib/api/handler";
import { READS } from "@/lib/api/reads";

/** campaigns: see lib/api/endpoints.ts, lib/api/reads and /api/v1/openapi.json (their sends: /api/v1/campaign-sends). Authenticated by API token, not by session. */
export const GET = apiList(READS.campaigns);
export const POST = apiPost(ENDPOINTS.campaigns);
