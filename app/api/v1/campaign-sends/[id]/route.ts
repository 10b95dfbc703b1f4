import { apiRead } from "@/lib/api/handler";
import { READS } from "@/lib/api/reads";

/** One campaign send by id (campaign, contact and account ids joined by ":"): see /api/v1/openapi.json. Authenticated by API token. */
export const GET = apiRead(READS.campaignSends);
