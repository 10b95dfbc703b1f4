import { ENDPOINTS } from "@/lib/api/endpoints";
import { apiPost } from "@/lib/api/handler";

/** health-scores: see lib/api/endpoints.ts and /api/v1/openapi.json. Authenticated by API token, not by session. */
export const POST = apiPost(ENDPOINTS.healthScores);
