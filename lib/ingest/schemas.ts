import { z } from "zod";
import { ticketPriority, ticketStatus, touchpointType } from "@/db/schema/enums";

/*
 * The request bodies of /api/v1, one zod schema per resource. They validate API calls and CSV rows
 * alike, and the OpenAPI document (/api/v1/openapi.json) is generated from them, so the document
 * cannot drift from what the API accepts.
 */

/** Most items per request; usage events have their own, larger limit. */
export const BATCH_LIMIT = 1000;
export const USAGE_BATCH_LIMIT = 10_000;

const externalId = (what: string) =>
  z.string({ error: `Give the ${what} external id as a string.` }).trim().min(1, `Give the ${what} external id.`).max(200, "Use at most 200 characters.");
const text = (max: number, what: string) => z.string({ error: `Give ${what} as a string.` }).trim().min(1, `Give ${what}.`).max(max, `Use at most ${max} characters.`);
const optionalText = (max: number) => z.string().trim().max(max, `Use at most ${max} characters.`).nullish();
const instant = z.iso.datetime({ offset: true, error: "Use an ISO 8601 date-time with a time zone, e.g. 2026-11-20T14:30:00Z." });
const day = z.iso.date({ error: "Use a date as YYYY-MM-DD." });
const money = z.number({ error: "Give an amount as a number." }).min(0, "Use 0 or more.").max(1e12, "That amount is too large.");
const batch = <T extends z.ZodType>(item: T, limit: number, what: string) =>
  z.array(item, { error: `Give ${what} as an array.` }).min(1, `Send at least one of ${what}.`).max(limit, `Send at most ${limit.toLocaleString("en-US")} ${what} per request.`);

export const accountItem = z
  .object({
    externalId: externalId("account"),
    name: text(200, "the account name"),
    type: text(40, "the account type key (e.g. product)").describe("Key of the account type, as on /admin/account-types."),
    parentExternalId: externalId("parent")
      .nullish()
      .describe("External id of the parent account (in this request or already stored); null or absent for a top-level account."),
  })
  .strict();
export const accountsBody = z.object({ accounts: batch(accountItem, BATCH_LIMIT, "accounts") }).strict();

export const attributeValueItem = z
  .object({
    accountExternalId: externalId("account"),
    key: text(80, "the attribute key"),
    value: z
      .union([z.string().max(5000, "Use at most 5,000 characters."), z.number(), z.boolean(), z.null()], { error: "Give a string, number, boolean or null." })
      .describe("The new value; null or an empty string clears it. Checked against the attribute's data type."),
  })
  .strict();
export const attributeValuesBody = z.object({ values: batch(attributeValueItem, BATCH_LIMIT * 5, "values") }).strict();

export const usageEventItem = z
  .object({
    accountExternalId: externalId("account"),
    module: text(80, "the module key").describe("Module key; a module named for the first time is created (admins rename it at /admin/usage)."),
    activity: text(80, "the activity key").describe("Activity key within the module; created the first time it is named."),
    occurredAt: instant,
    userExternalId: externalId("end user (contact)").nullish().describe("External id of the contact who did it, when known."),
    count: z.number({ error: "Give the count as a whole number." }).int("Give the count as a whole number.").min(1, "Use 1 or more.").max(1_000_000, "Use at most 1,000,000.").optional(),
  })
  .strict();
export const usageEventsBody = z.object({ events: batch(usageEventItem, USAGE_BATCH_LIMIT, "events") }).strict();

export const contactAccountLink = z
  .object({
    accountExternalId: externalId("account"),
    role: text(80, "the contact's role at the account"),
    isKey: z.boolean({ error: "Give isKey as true or false." }).optional(),
  })
  .strict();
export const contactItem = z
  .object({
    externalId: externalId("contact"),
    name: text(200, "the contact's name"),
    email: z.email({ error: "Give a valid email address." }).max(320).nullish(),
    title: optionalText(200),
    phone: optionalText(60),
    accounts: z.array(contactAccountLink).max(50, "Link at most 50 accounts per contact.").optional().describe("Account links to add or update (existing links not listed stay)."),
  })
  .strict();
