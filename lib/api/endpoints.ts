import "server-only";
import type { z } from "zod";
import type { Ctx } from "@/lib/dal/viewer";
import { upsertAccounts } from "@/lib/ingest/accounts";
import { ingestAssignments } from "@/lib/ingest/assignments";
import { setAttributeValues } from "@/lib/ingest/attributes";
import { upsertContacts } from "@/lib/ingest/contacts";
import { upsertContracts } from "@/lib/ingest/contracts";
import {
  accountsBody,
  assignmentsBody,
  attributeValuesBody,
  contactsBody,
  contractsBody,
  surveyResponsesBody,
  ticketsBody,
  touchpointsBody,
  usageEventsBody,
} from "@/lib/ingest/schemas";
import { addSurveyResponses } from "@/lib/ingest/surveys";
import { upsertTickets } from "@/lib/ingest/tickets";
import { addTouchpoints } from "@/lib/ingest/touchpoints";
import { ingestUsage } from "@/lib/ingest/usage";
import { ingestStageChanges } from "@/lib/lifecycle/ingest";
import { stageChangesBody } from "@/lib/lifecycle/schemas";
import { healthScoresBody, receiveHealthScores } from "@/lib/health/external";
import { addCampaigns } from "@/lib/ingest/campaigns";
import { addCollectionRecords } from "@/lib/ingest/collections";
import { addInvoices, addSales } from "@/lib/ingest/revenue";
import { campaignsBody, collectionRecordsBody, invoicesBody, salesBody } from "@/lib/ingest/schemas";
import type { ApiScope } from "./scopes";

/**
 * Every write of /api/v1 in one list: its path, the scope a token needs, the zod schema of its
 * body and what it does. The route files and the OpenAPI document are both made from this list.
 */
export type Endpoint<S extends z.ZodType = z.ZodType> = {
  path: string;
  scope: ApiScope;
  summary: string;
  description: string;
  body: S;
  run: (ctx: Ctx, body: z.infer<S>) => Promise<unknown>;
};

function endpoint<S extends z.ZodType>(e: Endpoint<S>): Endpoint<S> {
  return e;
}

