import "server-only";
import { accountsRead, contactsRead } from "./accounts";
import type { ReadResource } from "./define";
import { healthHistoryRead, healthRead, lifecycleStagesRead, stageChangesRead, timelineRead } from "./history";
import { assignmentsRead, campaignSendsRead, campaignsRead, collectionRecordsRead, contractsRead, invoicesRead, salesRead, surveyResponsesRead, tasksRead, ticketsRead, touchpointsRead } from "./records";
import { usageRead } from "./usage";

export { listRecords, readRecord, DEFAULT_LIMIT, MAX_LIMIT, type ListPage } from "./engine";
export type { ReadResource, TokenScope } from "./define";

/** Every read of /api/v1 by name: the route files, the OpenAPI document and the MCP tools use it. */
export const READS = {
  accounts: accountsRead,
  contacts: contactsRead,
  contracts: contractsRead,
  invoices: invoicesRead,
  sales: salesRead,
  tickets: ticketsRead,
  surveyResponses: surveyResponsesRead,
  touchpoints: touchpointsRead,
  tasks: tasksRead,
  assignments: assignmentsRead,
  health: healthRead,
  healthSnapshots: healthHistoryRead,
  lifecycleStages: lifecycleStagesRead,
  stageChanges: stageChangesRead,
  usage: usageRead,
  timeline: timelineRead,
  // Collection records and campaign sends (issue 17, api2 helper).
  collectionRecords: collectionRecordsRead,
  campaignSends: campaignSendsRead,
  // Campaigns themselves (issue 17, api3 helper).
  campaigns: campaignsRead,
} satisfies Record<string, ReadResource>;

export type ReadName = keyof typeof READS;