export const contactsBody = z.object({ contacts: batch(contactItem, BATCH_LIMIT, "contacts") }).strict();

export const contractItem = z
  .object({
    externalId: externalId("contract"),
    accountExternalId: externalId("account"),
    name: text(200, "the contract name"),
    kind: z.string().trim().min(1).max(60).optional(),
    value: money,
    mrr: money.describe("Monthly recurring revenue of the contract; ARR is 12 × MRR."),
    startDate: day,
    endDate: day.nullish(),
    active: z.boolean({ error: "Give active as true or false." }).optional(),
    excluded: z.boolean({ error: "Give excluded as true or false." }).optional().describe("Excluded contracts do not count in MRR."),
  })
  .strict()
  .refine((c) => !c.endDate || c.endDate >= c.startDate, { path: ["endDate"], message: "The end date is before the start date." });
export const contractsBody = z.object({ contracts: batch(contractItem, BATCH_LIMIT, "contracts") }).strict();

export const ticketItem = z
  .object({
    externalId: externalId("ticket"),
    accountExternalId: externalId("account"),
    contactExternalId: externalId("contact").nullish(),
    subject: text(300, "the subject"),
    priority: z.enum(ticketPriority.enumValues, { error: `Use one of: ${ticketPriority.enumValues.join(", ")}.` }).optional(),
    status: z.enum(ticketStatus.enumValues, { error: `Use one of: ${ticketStatus.enumValues.join(", ")}.` }).optional(),
    openedAt: instant,
    closedAt: instant.nullish(),
  })
  .strict();
export const ticketsBody = z.object({ tickets: batch(ticketItem, BATCH_LIMIT, "tickets") }).strict();

export const surveyResponseItem = z
  .object({
    accountExternalId: externalId("account"),
    contactExternalId: externalId("contact").nullish(),
    kind: z.enum(["nps", "csat"], { error: "Use nps or csat." }),
    score: z.number({ error: "Give the score as a whole number." }).int("Give the score as a whole number."),
    comment: optionalText(5000),
    respondedAt: instant,
  })
  .strict()
  .refine((r) => (r.kind === "nps" ? r.score >= 0 && r.score <= 10 : r.score >= 1 && r.score <= 5), {
    path: ["score"],
    message: "An NPS score is 0 to 10; a CSAT score is 1 to 5.",
  });
export const surveyResponsesBody = z.object({ responses: batch(surveyResponseItem, BATCH_LIMIT, "responses") }).strict();

export const touchpointItem = z
  .object({
    accountExternalId: externalId("account"),
    type: z.enum(touchpointType.enumValues, { error: `Use one of: ${touchpointType.enumValues.join(", ")}.` }),
    subject: text(200, "a subject"),
    body: optionalText(12_000),
    occurredAt: instant,
    contactExternalIds: z.array(externalId("contact")).max(50, "At most 50 participants.").optional(),
  })
  .strict();
export const touchpointsBody = z.object({ touchpoints: batch(touchpointItem, BATCH_LIMIT, "touchpoints") }).strict();

export type AccountItem = z.infer<typeof accountItem>;
export type AttributeValueItem = z.infer<typeof attributeValueItem>;
export type UsageEventItem = z.infer<typeof usageEventItem>;
export const assignmentItem = z
  .object({
    accountExternalId: externalId("account"),
    userEmail: z.email({ error: "Give the user's email address." }).max(320).describe("Email of an active Customer 360 user."),
    role: text(100, "the assignment role").describe("Name of an assignment role, as on /admin/assignment-roles (case does not matter)."),
    action: z.enum(["assign", "unassign"], { error: "Use assign or unassign." }).optional().describe("assign (the default) or unassign."),
  })
  .strict();
export const assignmentsBody = z.object({ assignments: batch(assignmentItem, BATCH_LIMIT, "assignments") }).strict();

export type AssignmentItem = z.infer<typeof assignmentItem>;
export type ContactItem = z.infer<typeof contactItem>;
export type ContractItem = z.infer<typeof contractItem>;
export type TicketItem = z.infer<typeof ticketItem>;
export type SurveyResponseItem = z.infer<typeof surveyResponseItem>;
export type TouchpointItem = z.infer<typeof touchpointItem>;