export const ENDPOINTS = {
  accounts: endpoint({
    path: "/api/v1/accounts",
    scope: "accounts:write",
    summary: "Upsert accounts by external id",
    description:
      "Creates or updates up to 1,000 accounts by external id; the parent is named by its external id (stored, or in the same request). The hierarchy rules apply (allowed parent types, no opportunity parents, no cycles). A changed parent moves the account with its subtree.",
    body: accountsBody,
    run: (ctx, body) => upsertAccounts(ctx, body.accounts),
  }),
  attributes: endpoint({
    path: "/api/v1/attribute-values",
    scope: "attributes:write",
    summary: "Set attribute values",
    description: "Sets up to 5,000 attribute values by account external id and attribute key, checked against each attribute's data type.",
    body: attributeValuesBody,
    run: (ctx, body) => setAttributeValues(ctx, body.values),
  }),
  usage: endpoint({
    path: "/api/v1/usage-events",
    scope: "usage:write",
    summary: "Send usage events",
    description:
      "Up to 10,000 usage events per request, all or nothing. Send an Idempotency-Key header so a retried batch is never counted twice.",
    body: usageEventsBody,
    run: (ctx, body) => ingestUsage(ctx, body.events),
  }),
  contacts: endpoint({
    path: "/api/v1/contacts",
    scope: "contacts:write",
    summary: "Upsert contacts and their account links",
    description: "Creates or updates up to 1,000 contacts by external id, and adds or updates their links to accounts (role, key contact).",
    body: contactsBody,
    run: (ctx, body) => upsertContacts(ctx, body.contacts),
  }),
  contracts: endpoint({
    path: "/api/v1/contracts",
    scope: "contracts:write",
    summary: "Upsert contracts",
    description: "Creates or updates up to 1,000 contracts by external id. MRR and ARR of the account and every account above it follow at once.",
    body: contractsBody,
    run: (ctx, body) => upsertContracts(ctx, body.contracts),
  }),
  tickets: endpoint({
    path: "/api/v1/tickets",
    scope: "tickets:write",
    summary: "Upsert support tickets",
    description: "Creates or updates up to 1,000 support tickets by external id; open and urgent ticket counts roll up at once.",
    body: ticketsBody,
    run: (ctx, body) => upsertTickets(ctx, body.tickets),
  }),
  surveys: endpoint({
    path: "/api/v1/survey-responses",
    scope: "surveys:write",
    summary: "Add NPS and CSAT responses",
    description: "Adds up to 1,000 NPS (0–10) and CSAT (1–5) responses. Responses have no external id: use an Idempotency-Key to retry safely.",
    body: surveyResponsesBody,
    run: (ctx, body) => addSurveyResponses(ctx, body.responses),
  }),
  touchpoints: endpoint({
    path: "/api/v1/touchpoints",
    scope: "touchpoints:write",
    summary: "Log touchpoints",
    description:
      "Logs up to 1,000 touchpoints (calls, meetings, emails…) with contact participants, on the account timeline. A body may @mention users as `<@user-id>` tokens, as the app stores them: each person must be an active user who can see the account (otherwise 422, nothing written) and is notified. Use an Idempotency-Key to retry safely.",
    body: touchpointsBody,
    run: (ctx, body) => addTouchpoints(ctx, body.touchpoints),
  }),
  assignments: endpoint({
    path: "/api/v1/assignments",
    scope: "assignments:write",
    summary: "Assign people to accounts",
    description:
      "Assigns (or, with action unassign, unassigns) up to 1,000 users to accounts by account external id, user email and assignment role. Already-held assignments are skipped; each change is on the account's timeline and in the audit log.",
    body: assignmentsBody,
    run: (ctx, body) => ingestAssignments(ctx, body.assignments),
  }),
  // Lifecycles (issue 16, lifecycle helper)
  stageChanges: endpoint({
    path: "/api/v1/stage-changes",
    scope: "stages:write",
    summary: "Move accounts to lifecycle stages",
    description:
      "Moves up to 1,000 accounts (by external id) to a stage of a lifecycle (by keys), all or nothing. Each change is kept with who (the token's user), when, from, to and the note, shown on the timeline, and announced as a stage.changed event. Archived stages are refused; a move to the current stage changes nothing.",
    body: stageChangesBody,
    run: (ctx, body) => ingestStageChanges(ctx, body.changes),
  }),
  // health (issue 16)
  healthScores: endpoint({
    path: "/api/v1/health-scores",
    scope: "health:write",
    summary: "Send health scores computed elsewhere",
    description:
      "Up to 1,000 scores (0–100) by account external id, each for the ISO week of `weekOf` (default: this week). An external score replaces the scheme's score for that week and is shown as external on the profile; an optional upsell marks the week with an upsell (and its amount).",
    body: healthScoresBody,
    run: (ctx, body) => receiveHealthScores(ctx, body.scores),
  }),
  // Writes for every table the profile reads (issue 17, api2 helper).
  invoices: endpoint({
    path: "/api/v1/invoices",
    scope: "revenue:write",
    summary: "Add invoices",
    description:
      "Adds up to 1,000 invoices by account external id, each optionally billing a contract of the same account (by its external id). Invoices have no external id: use an Idempotency-Key to retry safely; change or delete one with PATCH/DELETE /api/v1/invoices/{id}.",
    body: invoicesBody,
    run: (ctx, body) => addInvoices(ctx, body.invoices),
  }),
  sales: endpoint({
    path: "/api/v1/sales",
    scope: "revenue:write",
    summary: "Add one-off sales",
    description: "Adds up to 1,000 one-off sales (services, fees) by account external id. Use an Idempotency-Key to retry safely; change or delete one with PATCH/DELETE /api/v1/sales/{id}.",
    body: salesBody,
    run: (ctx, body) => addSales(ctx, body.sales),
  }),
  collectionRecords: endpoint({
    path: "/api/v1/collection-records",
    scope: "collections:write",
    summary: "Add collection records",
    description:
      "Adds up to 1,000 records to collections (by collection key, as on /admin/collections), each on an account by external id; values are checked against the collection's columns. Use an Idempotency-Key to retry safely.",
    body: collectionRecordsBody,
    run: (ctx, body) => addCollectionRecords(ctx, body.records),
  }),
  campaigns: endpoint({
    path: "/api/v1/campaigns",
    scope: "campaigns:write",
    summary: "Add campaigns with their sends",
    description:
      "Adds up to 100 campaigns, each with up to 5,000 sends (a contact at an account, by external ids, with when it was sent, opened and clicked). Every send must be on an account the token may write to. Use an Idempotency-Key to retry safely. List them with GET /api/v1/campaigns; change or delete one with PATCH/DELETE /api/v1/campaigns/{id}, a send with PATCH/DELETE /api/v1/campaign-sends/{id}.",
    body: campaignsBody,
    run: (ctx, body) => addCampaigns(ctx, body.campaigns),
  }),
} satisfies Record<string, Endpoint>;
