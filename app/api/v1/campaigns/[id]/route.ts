import { apiMutate, apiRead } from "@/lib/api/handler";
import { MUTATIONS } from "@/lib/api/mutations";
import { READS } from "@/lib/api/reads";

/** One campaign: read, change (PATCH) or delete once it has no sends (DELETE). See /api/v1/openapi.json. Authenticated by API token. */
export const GET = apiRead(READS.campaigns);
export const PATCH = apiMutate(MUTATIONS.patchCampaign);
export const DELETE = apiMutate(MUTATIONS.deleteCampaign);