// Invoices, sales, collection records and campaigns (issue 17: every table the profile reads has a writer).
export const invoiceItem = z
  .object({
    accountExternalId: externalId("account"),
    contractExternalId: externalId("contract").nullish().describe("External id of a contract of the same account, when the invoice bills one."),
    number: text(100, "the invoice number"),
    amount: money,
    issuedOn: day,
    dueOn: day,
    paidOn: day.nullish().describe("When it was paid; null or absent while unpaid."),
  })
  .strict()
  .refine((i) => i.dueOn >= i.issuedOn, { path: ["dueOn"], message: "The due date is before the issue date." });
export const invoicesBody = z.object({ invoices: batch(invoiceItem, BATCH_LIMIT, "invoices") }).strict();

export const saleItem = z.object({ accountExternalId: externalId("account"), name: text(200, "the sale's name"), amount: money, soldOn: day }).strict();
export const salesBody = z.object({ sales: batch(saleItem, BATCH_LIMIT, "sales") }).strict();

const collectionValues = z
  .record(z.string().max(80), z.union([z.string().max(5000, "Use at most 5,000 characters."), z.number(), z.null()], { error: "Give a string, number or null." }))
  .describe("Values by the collection's column keys (as on /admin/collections), checked against each column's type.");
export const collectionRecordItem = z
  .object({ collection: text(80, "the collection key"), accountExternalId: externalId("account"), values: collectionValues })
  .strict();
export const collectionRecordsBody = z.object({ records: batch(collectionRecordItem, BATCH_LIMIT, "records") }).strict();
export const collectionRecordPatch = z.object({ values: collectionValues }).strict();

export const campaignSendItem = z
  .object({
    accountExternalId: externalId("account"),
    contactExternalId: externalId("contact"),
    sentAt: instant.nullish().describe("Default: the campaign's sentAt."),
    openedAt: instant.nullish(),
    clickedAt: instant.nullish(),
  })
  .strict();
export const campaignItem = z
  .object({
    name: text(200, "the campaign name"),
    channel: text(40, "the channel").optional().describe("Default: email."),
    sentAt: instant,
    sends: z.array(campaignSendItem, { error: "Give sends as an array." }).min(1, "Send the campaign to at least one contact.").max(5000, "At most 5,000 sends per campaign."),
  })
  .strict();
export const campaignsBody = z.object({ campaigns: batch(campaignItem, 100, "campaigns") }).strict();

export type InvoiceItem = z.infer<typeof invoiceItem>;
export type SaleItem = z.infer<typeof saleItem>;
export type CollectionRecordItem = z.infer<typeof collectionRecordItem>;
export type CampaignItem = z.infer<typeof campaignItem>;

// PATCH bodies of one record: only the fields sent change; at least one must be sent.
const someField = (body: Record<string, unknown>) => Object.values(body).some((v) => v !== undefined);
const atLeastOne = "Send at least one field to change.";
export const invoicePatch = z
  .object({ number: text(100, "the invoice number").optional(), amount: money.optional(), issuedOn: day.optional(), dueOn: day.optional(), paidOn: day.nullish() })
  .strict()
  .refine(someField, atLeastOne);
export const salePatch = z.object({ name: text(200, "the sale's name").optional(), amount: money.optional(), soldOn: day.optional() }).strict().refine(someField, atLeastOne);
export const touchpointPatch = z
  .object({
    type: touchpointItem.shape.type.optional(),
    subject: text(200, "a subject").optional(),
    body: z.string().trim().max(12_000, "Use at most 12,000 characters.").optional(),
    occurredAt: instant.optional(),
  })
  .strict()
  .refine(someField, atLeastOne);
export const contactPatch = z
  .object({ name: text(200, "the contact's name").optional(), email: z.email({ error: "Give a valid email address." }).max(320).nullish(), title: optionalText(200), phone: optionalText(60) })
  .strict()
  .refine(someField, atLeastOne);
