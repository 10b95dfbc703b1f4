import { apiMutate, apiRead } from "@/lib/api/handler";
import { MUTATIONS } from "@/lib/api/mutations";
import { READS } from "@/lib/api/reads";

/** One account: read, rename or move (PATCH), archive (DELETE). See /api/v1/openapi.json. Authenticated by API token. */
export const GET = apiRead(READS.accounts);
export const PATCH = apiMutate(MUTATIONS.patchAccount);
export const DELETE = apiMutate(MUTATIONS.deleteAccount);
