import { apiMutate, apiRead } from "@/lib/api/handler";
import { MUTATIONS } from "@/lib/api/mutations";
import { READS } from "@/lib/api/reads";

/** One contact: read, change its details (PATCH), or delete it when no history names it (DELETE). See /api/v1/openapi.json. Authenticated by API token. */
export const GET = apiRead(READS.contacts);
export const PATCH = apiMutate(MUTATIONS.patchContact);
export const DELETE = apiMutate(MUTATIONS.deleteContact);
