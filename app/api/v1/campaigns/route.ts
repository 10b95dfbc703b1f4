import { ENDPOINTS } from "@/lib/api/endpoints";
import { apiPost } from "@/lib/api/handler";

/** campaigns: see lib/api/endpoints.ts and /api/v1/openapi.json (their sends: GET /api/v1/campaign-sends). Authenticated by API token, not by session. */
export const POST = apiPost(ENDPOINTS.campaigns);
