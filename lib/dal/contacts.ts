import "server-only";
import { and, asc, desc, eq, gte, inArray, isNull, max, sql } from "drizzle-orm";
import {
  accountContacts,
  accounts,
  accountTypes,
  contacts,
  surveyResponses,
  touchpointParticipants,
  touchpoints,
  usageDaily,
  usageModules,
  users,
} from "@/db/schema";
import type { AccountSummary } from "./accounts";
import { isUuid, laggingDb, visibleAccount, type Ctx } from "./viewer";

export type ContactLink = { accountId: string; accountName: string; typeName: string; level: number; role: string; isKey: boolean };

export type ContactProfile = {
  id: string;
  name: string;
  title: string | null;
  email: string | null;
  phone: string | null;
  attributes: Record<string, unknown>;
  /** Only the accounts the viewer may see, highest level first. */
  accounts: ContactLink[];
};

/**
 * The contact with the accounts it is linked to that the viewer may see. Null for a malformed or
 * unknown id, and also when the viewer may see none of the contact's accounts (same answer).
 */
export async function findContact(ctx: Ctx, id: unknown): Promise<ContactProfile | null> {
  if (!isUuid(id)) return null;
  const [[contact], links] = await Promise.all([
    ctx.db.select().from(contacts).where(eq(contacts.id, id)).limit(1),
    ctx.db
      .select({
        accountId: accounts.id,
        accountName: accounts.name,
        typeName: accountTypes.name,
        level: accounts.depth,
        role: accountContacts.role,
        isKey: accountContacts.isKey,
      })
      .from(accountContacts)
      .innerJoin(accounts, eq(accounts.id, accountContacts.accountId))
      .innerJoin(accountTypes, eq(accountTypes.id, accounts.typeId))
      .where(and(eq(accountContacts.contactId, id), isNull(accounts.archivedAt), visibleAccount(ctx.viewer, accounts.id, accounts.typeId)))
      .orderBy(asc(accounts.depth), asc(accounts.name)),
  ]);
  if (!contact || links.length === 0) return null;
  return {
    id: contact.id,
    name: contact.name,
    title: contact.title,
    email: contact.email,
    phone: contact.phone,
    attributes: contact.attributes ?? {},
    accounts: links.map((l) => ({ ...l, level: l.level + 1 })),
  };
}

export type ContactUsage = {
  days: number;
  byModule: { moduleKey: string; moduleName: string; events: number }[];
  total: number;
  lastActive: string | null;
};

/** The contact's usage over the last `days` by module, and the last day they were active, on the given accounts. */
export async function contactUsage(ctx: Ctx, contact: ContactProfile, now = new Date(), days = 90): Promise<ContactUsage> {
  const accountIds = contact.accounts.map((a) => a.accountId);
  const since = new Date(now.getTime() - days * 86_400_000).toISOString().slice(0, 10);
  const mine = and(inArray(usageDaily.accountId, accountIds), eq(usageDaily.contactId, contact.id));
  const [byModule, [last]] = await Promise.all([
    ctx.db
      .select({ moduleKey: usageModules.key, moduleName: usageModules.name, events: sql<number>`sum(${usageDaily.events})::bigint` })
      .from(usageDaily)
      .innerJoin(usageModules, eq(usageModules.id, usageDaily.moduleId))
      .where(and(mine, gte(usageDaily.day, since)))
      .groupBy(usageModules.key, usageModules.name)
      .orderBy(desc(sql`sum(${usageDaily.events})`), asc(usageModules.name)),
    ctx.db.select({ day: max(usageDaily.day) }).from(usageDaily).where(mine),
  ]);
  const modules = byModule.map((m) => ({ ...m, events: Number(m.events) }));
  return { days, byModule: modules, total: modules.reduce((a, m) => a + m.events, 0), lastActive: last?.day ?? null };
}

export type ContactSurvey = { id: string; kind: "nps" | "csat"; score: number; comment: string | null; respondedAt: Date; accountId: string; accountName: string };

/** NPS and CSAT answers of the contact on accounts the viewer may see, newest first. */
export async function contactSurveys(ctx: Ctx, contact: ContactProfile, limit = 50): Promise<ContactSurvey[]> {
  return ctx.db
    .select({
      id: surveyResponses.id,
      kind: surveyResponses.kind,
      score: surveyResponses.score,
      comment: surveyResponses.comment,
      respondedAt: surveyResponses.respondedAt,
      accountId: accounts.id,
      accountName: accounts.name,
    })
    .from(surveyResponses)
    .innerJoin(accounts, eq(accounts.id, surveyResponses.accountId))
    .where(and(eq(surveyResponses.contactId, contact.id), isNull(accounts.archivedAt), visibleAccount(ctx.viewer, accounts.id, accounts.typeId)))
    .orderBy(desc(surveyResponses.respondedAt))
    .limit(limit);
}

export type ContactTouchpoint = {
  id: string;
  type: string;
  subject: string;
  occurredAt: Date;
  authorName: string | null;
  accountId: string;
  accountName: string;
};

/**
 * Touchpoints the contact took part in, on accounts the viewer may see (a touchpoint can sit on an
 * account the contact is not linked to, so visibility is checked on the touchpoint's own account).
 */
