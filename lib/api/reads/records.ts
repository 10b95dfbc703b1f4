import "server-only";
import { sql } from "drizzle-orm";
import { bool, byBoolean, byEnum, byId, byText, day, fromDay, int, num, oneOf, resource, since, text, time, toDay, until, uuidField } from "./define";

/*
 * The records that belong to one account each: revenue, support, activity and assignments. Every
 * FROM joins the row's account as `a`, so the token's subtree applies (lib/api/reads/engine.ts).
 */

const TICKET_STATUS = ["new", "open", "pending", "solved", "closed"] as const;
const TICKET_PRIORITY = ["low", "normal", "high", "urgent"] as const;
const TASK_STATUS = ["open", "in_progress", "done", "cancelled"] as const;
const TASK_PRIORITY = ["low", "medium", "high", "urgent"] as const;
const TOUCHPOINT_TYPE = ["call", "meeting", "email", "note", "qbr", "chat"] as const;

export const contractsRead = resource({
  name: "Contract",
  path: "/api/v1/contracts",
  scope: "revenue:read",
  summary: "List contracts",
  description: "Contracts of the accounts the token may see.",
  from: sql`contracts r join accounts a on a.id = r.account_id`,
  accountBound: true,
  fields: {
    id: uuidField(sql`r.id`),
    accountId: uuidField(sql`r.account_id`),
    externalId: text(sql`r.external_id`, true),
    name: text(sql`r.name`),
    kind: text(sql`r.kind`),
    value: num(sql`r.value`),
    mrr: num(sql`r.mrr`),
    startDate: day(sql`r.start_date`),
    endDate: day(sql`r.end_date`, true),
    active: bool(sql`r.active`),
    excluded: bool(sql`r.excluded`),
    createdAt: time(sql`r.created_at`),
  },
  key: [{ sql: sql`r.id`, type: "uuid" }],
  order: "asc",
  filters: {
    externalId: byText("The contract with this external id.", sql`r.external_id`),
    active: byBoolean("Active (true) or ended (false) contracts.", sql`r.active`),
  },
  one: true,
});

export const invoicesRead = resource({
  name: "Invoice",
  path: "/api/v1/invoices",
  scope: "revenue:read",
  summary: "List invoices",
  description: "Invoices of the accounts the token may see.",
  from: sql`invoices r join accounts a on a.id = r.account_id`,
  accountBound: true,
  fields: {
    id: uuidField(sql`r.id`),
    accountId: uuidField(sql`r.account_id`),
    contractId: uuidField(sql`r.contract_id`, true),
    number: text(sql`r.number`),
    amount: num(sql`r.amount`),
    issuedOn: day(sql`r.issued_on`),
    dueOn: day(sql`r.due_on`),
    paidOn: day(sql`r.paid_on`, true),
  },
  key: [{ sql: sql`r.id`, type: "uuid" }],
  order: "asc",
  filters: {
    contractId: byId("Invoices of this contract.", sql`r.contract_id`),
    paid: byBoolean("Paid (true) or unpaid (false) invoices.", sql`r.paid_on is not null`),
    issuedFrom: fromDay("Issued on or after this date.", sql`r.issued_on`),
    issuedTo: toDay("Issued on or before this date.", sql`r.issued_on`),
  },
  one: true,
});

export const salesRead = resource({
  name: "Sale",
  path: "/api/v1/sales",
  scope: "revenue:read",
  summary: "List sales",
  description: "One-off sales of the accounts the token may see.",
  from: sql`sales r join accounts a on a.id = r.account_id`,
  accountBound: true,
  fields: {
    id: uuidField(sql`r.id`),
    accountId: uuidField(sql`r.account_id`),
    name: text(sql`r.name`),
    amount: num(sql`r.amount`),
    soldOn: day(sql`r.sold_on`),
  },
  key: [{ sql: sql`r.id`, type: "uuid" }],
  order: "asc",
  filters: {
    soldFrom: fromDay("Sold on or after this date.", sql`r.sold_on`),
    soldTo: toDay("Sold on or before this date.", sql`r.sold_on`),
  },
  one: true,
});

export const ticketsRead = resource({
  name: "Ticket",
  path: "/api/v1/tickets",
  scope: "support:read",
  summary: "List support tickets",
  description: "Support tickets of the accounts the token may see.",
  from: sql`support_tickets r join accounts a on a.id = r.account_id`,
  accountBound: true,
  fields: {
    id: uuidField(sql`r.id`),
    accountId: uuidField(sql`r.account_id`),
    contactId: uuidField(sql`r.contact_id`, true),
    externalId: text(sql`r.external_id`, true),
    subject: text(sql`r.subject`),
    priority: oneOf(sql`r.priority`, TICKET_PRIORITY),
    status: oneOf(sql`r.status`, TICKET_STATUS),
    openedAt: time(sql`r.opened_at`),
    closedAt: time(sql`r.closed_at`, true),
  },
  key: [{ sql: sql`r.id`, type: "uuid" }],
  order: "asc",
  filters: {
    externalId: byText("The ticket with this external id.", sql`r.external_id`),
    status: byEnum("Tickets in this status.", sql`r.status`, TICKET_STATUS),
    priority: byEnum("Tickets of this priority.", sql`r.priority`, TICKET_PRIORITY),
    openedSince: since("Opened at or after this time.", sql`r.opened_at`),
  },
  one: true,
});

