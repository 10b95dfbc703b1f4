import { apiMutate, apiRead } from "@/lib/api/handler";
import { MUTATIONS } from "@/lib/api/mutations";
import { READS } from "@/lib/api/reads";

/** One record of collection-records: read, change (PATCH) or delete (DELETE). See /api/v1/openapi.json. Authenticated by API token. */
export const GET = apiRead(READS.collectionRecords);
export const PATCH = apiMutate(MUTATIONS.patchCollectionRecord);
export const DELETE = apiMutate(MUTATIONS.deleteCollectionRecord);