export async function contactTouchpoints(ctx: Ctx, contact: ContactProfile, limit = 20): Promise<{ touchpoints: ContactTouchpoint[]; total: number }> {
  const where = and(
    eq(touchpointParticipants.contactId, contact.id),
    isNull(accounts.archivedAt),
    visibleAccount(ctx.viewer, accounts.id, accounts.typeId),
  );
  const [rows, [{ total }]] = await Promise.all([
    ctx.db
      .selectDistinctOn([touchpoints.occurredAt, touchpoints.id], {
        id: touchpoints.id,
        type: touchpoints.type,
        subject: touchpoints.subject,
        occurredAt: touchpoints.occurredAt,
        authorName: users.name,
        accountId: accounts.id,
        accountName: accounts.name,
      })
      .from(touchpointParticipants)
      .innerJoin(touchpoints, eq(touchpoints.id, touchpointParticipants.touchpointId))
      .innerJoin(accounts, eq(accounts.id, touchpoints.accountId))
      .leftJoin(users, eq(users.id, touchpoints.authorId))
      .where(where)
      .orderBy(desc(touchpoints.occurredAt), desc(touchpoints.id))
      .limit(limit),
    ctx.db
      .select({ total: sql<number>`count(distinct ${touchpoints.id})::int` })
      .from(touchpointParticipants)
      .innerJoin(touchpoints, eq(touchpoints.id, touchpointParticipants.touchpointId))
      .innerJoin(accounts, eq(accounts.id, touchpoints.accountId))
      .where(where),
  ]);
  return { touchpoints: rows, total: Number(total) };
}

export type AccountContact = { id: string; name: string; title: string | null; email: string | null; role: string; isKey: boolean };

/** Contacts linked to the account with their role here, key contacts first. */
export async function contactsOfAccount(ctx: Ctx, account: AccountSummary, limit = 50): Promise<{ contacts: AccountContact[]; total: number }> {
  const where = eq(accountContacts.accountId, account.id);
  const [rows, [{ total }]] = await Promise.all([
    ctx.db
      .select({
        id: contacts.id,
        name: contacts.name,
        title: contacts.title,
        email: contacts.email,
        role: accountContacts.role,
        isKey: accountContacts.isKey,
      })
      .from(accountContacts)
      .innerJoin(contacts, eq(contacts.id, accountContacts.contactId))
      .where(where)
      .orderBy(desc(accountContacts.isKey), asc(contacts.name))
      .limit(limit),
    ctx.db.select({ total: sql<number>`count(*)::int` }).from(accountContacts).where(where),
  ]);
  return { contacts: rows, total: Number(total) };
}

export type ContactOption = { id: string; name: string; role: string; isKey: boolean };

/** Contacts linked to the account, key contacts first. */
export async function contactOptions(ctx: Ctx, account: AccountSummary, limit = 200): Promise<ContactOption[]> {
  return ctx.db
    .select({ id: contacts.id, name: contacts.name, role: accountContacts.role, isKey: accountContacts.isKey })
    .from(accountContacts)
    .innerJoin(contacts, eq(contacts.id, accountContacts.contactId))
    .where(eq(accountContacts.accountId, account.id))
    .orderBy(sql`${accountContacts.isKey} desc`, asc(contacts.name))
    .limit(limit);
}

export type ContactMatch = { id: string; name: string; email: string | null; title: string | null; accounts: string[] };

/**
 * Contacts linked to at least one account the viewer can see whose name or email contains `q`
 * (without regard to case), with the names of those accounts; `excludeAccountId` leaves out the
 * contacts already linked to that account.
 */
export async function searchContacts(ctx: Ctx, q: string, options: { excludeAccountId?: string; excludeContactId?: string; limit?: number } = {}): Promise<ContactMatch[]> {
  const words = q.trim();
  if (!words) return [];
  const pattern = `%${words.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  const { rows } = await laggingDb(ctx).execute<{ id: string; name: string; email: string | null; title: string | null; accounts: string[] | string }>(sql`
    select c.id, c.name, c.email, c.title, array_agg(a.name order by a.depth, a.name) as accounts
    from contacts c
    join account_contacts l on l.contact_id = c.id
    join accounts a on a.id = l.account_id and a.archived_at is null and ${visibleAccount(ctx.viewer, sql`a.id`, sql`a.type_id`)}
    where (c.name ilike ${pattern} or c.email ilike ${pattern})
      ${options.excludeAccountId ? sql`and not exists (select 1 from account_contacts x where x.contact_id = c.id and x.account_id = ${options.excludeAccountId})` : sql``}
      ${options.excludeContactId ? sql`and c.id <> ${options.excludeContactId}` : sql``}
    group by c.id
    order by c.name, c.id
    limit ${options.limit ?? 20}`);
  return rows.map((r) => ({ ...r, accounts: Array.isArray(r.accounts) ? r.accounts : parsePgArray(r.accounts) }));
}

/** A text[] as Postgres writes it when a driver does not parse it ({a,"b c"}). */
function parsePgArray(text: string): string[] {
  const inner = text.replace(/^\{|\}$/g, "");
  if (!inner) return [];
  return [...inner.matchAll(/"((?:[^"\\]|\\.)*)"|([^,]+)/g)].map((m) => (m[1] !== undefined ? m[1].replace(/\\(.)/g, "$1") : m[2]));
}