export const surveyResponsesRead = resource({
  name: "SurveyResponse",
  path: "/api/v1/survey-responses",
  scope: "support:read",
  summary: "List NPS and CSAT responses",
  description: "NPS (0–10) and CSAT (1–5) responses of the accounts the token may see.",
  from: sql`survey_responses r join accounts a on a.id = r.account_id`,
  accountBound: true,
  fields: {
    id: uuidField(sql`r.id`),
    accountId: uuidField(sql`r.account_id`),
    contactId: uuidField(sql`r.contact_id`, true),
    kind: oneOf(sql`r.kind`, ["nps", "csat"]),
    score: int(sql`r.score`),
    comment: text(sql`r.comment`, true),
    respondedAt: time(sql`r.responded_at`),
  },
  key: [{ sql: sql`r.id`, type: "uuid" }],
  order: "asc",
  filters: {
    kind: byEnum("NPS or CSAT.", sql`r.kind`, ["nps", "csat"]),
    since: since("Responded at or after this time.", sql`r.responded_at`),
    until: until("Responded before this time.", sql`r.responded_at`),
  },
  one: true,
});

export const touchpointsRead = resource({
  name: "Touchpoint",
  path: "/api/v1/touchpoints",
  scope: "activity:read",
  summary: "List touchpoints",
  description: "Logged calls, meetings, emails… of the accounts the token may see, with their contact participants.",
  from: sql`touchpoints r join accounts a on a.id = r.account_id`,
  accountBound: true,
  fields: {
    id: uuidField(sql`r.id`),
    accountId: uuidField(sql`r.account_id`),
    type: oneOf(sql`r.type`, TOUCHPOINT_TYPE),
    subject: text(sql`r.subject`),
    body: text(sql`r.body`),
    occurredAt: time(sql`r.occurred_at`),
    authorId: uuidField(sql`r.author_id`, true),
    createdAt: time(sql`r.created_at`),
    contactIds: {
      sql: sql`(select coalesce(json_agg(p.contact_id order by p.id), '[]'::json) from touchpoint_participants p where p.touchpoint_id = r.id and p.contact_id is not null)`,
      schema: { type: "array", items: { type: "string", format: "uuid" } },
    },
  },
  key: [{ sql: sql`r.id`, type: "uuid" }],
  order: "asc",
  filters: {
    type: byEnum("Touchpoints of this type.", sql`r.type`, TOUCHPOINT_TYPE),
    since: since("Occurred at or after this time.", sql`r.occurred_at`),
    until: until("Occurred before this time.", sql`r.occurred_at`),
  },
  one: true,
});

export const tasksRead = resource({
  name: "Task",
  path: "/api/v1/tasks",
  scope: "activity:read",
  summary: "List tasks",
  description: "Tasks on the accounts the token may see.",
  from: sql`tasks r join accounts a on a.id = r.account_id left join users u on u.id = r.assignee_id`,
  accountBound: true,
  fields: {
    id: uuidField(sql`r.id`),
    accountId: uuidField(sql`r.account_id`),
    title: text(sql`r.title`),
    description: text(sql`r.description`, true),
    dueDate: day(sql`r.due_date`, true),
    assigneeId: uuidField(sql`r.assignee_id`, true),
    assigneeEmail: text(sql`u.email`, true),
    priority: oneOf(sql`r.priority`, TASK_PRIORITY),
    status: oneOf(sql`r.status`, TASK_STATUS),
    createdAt: time(sql`r.created_at`),
    completedAt: time(sql`r.completed_at`, true),
  },
  key: [{ sql: sql`r.id`, type: "uuid" }],
  order: "asc",
  filters: {
    status: byEnum("Tasks in this status.", sql`r.status`, TASK_STATUS),
    priority: byEnum("Tasks of this priority.", sql`r.priority`, TASK_PRIORITY),
    assigneeEmail: byText("Tasks assigned to the user with this email.", sql`u.email`),
    dueFrom: fromDay("Due on or after this date.", sql`r.due_date`),
    dueTo: toDay("Due on or before this date.", sql`r.due_date`),
  },
  one: true,
});

export const assignmentsRead = resource({
  name: "Assignment",
  path: "/api/v1/assignments",
  scope: "assignments:read",
  summary: "List assignments",
  description: "Who is assigned to which account the token may see, with which role. (History: the account's timeline.)",
  from: sql`assignments r join accounts a on a.id = r.account_id join users u on u.id = r.user_id`,
  accountBound: true,
  fields: {
    accountId: uuidField(sql`r.account_id`),
    userId: uuidField(sql`r.user_id`),
    userEmail: text(sql`u.email`),
    userName: text(sql`u.name`),
    role: text(sql`r.role`),
    assignedAt: time(sql`r.assigned_at`),
  },
  key: [
    { sql: sql`r.account_id`, type: "uuid" },
    { sql: sql`r.user_id`, type: "uuid" },
    { sql: sql`r.role`, type: "text" },
  ],
  order: "asc",
  filters: {
    userEmail: byText("Assignments of the user with this email.", sql`u.email`),
    role: byText("Assignments with this role.", sql`r.role`),
  },
  one: false,
});
