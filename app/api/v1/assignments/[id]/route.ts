import { apiRead } from "@/lib/api/handler";
import { READS } from "@/lib/api/reads";

/** One record of assignments by id (its key's values joined by ":"): see lib/api/reads and /api/v1/openapi.json. Authenticated by API token. */
export const GET = apiRead(READS.assignments);
