import { apiMutate, apiRead } from "@/lib/api/handler";
import { MUTATIONS } from "@/lib/api/mutations";
import { READS } from "@/lib/api/reads";

/** One contact: read, or change its details (PATCH). See /api/v1/openapi.json. Authenticated by API token. */
export const GET = apiRead(READS.contacts);
export const PATCH = apiMutate(MUTATIONS.patchContact);
