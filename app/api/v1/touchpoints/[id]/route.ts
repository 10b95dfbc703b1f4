import { apiMutate, apiRead } from "@/lib/api/handler";
import { MUTATIONS } from "@/lib/api/mutations";
import { READS } from "@/lib/api/reads";

/** One record of touchpoints: read, change (PATCH) or delete (DELETE). See /api/v1/openapi.json. Authenticated by API token. */
export const GET = apiRead(READS.touchpoints);
export const PATCH = apiMutate(MUTATIONS.patchTouchpoint);
export const DELETE = apiMutate(MUTATIONS.deleteTouchpoint);
