import { apiMutate, apiRead } from "@/lib/api/handler";
import { MUTATIONS } from "@/lib/api/mutations";
import { READS } from "@/lib/api/reads";

/** One task: read, complete or reopen (PATCH). See /api/v1/openapi.json. Authenticated by API token. */
export const GET = apiRead(READS.tasks);
export const PATCH = apiMutate(MUTATIONS.patchTask);
