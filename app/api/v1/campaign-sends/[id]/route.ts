import { apiMutate, apiRead } from "@/lib/api/handler";
import { MUTATIONS } from "@/lib/api/mutations";
import { READS } from "@/lib/api/reads";

/** One campaign send by id (campaign, contact and account ids joined by ":"): read, change or delete. See /api/v1/openapi.json. Authenticated by API token. */
export const GET = apiRead(READS.campaignSends);
export const PATCH = apiMutate(MUTATIONS.patchCampaignSend);
export const DELETE = apiMutate(MUTATIONS.deleteCampaignSend);
