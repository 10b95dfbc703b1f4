import { apiList } from "@/lib/api/handler";
import { READS } from "@/lib/api/reads";

/** campaign-sends: see lib/api/reads and /api/v1/openapi.json. Authenticated by API token, not by session. */
export const GET = apiList(READS.campaignSends);
