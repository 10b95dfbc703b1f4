/**
 * The authorization matrix for SERVER ACTIONS (pages and API routes: test/e2e/authorization-matrix
 * .test.ts). Generated: every server action found in app/**\/actions.ts (test/support/server-actions
 * .ts) × every demo role (admin, member = csm, leadership, viewer, signed out) × accounts: one in
 * the csm's scope (an EMEA product Casey is assigned to), one out of it (an Americas product, in
 * the viewer's scope) and an EMEA opportunity (hidden from the viewer's team) — plus a privileged
 * attribute edit and read. Each case runs the real action (runAction with a real viewer, on a
 * real database) and checks:
 *   - allowed → ok, and it wrote;
 *   - refused → not ok, and NOTHING changed (a fingerprint of the written tables);
 *   - refused because the account is out of scope → the answer is exactly the answer for an id
 *     that does not exist (0 leaks).
 *
 * Who may run an action is read from the permissions table (lib/auth/permissions.ts): each entry
 * names the capability its action checks, and the roles the table grants it are expected to
 * succeed, all others to be refused. Take a capability from a role in the table and both the app
 * and these expectations refuse it.
 *
 * A new action without an entry in EXPECTATIONS fails the first test: add an entry naming its
 * capability and how to build a valid payload for an account.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import { runAction, type ActionResult } from "@/lib/actions/define";
import { addObjective, NEW_PLAN } from "@/lib/activity/objectives";
import { requestInformation } from "@/lib/activity/requests";
import { QUICK_ACTION_CAPABILITY, QUICK_ACTIONS, quickActionsFor } from "@/lib/activity/permissions";
import { createTask } from "@/lib/activity/tasks";
import { todayIso } from "@/lib/days";
import type { Capability } from "@/lib/auth/permissions";
import { findAccount, type AccountSummary } from "@/lib/dal/accounts";
import { attributesOf } from "@/lib/dal/attributes";
import { archiveAccount, createAccount } from "@/lib/hierarchy/accounts";
import { layoutActions } from "@/lib/layouts/actions";
import { loadViewer, type Ctx } from "@/lib/dal/viewer";
import { drivers, openSeededDatabase } from "./support/databases";
import { EMAIL, ROLES, roleHas, TABLE_ROLE, type RoleKey } from "./support/roles";
import { discoverServerActions, OTHER_SERVER_ACTIONS, type AnyDefinition, type DiscoveredAction } from "./support/server-actions";

type Seeded = Awaited<ReturnType<typeof openSeededDatabase>>;
/** A: Casey's assigned EMEA product; B: an Americas product; O: an EMEA opportunity. */
type AccountKey = "A" | "B" | "O";
const MISSING = "00000000-0000-4000-8000-00000000beef";

type Fixture = {
  db: Seeded["db"];
  admin: Ctx;
  ids: Record<string, string>;
  account: Record<AccountKey, AccountSummary>;
  seq: () => number;
};

/**
 * One entry per action (keyed by the definition's `name`).
 * - `accounts`: the action acts on an account: run it on A, B and O. Without it, run once.
 * - `capability`: what the action checks in the permissions table; the roles holding it may run it
 *   (visibility is added by the matrix: an account the role cannot see is always refused).
 * - `accountRule`: a further rule on the account that the table cannot state alone (privileged
 *   attributes: "privileged.readAll" or being assigned to the account), and'ed with the capability.
 * - `payload`: a valid input for the account; `missing` the same input naming nothing that exists.
 */
type Expectation = {
  accounts: boolean;
  capability: Capability;
  accountRule?: (role: RoleKey, account: AccountKey | null) => boolean;
  payload: (f: Fixture, accountId: string) => Promise<Record<string, unknown>>;
  missing?: (payload: Record<string, unknown>) => Record<string, unknown>;
};

const withMissingAccount = (p: Record<string, unknown>) => ({ ...p, accountId: MISSING });

async function attributeFor(f: Fixture, accountId: string, privileged: boolean) {
  const { rows } = await f.db.execute<{ id: string; version: number | null }>(sql`
    select d.id, v.version from accounts a join attribute_definitions d on d.account_type_id = a.type_id
    left join attribute_values v on v.account_id = a.id and v.attribute_id = d.id
    where a.id = ${accountId} and d.privileged = ${privileged} and d.deleted_at is null and d.rollup_rule = 'none'
      and d.data_type = ${privileged ? "number" : "text"}
    order by d.position limit 1`);
  return rows[0];
}

/**
 * A new opportunity under the fixture account (or, for an opportunity, under its product), made as
 * the admin, with a sibling product of that product to move it to: both as visible as the account.
 */
async function freshOpportunity(f: Fixture, accountId: string): Promise<{ id: string; parentId: string; siblingId: string }> {
  const { rows } = await f.db.execute<{ product: string; sibling: string }>(sql`
    select p.id as product, (select s.id from accounts s where s.parent_id = p.parent_id and s.id <> p.id and s.type_id = p.type_id
      and s.archived_at is null order by s.name limit 1) as sibling
    from accounts a join account_types t on t.id = a.type_id
    join accounts p on p.id = case when t.is_opportunity then a.parent_id else a.id end
    where a.id = ${accountId}`);
  const { product, sibling } = rows[0];
  const created = await f.db.transaction((tx) => createAccount({ db: tx, viewer: f.admin.viewer }, { name: `Matrix deal ${f.seq()}`, typeKey: "opportunity", parentId: product }));
  return { id: created.id, parentId: product, siblingId: sibling };
}

/** A new active user for every case, so no assignment is already held. */
async function unassignedUser(f: Fixture): Promise<string> {
  const { rows } = await f.db.execute<{ id: string }>(sql`insert into users (email, name, role) values (${`matrix.assignee.${f.seq()}@demo.test`}, 'Matrix Assignee', 'member') returning id`);
  return rows[0].id;
}

/** A SuccessPlay of its own with one step, written directly (not through the actions under test). */
async function freshPlaybook(f: Fixture): Promise<{ playbookId: string; stepId: string }> {
  const playbookId = (await one(f, sql`insert into playbooks (name) values (${`Matrix play ${f.seq()}`}) returning id`)).id;
  const stepId = (await one(f, sql`insert into playbook_steps (playbook_id, title, offset_days, position) values (${playbookId}, 'Matrix step', 2, 0) returning id`)).id;
  return { playbookId, stepId };
}

async function freshCollection(f: Fixture): Promise<string> {
  return (await one(f, sql`insert into collections (key, name, columns) values (${`matrix_c${f.seq()}`}, 'Matrix collection', '[{"key":"name","label":"Name","type":"text"}]'::jsonb) returning id`)).id;
}

async function freshAccountGroup(f: Fixture): Promise<string> {
  return (await one(f, sql`insert into account_groups (name) values (${`Matrix group ${f.seq()}`}) returning id`)).id;
}

async function one(f: Fixture, query: ReturnType<typeof sql>): Promise<{ id: string }> {
  const { rows } = await f.db.execute<{ id: string }>(query);
  return rows[0];
}

async function stageId(f: Fixture, key: string): Promise<string> {
  return (await one(f, sql`select s.id from lifecycle_stages s join lifecycles l on l.id = s.lifecycle_id where l.key = 'onboarding' and s.key = ${key}`)).id;
}

/** A new contact linked to each account (made directly: the payloads must not depend on the action tested). */
async function contactOn(f: Fixture, ...accountIds: string[]): Promise<string> {
  const n = f.seq();
  const { rows } = await f.db.execute<{ id: string }>(sql`insert into contacts (name, email) values (${`Matrix Contact ${n}`}, ${`matrix.contact.${n}@customer.test`}) returning id`);
  for (const accountId of accountIds) await f.db.execute(sql`insert into account_contacts (account_id, contact_id, role) values (${accountId}, ${rows[0].id}, 'User')`);
  return rows[0].id;
}

/** A new unpublished copy of a published layout (valid, so it can be published), made as the admin. */
async function draftLayout(f: Fixture): Promise<string> {
  const copy = await runAction(layoutActions.duplicate, { id: f.ids.publishedLayout }, f.admin);
  if (!copy.ok) throw new Error(`could not copy a layout: ${copy.error}`);
  return copy.data.id;
}

/** A copy published once (version 1), made as the admin. */
async function publishedCopy(f: Fixture): Promise<string> {
  const id = await draftLayout(f);
  const published = await runAction(layoutActions.publish, { id }, f.admin);
  if (!published.ok) throw new Error(`could not publish a layout: ${published.error}`);
  return id;
}

/** A fresh webhook endpoint (issue 17), for the webhook actions' payloads. */
async function webhookEndpoint(f: Fixture): Promise<string> {
  const { rows } = await f.db.execute<{ id: string }>(sql`insert into webhook_endpoints (url, event_types, secret)
    values (${`https://93.184.216.34/matrix-${f.seq()}`}, array['account.created'], 'whsec_matrix') returning id`);
  return rows[0].id;
}

/** The product type's stored health scheme, as the admin form sends it. */
async function healthSchemePayload(f: Fixture): Promise<{ accountTypeId: string; definition: string }> {
  const { rows } = await f.db.execute<{ definition: unknown }>(
    sql`select v.definition from health_scheme_versions v join health_schemes s on s.id = v.scheme_id and v.version = s.version where s.account_type_id = ${f.ids.productType}`,
  );
  return { accountTypeId: f.ids.productType, definition: JSON.stringify(rows[0].definition) };
}

const EXPECTATIONS: Record<string, Expectation> = {
  logTouchpoint: { accounts: true, capability: "touchpoint.log", payload: async (f, accountId) => ({ accountId, type: "note", subject: `Matrix ${f.seq()}`, date: todayIso() }) },
  createTask: { accounts: true, capability: "task.create", payload: async (f, accountId) => ({ accountId, title: `Matrix task ${f.seq()}`, priority: "low" }) },
  setTaskStatus: {
    accounts: true,
    // A task the admin created: only "task.work" applies ("task.workOwn" is for one's own tasks).
    capability: "task.work",
    payload: async (f, accountId) => {
      const r = await runAction(createTask, { accountId, title: `Matrix status ${f.seq()}`, priority: "low" }, f.admin);
      return { taskId: (r as { data: { id: string } }).data.id, status: "done" };
    },
    missing: (p) => ({ ...p, taskId: MISSING }),
  },
  addObjective: { accounts: true, capability: "objective.add", payload: async (f, accountId) => ({ accountId, planId: NEW_PLAN, planName: `Plan ${f.seq()}`, title: "Grow adoption" }) },
  applyPlaybook: {
    accounts: true,
    capability: "successplay.apply",
    payload: async (f, accountId) => ({ accountId, playbookId: f.ids.playbook }),
  },
  requestInformation: {
    accounts: true,
    capability: "request.send",
    payload: async (f, accountId) => ({ accountId, to: `user:${f.ids.adminUser}`, question: `Matrix question ${f.seq()}?` }),
  },
  // Put to the admin, so only the capability lets anyone else answer.
  answerRequest: {
    accounts: true,
    capability: "request.answer",
    payload: async (f, accountId) => {
      const r = await runAction(requestInformation, { accountId, to: `user:${f.ids.adminUser}`, question: `To answer ${f.seq()}?` }, f.admin);
      return { requestId: (r as { data: { id: string } }).data.id, answer: "Yes." };
    },
    missing: (p) => ({ ...p, requestId: MISSING }),
  },
  addLinkAsset: { accounts: true, capability: "asset.add", payload: async (f, accountId) => ({ accountId, name: `Link ${f.seq()}`, url: "https://example.com/doc" }) },
  editAttribute: {
    accounts: true,
    capability: "attribute.edit",
    payload: async (f, accountId) => {
      const attribute = await attributeFor(f, accountId, false);
      return { accountId, attributeId: attribute.id, version: String(attribute.version ?? 0), value: `Matrix ${f.seq()}` };
    },
  },
  saveCompanyProfile: { accounts: true, capability: "attribute.edit", payload: async (_f, accountId) => ({ accountId }) },
  addTag: { accounts: true, capability: "attribute.edit", payload: async (f, accountId) => ({ accountId, name: `matrix-${f.seq()}` }) },
  removeTag: {
    accounts: true,
    capability: "attribute.edit",
    payload: async (f, accountId) => {
      const { rows } = await f.db.execute<{ id: string }>(sql`insert into tags (name) values (${`matrix-rm-${f.seq()}`}) returning id`);
      await f.db.execute(sql`insert into account_tags (account_id, tag_id) values (${accountId}, ${rows[0].id})`);
      return { accountId, tagId: rows[0].id };
    },
  },
  setAllowedParents: {
    accounts: false,
    capability: "accountTypes.manage",
    payload: async (f) => ({ typeId: f.ids.productType, parentTypeIds: [f.ids.lobType] }),
  },
  createAccountType: {
    accounts: false,
    capability: "accountTypes.manage",
    payload: async (f) => ({ key: `matrix_${f.seq()}`, name: "Matrix", pluralName: "Matrices", level: "4", assetLimitMb: "10", parentTypeIds: [f.ids.productType] }),
  },
  updateAccountType: { accounts: false, capability: "accountTypes.manage", payload: async (f) => ({ typeId: f.ids.productType, name: "Product", pluralName: `Products ${f.seq()}`, assetLimitMb: "20" }) },
  deleteAccountType: {
    accounts: false,
    capability: "accountTypes.manage",
    payload: async (f) => ({ typeId: (await one(f, sql`insert into account_types (key, name, plural_name, level) values (${`unused_${f.seq()}`}, ${`Unused ${f.seq()}`}, 'Unused', 4) returning id`)).id }),
  },
  // The data model (issue 15): admins only ("dataModel.manage").
  updateUsageModule: {
    accounts: false,
    capability: "dataModel.manage",
    payload: async (f) => ({ moduleId: (await one(f, sql`select id from usage_modules order by key limit 1`)).id, name: `Module ${f.seq()}`, position: "0" }),
  },
  updateUsageActivity: {
    accounts: false,
    capability: "dataModel.manage",
    payload: async (f) => ({ activityId: (await one(f, sql`select id from usage_activities order by key limit 1`)).id, name: `Activity ${f.seq()}` }),
  },
  moveUsageActivity: {
    accounts: false,
    capability: "dataModel.manage",
    payload: async (f) => {
      const m = await one(f, sql`insert into usage_modules (key, name) values (${`matrix_${f.seq()}`}, 'Matrix') returning id`);
      const a = await one(f, sql`insert into usage_activities (module_id, key, name) values (${m.id}, 'moved', 'Moved') returning id`);
      const target = await one(f, sql`insert into usage_modules (key, name) values (${`matrix_${f.seq()}`}, 'Matrix target') returning id`);
      return { activityId: a.id, moduleId: target.id };
    },
  },
  mergeUsageActivities: {
    accounts: false,
    capability: "dataModel.manage",
    payload: async (f) => {
      const m = await one(f, sql`insert into usage_modules (key, name) values (${`matrix_${f.seq()}`}, 'Matrix') returning id`);
      const a = await one(f, sql`insert into usage_activities (module_id, key, name) values (${m.id}, 'merged', 'Merged') returning id`);
      const b = await one(f, sql`insert into usage_activities (module_id, key, name) values (${m.id}, 'kept', 'Kept') returning id`);
      return { activityId: a.id, keptId: b.id };
    },
  },
  createAttribute: {
    accounts: false,
    capability: "dataModel.manage",
    payload: async (f) => ({ accountTypeId: f.ids.productType, key: `matrix_${f.seq()}`, label: "Matrix", dataType: "text", position: "50", rollupRule: "none" }),
  },
  updateAttribute: {
    accounts: false,
    capability: "dataModel.manage",
    payload: async (f) => {
      const d = await one(f, sql`select id from attribute_definitions where account_type_id = ${f.ids.productType} and key = 'website'`);
      return { attributeId: d.id, label: `Website ${f.seq()}`, dataType: "url", position: "9", rollupRule: "none" };
    },
  },
  archiveAttribute: {
    accounts: false,
    capability: "dataModel.manage",
    payload: async (f) => ({
      attributeId: (await one(f, sql`insert into attribute_definitions (account_type_id, key, label, data_type) values (${f.ids.productType}, ${`doomed_${f.seq()}`}, 'Doomed', 'text') returning id`)).id,
    }),
  },
  restoreAttribute: {
    accounts: false,
    capability: "dataModel.manage",
    payload: async (f) => ({
      attributeId: (await one(f, sql`insert into attribute_definitions (account_type_id, key, label, data_type, deleted_at) values (${f.ids.productType}, ${`archived_${f.seq()}`}, 'Archived', 'text', now()) returning id`)).id,
    }),
  },
  createFieldGroup: { accounts: false, capability: "dataModel.manage", payload: async (f) => ({ accountTypeId: f.ids.productType, name: `Matrix group ${f.seq()}`, position: "9" }) },
  updateFieldGroup: {
    accounts: false,
    capability: "dataModel.manage",
    payload: async (f) => ({ groupId: (await one(f, sql`select id from field_groups where account_type_id = ${f.ids.productType} order by position limit 1`)).id, name: `Group ${f.seq()}`, position: "0", featured: "on" }),
  },
  createLifecycle: { accounts: false, capability: "dataModel.manage", payload: async (f) => ({ key: `matrix_${f.seq()}`, name: "Matrix lifecycle" }) },
  renameLifecycle: { accounts: false, capability: "dataModel.manage", payload: async (f) => ({ lifecycleId: (await one(f, sql`select id from lifecycles where key = 'onboarding'`)).id, name: `Onboarding ${f.seq()}` }) },
  addLifecycleStage: { accounts: false, capability: "dataModel.manage", payload: async (f) => ({ lifecycleId: (await one(f, sql`select id from lifecycles where key = 'onboarding'`)).id, key: `matrix_${f.seq()}`, name: "Matrix stage" }) },
  renameLifecycleStage: { accounts: false, capability: "dataModel.manage", payload: async (f) => ({ stageId: await stageId(f, "kickoff"), name: `Kickoff ${f.seq()}` }) },
  moveLifecycleStage: { accounts: false, capability: "dataModel.manage", payload: async (f) => ({ stageId: await stageId(f, "training"), direction: "up" }) },
  archiveLifecycleStage: { accounts: false, capability: "dataModel.manage", payload: async (f) => ({ stageId: await stageId(f, "configuration"), archived: "true" }) },
  // SuccessPlays (issue 15): each case works on a fresh SuccessPlay with one step, so the seeded one stays for applyPlaybook.
  createPlaybook: { accounts: false, capability: "dataModel.manage", payload: async (f) => ({ name: `Matrix play ${f.seq()}`, description: "From the matrix" }) },
  updatePlaybook: { accounts: false, capability: "dataModel.manage", payload: async (f) => ({ playbookId: (await freshPlaybook(f)).playbookId, name: `Matrix play ${f.seq()}`, description: "" }) },
  deletePlaybook: { accounts: false, capability: "dataModel.manage", payload: async (f) => ({ playbookId: (await freshPlaybook(f)).playbookId }) },
  addPlaybookStep: { accounts: false, capability: "dataModel.manage", payload: async (f) => ({ playbookId: (await freshPlaybook(f)).playbookId, title: "Matrix step", offsetDays: "3", priority: "high" }) },
  updatePlaybookStep: { accounts: false, capability: "dataModel.manage", payload: async (f) => ({ stepId: (await freshPlaybook(f)).stepId, title: "Matrix step, renamed", offsetDays: "5", priority: "low" }) },
  removePlaybookStep: { accounts: false, capability: "dataModel.manage", payload: async (f) => ({ stepId: (await freshPlaybook(f)).stepId }) },
  movePlaybookStep: { accounts: false, capability: "dataModel.manage", payload: async (f) => ({ stepId: (await freshPlaybook(f)).stepId, direction: "down" }) },
  // Collections and account groups (issue 15): fresh ones, empty, so deleting them is allowed.
  createCollection: { accounts: false, capability: "dataModel.manage", payload: async (f) => ({ key: `matrix_${f.seq()}`, name: "Matrix collection", accountTypeId: f.ids.productType, columns: "name | Name | text\nvalue | Value | currency" }) },
  updateCollection: { accounts: false, capability: "dataModel.manage", payload: async (f) => ({ collectionId: await freshCollection(f), name: `Matrix collection ${f.seq()}`, accountTypeId: "", columns: "name | Name | text\nends | Ends | date" }) },
  deleteCollection: { accounts: false, capability: "dataModel.manage", payload: async (f) => ({ collectionId: await freshCollection(f) }) },
  createAccountGroup: { accounts: false, capability: "dataModel.manage", payload: async (f) => ({ name: `Matrix group ${f.seq()}` }) },
  renameAccountGroup: { accounts: false, capability: "dataModel.manage", payload: async (f) => ({ groupId: await freshAccountGroup(f), name: `Matrix group ${f.seq()}` }) },
  deleteAccountGroup: { accounts: false, capability: "dataModel.manage", payload: async (f) => ({ groupId: await freshAccountGroup(f) }) },
  createUser: { accounts: false, capability: "users.manage", payload: async (f) => ({ email: `matrix.${f.seq()}@demo.test`, name: "Matrix User", role: "viewer" }) },
  updateUser: {
    accounts: false,
    capability: "users.manage",
    payload: async (f) => ({ userId: f.ids.graceUser, name: `Grace Kim ${f.seq()}`, role: "member", teamIds: [f.ids.americasTeam] }),
  },
  // Invitations, password links, SSO domain rules (issue 15): admins only; everyone changes their own password.
  resetPassword: { accounts: false, capability: "users.manage", payload: async (f) => ({ userId: f.ids.graceUser }) },
  saveSsoDomainRule: { accounts: false, capability: "users.manage", payload: async (f) => ({ domain: `matrix${f.seq()}.example`, role: "viewer", teamId: f.ids.apacTeam }) },
  deleteSsoDomainRule: {
    accounts: false,
    capability: "users.manage",
    payload: async (f) => {
      const { rows } = await f.db.execute<{ id: string }>(sql`insert into sso_domain_rules (domain, role) values (${`doomed${f.seq()}.example`}, 'member') returning id`);
      return { ruleId: rows[0].id };
    },
  },
  changeOwnPassword: {
    accounts: false,
    capability: "password.changeOwn",
    payload: async (f) => {
      const password = `matrix password ${f.seq()}`;
      return { current: "demo", password, confirm: password };
    },
  },
  createTeam: { accounts: false, capability: "teams.manage", payload: async (f) => ({ key: `matrix-${f.seq()}`, name: "Matrix team", rootIds: [f.ids.apacRegion] }) },
  updateTeam: { accounts: false, capability: "teams.manage", payload: async (f) => ({ teamId: f.ids.apacTeam, name: `APAC ${f.seq()}`, rootIds: [f.ids.apacRegion] }) },
  deleteTeam: {
    accounts: false,
    capability: "teams.manage",
    payload: async (f) => {
      const { rows } = await f.db.execute<{ id: string }>(sql`insert into teams (key, name) values (${`doomed-${f.seq()}`}, 'Doomed') returning id`);
      return { teamId: rows[0].id };
    },
  },
  // Profile links (issue 8): every role has "share.create" on an account it may open (it writes nothing).
  createShareLink: { accounts: true, capability: "share.create", payload: async (_f, accountId) => ({ accountId }) },
  // API tokens and CSV import (issue 8).
  createApiToken: { accounts: false, capability: "apiTokens.manage", payload: async (f) => ({ name: `Matrix feed ${f.seq()}`, scopes: ["usage:write"] }) },
  revokeApiToken: {
    accounts: false,
    capability: "apiTokens.manage",
    payload: async (f) => {
      const { rows } = await f.db.execute<{ id: string }>(sql`insert into api_tokens (name, prefix, token_hash, scopes, created_by)
        values (${`Matrix ${f.seq()}`}, 'c360_matrix', ${`hash-${f.seq()}-${Date.now()}`}, array['usage:write'], ${f.ids.adminUser}) returning id`);
      return { tokenId: rows[0].id };
    },
  },
  importCsvRows: {
    accounts: false,
    capability: "import.run",
    payload: async (f) => ({ kind: "contacts", rows: JSON.stringify([{ line: 2, values: { externalId: `matrix-contact-${f.seq()}`, name: "Matrix Contact" } }]) }),
  },
  // Assignments (issue 15): "assignments.manage" (admins and members) on a visible account.
  assignUser: {
    accounts: true,
    capability: "assignments.manage",
    payload: async (f, accountId) => ({ accountId, userId: await unassignedUser(f), role: "SE" }),
  },
  unassignUser: {
    accounts: true,
    capability: "assignments.manage",
    payload: async (f, accountId) => {
      const userId = await unassignedUser(f);
      await f.db.execute(sql`insert into assignments (account_id, user_id, role) values (${accountId}, ${userId}, 'SE')`);
      return { accountId, userId, role: "SE" };
    },
  },
  bulkAssign: {
    accounts: true,
    capability: "assignments.manage",
    payload: async (f, accountId) => ({ accountIds: [accountId], userId: await unassignedUser(f), role: "SE" }),
    missing: (p) => ({ ...p, accountIds: [MISSING] }),
  },
  // Account management (issue 15): "accounts.edit"/"accounts.create"/"accounts.archive" for admins
  // and members, "accounts.delete" for admins, on a visible account. Each case works on a fresh
  // opportunity beside the fixture account (same visibility), so A, B and O stay as they are.
  renameAccount: {
    accounts: true,
    capability: "accounts.edit",
    payload: async (f, accountId) => ({ accountId: (await freshOpportunity(f, accountId)).id, name: `Matrix renamed ${f.seq()}` }),
  },
  moveAccount: {
    accounts: true,
    capability: "accounts.edit",
    payload: async (f, accountId) => {
      const opportunity = await freshOpportunity(f, accountId);
      return { accountId: opportunity.id, parentId: opportunity.siblingId };
    },
  },
  createSubAccount: {
    accounts: true,
    capability: "accounts.create",
    payload: async (f, accountId) => ({ parentId: (await freshOpportunity(f, accountId)).parentId, typeId: f.ids.opportunityType, name: `Matrix sub ${f.seq()}` }),
    missing: (p) => ({ ...p, parentId: MISSING }),
  },
  archiveAccount: {
    accounts: true,
    capability: "accounts.archive",
    payload: async (f, accountId) => ({ accountId: (await freshOpportunity(f, accountId)).id, confirm: "on" }),
  },
  // Restore: an opportunity beside the fixture account, archived by the admin (same visibility).
  restoreAccount: {
    accounts: true,
    capability: "accounts.archive",
    payload: async (f, accountId) => {
      const { id } = await freshOpportunity(f, accountId);
      await f.db.transaction((tx) => archiveAccount({ db: tx, viewer: f.admin.viewer }, id));
      return { accountId: id };
    },
  },
  // Merge (admins, "accounts.merge"): two fresh opportunities under the same product, one kept.
  mergeAccounts: {
    accounts: true,
    capability: "accounts.merge",
    payload: async (f, accountId) => ({ accountId: (await freshOpportunity(f, accountId)).id, mergedId: (await freshOpportunity(f, accountId)).id, confirm: "on" }),
  },
  deleteAccount: { accounts: true, capability: "accounts.delete", payload: async (f, accountId) => ({ accountId: (await freshOpportunity(f, accountId)).id }) },
  // Contacts (issue 15): "contacts.edit" (admins and members); the account and the contact (linked
  // to an account the viewer can see) are checked, out of scope answering like missing.
  createContact: { accounts: true, capability: "contacts.edit", payload: async (f, accountId) => ({ accountId, name: `Matrix contact ${f.seq()}`, role: "User", isKey: "on" }) },
  updateContact: {
    accounts: true,
    capability: "contacts.edit",
    payload: async (f, accountId) => ({ contactId: await contactOn(f, accountId), name: `Matrix renamed ${f.seq()}`, title: "CTO" }),
    missing: (p) => ({ ...p, contactId: MISSING }),
  },
  linkContact: {
    accounts: true,
    capability: "contacts.edit",
    payload: async (f, accountId) => ({ accountId, contactId: await contactOn(f, (await freshOpportunity(f, accountId)).id), role: "Champion" }),
  },
  unlinkContact: {
    accounts: true,
    capability: "contacts.edit",
    payload: async (f, accountId) => ({ accountId, contactId: await contactOn(f, accountId, (await freshOpportunity(f, accountId)).id) }),
  },
  setKeyContact: { accounts: true, capability: "contacts.edit", payload: async (f, accountId) => ({ accountId, contactId: await contactOn(f, accountId), isKey: "on" }) },
  mergeContacts: {
    accounts: true,
    capability: "contacts.edit",
    payload: async (f, accountId) => ({ contactId: await contactOn(f, accountId), duplicateId: await contactOn(f, accountId) }),
    missing: (p) => ({ ...p, contactId: MISSING, duplicateId: MISSING }),
  },
  // A read (the link and merge forms' search): it writes nothing.
  searchContacts: { accounts: false, capability: "contacts.edit", payload: async () => ({ q: "a" }) },
  // Assignment roles: admins only ("assignmentRoles.manage").
  createAssignmentRole: { accounts: false, capability: "assignmentRoles.manage", payload: async (f) => ({ name: `Matrix role ${f.seq()}`, grantsPrivileged: "on" }) },
  updateAssignmentRole: {
    accounts: false,
    capability: "assignmentRoles.manage",
    payload: async (f) => {
      const { rows } = await f.db.execute<{ id: string }>(sql`insert into assignment_roles (name) values (${`Matrix edit ${f.seq()}`}) returning id`);
      return { id: rows[0].id, name: `Matrix edited ${f.seq()}`, grantsPrivileged: "on" };
    },
  },
  deleteAssignmentRole: {
    accounts: false,
    capability: "assignmentRoles.manage",
    payload: async (f) => {
      const { rows } = await f.db.execute<{ id: string }>(sql`insert into assignment_roles (name) values (${`Matrix doomed ${f.seq()}`}) returning id`);
      return { id: rows[0].id };
    },
  },
  // The layout editor (issue 7). Layouts are made as the admin for each case.
  createLayout: { accounts: false, capability: "layouts.manage", payload: async (f) => ({ name: `Matrix layout ${f.seq()}`, accountTypeId: f.ids.productType }) },
  duplicateLayout: { accounts: false, capability: "layouts.manage", payload: async (f) => ({ id: f.ids.publishedLayout }) },
  deleteLayout: { accounts: false, capability: "layouts.manage", payload: async (f) => ({ id: await draftLayout(f) }) },
  moveLayout: { accounts: false, capability: "layouts.manage", payload: async (f) => ({ id: await draftLayout(f), direction: "up" }) },
  saveLayoutTargeting: {
    accounts: false,
    capability: "layouts.manage",
    payload: async (f) => ({ id: await draftLayout(f), name: `Matrix target ${f.seq()}`, teamId: "", priority: "50", criteria: "[]" }),
  },
  saveLayoutDraft: {
    accounts: false,
    capability: "layouts.manage",
    payload: async (f) => {
      const id = await draftLayout(f);
      const { rows } = await f.db.execute<{ definition: unknown }>(sql`select definition from layouts where id = ${id}`);
      return { id, definition: JSON.stringify(rows[0].definition) };
    },
  },
  discardLayoutDraft: {
    accounts: false,
    capability: "layouts.manage",
    payload: async (f) => {
      const id = await publishedCopy(f);
      const { rows } = await f.db.execute<{ definition: unknown }>(sql`select definition from layouts where id = ${id}`);
      await runAction(layoutActions.saveDraft, { id, definition: JSON.stringify(rows[0].definition) }, f.admin);
      return { id };
    },
  },
  publishLayout: { accounts: false, capability: "layouts.manage", payload: async (f) => ({ id: await draftLayout(f) }) },
  rollbackLayout: { accounts: false, capability: "layouts.manage", payload: async (f) => ({ id: await publishedCopy(f), version: "1" }) },
  // Working together (issue 18): follow an account one can see; one's own inbox and mail settings; task comments.
  followAccount: { accounts: true, capability: "notifications.use", payload: async (_f, accountId) => ({ accountId, includeBelow: "on" }) },
  unfollowAccount: { accounts: true, capability: "notifications.use", payload: async (_f, accountId) => ({ accountId }) },
  markNotificationRead: {
    accounts: false,
    capability: "notifications.use",
    payload: async (f) => ({ notificationId: (await one(f, sql`insert into notifications (user_id, kind, account_id, title, href) values (${f.ids.adminUser}, 'mention', ${f.account.A.id}, 'Matrix', '/') returning id`)).id }),
  },
  markAllNotificationsRead: { accounts: false, capability: "notifications.use", payload: async () => ({}) },
  saveNotificationPreferences: { accounts: false, capability: "notifications.use", payload: async (f) => ({ emailMode: f.seq() % 2 ? "digest" : "instant", digestHour: "9" }) },
  addTaskComment: {
    accounts: true,
    capability: "task.comment",
    payload: async (f, accountId) => {
      const r = await runAction(createTask, { accountId, title: `Matrix comment ${f.seq()}`, priority: "low" }, f.admin);
      return { taskId: (r as { data: { id: string } }).data.id, body: `Matrix comment ${f.seq()}` };
    },
    missing: (p) => ({ ...p, taskId: MISSING }),
  },
  // Webhooks (issue 17): admins only ("webhooks.manage"). A public IP literal needs no DNS lookup.
  createWebhookEndpoint: {
    accounts: false,
    capability: "webhooks.manage",
    payload: async (f) => ({ url: `https://93.184.216.34/matrix-${f.seq()}`, description: "Matrix", eventTypes: ["account.created", "touchpoint.logged"] }),
  },
  updateWebhookEndpoint: { accounts: false, capability: "webhooks.manage", payload: async (f) => ({ endpointId: await webhookEndpoint(f), eventTypes: ["asset.added"] }) },
  rotateWebhookSecret: { accounts: false, capability: "webhooks.manage", payload: async (f) => ({ endpointId: await webhookEndpoint(f) }) },
  setWebhookEnabled: { accounts: false, capability: "webhooks.manage", payload: async (f) => ({ endpointId: await webhookEndpoint(f), enabled: "false" }) },
  deleteWebhookEndpoint: { accounts: false, capability: "webhooks.manage", payload: async (f) => ({ endpointId: await webhookEndpoint(f) }) },
  // API rate limits (issue 17).
  setApiTokenRateLimit: {
    accounts: false,
    capability: "apiTokens.manage",
    payload: async (f) => {
      const { rows } = await f.db.execute<{ id: string }>(sql`insert into api_tokens (name, prefix, token_hash, scopes, created_by)
        values (${`Matrix limit ${f.seq()}`}, 'c360_matrix', ${`hash-limit-${f.seq()}-${Date.now()}`}, array['accounts:read'], ${f.ids.adminUser}) returning id`);
      return { tokenId: rows[0].id, rateLimitPerMinute: "120" };
    },
  },
  // Saved views (issue 18): everyone signed in saves their own; only the owner deletes one (the
  // payload's view is the admin's, so every other role is refused and nothing changes).
  saveView: { accounts: false, capability: "views.save", payload: async (f) => ({ name: `Matrix view ${f.seq()}`, query: "health=poor&sort=-mrr" }) },
  deleteView: {
    accounts: false,
    capability: "views.save",
    accountRule: (role) => role === "admin",
    payload: async (f) => ({ viewId: (await one(f, sql`insert into saved_views (owner_id, name, query) values (${f.ids.adminUser}, ${`Matrix doomed view ${f.seq()}`}, '') returning id`)).id }),
  },
  // Lifecycles, plans and success units (issue 16, lifecycle helper).
  changeStage: {
    accounts: true,
    capability: "stage.change",
    payload: async (f, accountId) => {
      const { rows } = await f.db.execute<{ id: string; lifecycle_id: string }>(sql`select s.id, s.lifecycle_id from lifecycle_stages s join lifecycles l on l.id = s.lifecycle_id
        where l.key = 'journey' and s.archived_at is null and s.id not in (select stage_id from account_stages where account_id = ${accountId || null}::uuid)
        order by s.position limit 1`);
      const stage = rows[0];
      return { accountId, lifecycleId: stage.lifecycle_id, stageId: stage.id, note: `Matrix ${f.seq()}` };
    },
  },
  linkTask: {
    accounts: true,
    capability: "plan.manage",
    payload: async (f, accountId) => {
      const objective = await freshObjective(f, accountId);
      const task = await runAction(createTask, { accountId, title: `Matrix link ${f.seq()}`, priority: "low" }, f.admin);
      return { taskId: (task as { data: { id: string } }).data.id, objectiveId: objective.id };
    },
    missing: (p) => ({ ...p, taskId: MISSING }),
  },
  setObjectiveProgress: {
    accounts: true,
    capability: "plan.manage",
    payload: async (f, accountId) => ({ objectiveId: (await freshObjective(f, accountId)).id, progress: "40" }),
    missing: (p) => ({ ...p, objectiveId: MISSING }),
  },
  setObjectiveStatus: {
    accounts: true,
    capability: "plan.manage",
    payload: async (f, accountId) => ({ objectiveId: (await freshObjective(f, accountId)).id, status: "completed" }),
    missing: (p) => ({ ...p, objectiveId: MISSING }),
  },
  setPlanStatus: {
    accounts: true,
    capability: "plan.manage",
    payload: async (f, accountId) => ({ planId: (await freshObjective(f, accountId)).planId, status: "completed" }),
    missing: (p) => ({ ...p, planId: MISSING }),
  },
  setSuccessUnitThresholds: {
    accounts: false,
    capability: "dataModel.manage",
    payload: async (f) => ({ moduleId: (await one(f, sql`select id from usage_modules order by position, key limit 1`)).id, amberMin: String(2 + (f.seq() % 3)), greenMin: "9" }),
  },
  // Health schemes (issue 16): admins only ("health.manage"). The payload keeps the stored scheme.
  previewHealthScheme: { accounts: false, capability: "health.manage", payload: async (f) => healthSchemePayload(f) },
  saveHealthScheme: { accounts: false, capability: "health.manage", payload: async (f) => healthSchemePayload(f) },
  // Working together (issue 18): handing a task to someone; like completing it, "task.work" on a task the admin created.
  reassignTask: {
    accounts: true,
    capability: "task.work",
    payload: async (f, accountId) => {
      const r = await runAction(createTask, { accountId, title: `Matrix reassign ${f.seq()}`, priority: "low" }, f.admin);
      return { taskId: (r as { data: { id: string } }).data.id, assigneeId: f.admin.viewer.userId };
    },
    missing: (p) => ({ ...p, taskId: MISSING }),
  },
};

/** A new plan with one objective on the account, made by the admin (none when the account is missing or hidden from no one). */
async function freshObjective(f: Fixture, accountId: string): Promise<{ id: string; planId: string }> {
  if (!accountId) return { id: MISSING, planId: MISSING };
  const r = await runAction(addObjective, { accountId, planId: NEW_PLAN, planName: `Matrix plan ${f.seq()}`, title: "Matrix objective" }, f.admin);
  const data = (r as { data: { id: string; plan: { id: string } } }).data;
  return { id: data.id, planId: data.plan.id };
}

/** Who sees which account in the demo data. */
const VISIBLE: Record<RoleKey, AccountKey[]> = { admin: ["A", "B", "O"], leader: ["A", "B", "O"], csm: ["A", "O"], viewer: ["B"], signedOut: [] };

let discovered: DiscoveredAction[] = [];

describe("every server action has an authorization expectation", () => {
  it("finds the actions from the file system and knows each of them", async () => {
    discovered = await discoverServerActions();
    const defined = discovered.filter((d) => d.definition).map((d) => d.definition!.name);
    expect(defined.length).toBeGreaterThanOrEqual(19);
    const unknown = defined.filter((name) => !EXPECTATIONS[name]);
    expect(unknown, `server actions without an entry in EXPECTATIONS (test/authorization-actions.test.ts): ${unknown.join(", ")}`).toEqual([]);
    const stale = Object.keys(EXPECTATIONS).filter((name) => !defined.includes(name));
    expect(stale, "EXPECTATIONS entries for actions that no longer exist").toEqual([]);
    const others = discovered.filter((d) => !d.definition).map((d) => d.exportName);
    const unlisted = others.filter((name) => !OTHER_SERVER_ACTIONS[name]);
    expect(unlisted, "server actions outside defineAction must be listed in OTHER_SERVER_ACTIONS with their test").toEqual([]);
  });
});

describe("the Quick Actions bar offers what the table grants", () => {
  it("offers each role the actions whose capability it has, and the presentation only with presentation.generate", () => {
    for (const role of ROLES) {
      if (role === "signedOut") continue;
      const viewer = { role: TABLE_ROLE[role], userId: MISSING } as Ctx["viewer"];
      expect(quickActionsFor(viewer), role).toEqual(QUICK_ACTIONS.filter((action) => roleHas(role, QUICK_ACTION_CAPABILITY[action])));
    }
    // The button is hidden from leadership and viewers; the download route still serves every role
    // that can open the account (a read: test/e2e/authorization-matrix.test.ts checks both).
    expect(QUICK_ACTION_CAPABILITY.presentation).toBe("presentation.generate");
    expect(["admin", "csm", "leader", "viewer"].filter((role) => roleHas(role as RoleKey, "presentation.generate"))).toEqual(["admin", "csm"]);
  });
});

/**
 * Installs the write log `fingerprint` reads: on every table of the public schema, a statement-level
 * trigger per kind of write (insert, update, delete) appends one row to `test_row_writes` for each
 * statement that touched at least one row (it counts the transition table). Appending, not a counter
 * updated in place, keeps each write cheap, and a write rolled back leaves no row behind, exactly like
 * the data it wrote.
 */
async function countEveryRowWrite(db: Seeded["db"]) {
  await db.execute(sql`create table test_row_writes (id bigserial primary key)`);
  await db.execute(sql.raw(`create function test_count_row_write() returns trigger language plpgsql as $$
    begin
      if tg_op = 'DELETE' then
        insert into test_row_writes select from (select 1 from old_rows limit 1) o;
      else
        insert into test_row_writes select from (select 1 from new_rows limit 1) n;
      end if;
      return null;
    end $$`));
  const { rows } = await db.execute<{ name: string }>(sql`
    select c.relname as name from pg_class c join pg_namespace n on n.oid = c.relnamespace
    where n.nspname = 'public' and c.relkind = 'r' and c.relname <> 'test_row_writes'`);
  expect(rows.length).toBeGreaterThan(50);
  for (const { name } of rows) {
    for (const [event, transition] of [["insert", "new table as new_rows"], ["update", "new table as new_rows"], ["delete", "old table as old_rows"]]) {
      await db.execute(sql.raw(`create trigger test_count_${event} after ${event} on "${name}" referencing ${transition}
        for each statement execute function test_count_row_write()`));
    }
  }
}

describe.each(drivers)("authorization matrix of server actions on %s", (driver) => {
  let seeded: Seeded;
  let fixture: Fixture;
  const ctx: Partial<Record<RoleKey, Ctx | null>> = { signedOut: null };
  let counter = 0;
  let cases = 0;
  let allowedThatWrote = 0;

  /**
   * How many rows have been written to ANY table of the schema so far: a row-level trigger on every
   * table (installed in beforeAll, on this file's own copy of the demo database) logs each insert,
   * update and delete (countEveryRowWrite). A refused action must leave it unchanged. One read per case instead of a scan
   * of every written table, and it also catches a write to a table added after this test was.
   */
  const fingerprint = async () => {
    const { rows } = await seeded.db.execute<{ n: string }>(sql`select coalesce(max(id), 0) as n from test_row_writes`);
    return String(rows[0].n);
  };
  /** Ids in an answer replaced, so the answers for two different ids can be compared. */
  const normalized = (result: ActionResult<unknown>) => JSON.stringify(result).replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, "<id>");

  beforeAll(async () => {
    seeded = await openSeededDatabase(driver);
    await countEveryRowWrite(seeded.db);
    for (const role of ROLES) {
      if (role === "signedOut") continue;
      const viewer = await loadViewer(seeded.db, seeded.demo.userIds[EMAIL[role]]);
      ctx[role] = { db: seeded.db, viewer: viewer! };
    }
    const admin = ctx.admin!;
    const one = async (q: ReturnType<typeof sql>) => (await seeded.db.execute<{ id: string }>(q)).rows[0].id;
    const a = await one(sql`select a.id from assignments s join accounts a on a.id = s.account_id join account_types t on t.id = a.type_id
      where s.user_id = ${seeded.demo.userIds["csm@demo.test"]} and t.key = 'product' order by a.name limit 1`);
    const b = await one(sql`select a.id from accounts a join account_types t on t.id = a.type_id join account_closure c on c.descendant_id = a.id
      where c.ancestor_id = ${seeded.demo.americasRegionId} and t.key = 'product' order by a.name limit 1`);
    fixture = {
      db: seeded.db,
      admin,
      seq: () => ++counter,
      account: { A: (await findAccount(admin, a))!, B: (await findAccount(admin, b))!, O: (await findAccount(admin, seeded.demo.opportunityId))! },
      ids: {
        adminUser: seeded.demo.userIds["admin@demo.test"],
        graceUser: seeded.demo.userIds["grace.kim@demo.test"],
        playbook: await one(sql`select id from playbooks order by name limit 1`),
        productType: await one(sql`select id from account_types where key = 'product'`),
        opportunityType: await one(sql`select id from account_types where key = 'opportunity'`),
        lobType: await one(sql`select id from account_types where key = 'line_of_business'`),
        americasTeam: await one(sql`select id from teams where key = 'americas'`),
        apacTeam: await one(sql`select id from teams where key = 'apac'`),
        apacRegion: seeded.demo.apacRegionId,
        publishedLayout: await one(sql`select l.id from layouts l join account_types t on t.id = l.account_type_id
          where t.key = 'product' and l.status = 'published' order by l.priority, l.id limit 1`),
      },
    };
    // The demo's visibility is what the matrix assumes.
    for (const role of ROLES) {
      if (role === "signedOut") continue;
      for (const key of ["A", "B", "O"] as AccountKey[]) {
        expect(Boolean(await findAccount(ctx[role]!, fixture.account[key].id)), `${role} sees ${key}`).toBe(VISIBLE[role].includes(key));
      }
    }
  });
  afterAll(async () => {
    console.log(`[authorization matrix] ${driver}: ${cases} server-action cases, 0 leaks`);
    await seeded?.close();
  });

  async function check(name: string, definition: AnyDefinition, role: RoleKey, account: AccountKey | null) {
    const expectation = EXPECTATIONS[name];
    const accountId = account ? fixture.account[account].id : "";
    const visible = account === null ? role !== "signedOut" : VISIBLE[role].includes(account);
    const allowed = visible && role !== "signedOut" && roleHas(role, expectation.capability) && (expectation.accountRule?.(role, account) ?? true);
    const payload = await expectation.payload(fixture, accountId);
    const before = await fingerprint();
    const result = await runAction(definition, payload, ctx[role] ?? null);
    const label = `${name} as ${role}${account ? ` on ${account}` : ""}: ${JSON.stringify(result).slice(0, 300)}`;
    cases++;
    if (allowed) {
      expect(result.ok, label).toBe(true);
      if ((await fingerprint()) !== before) allowedThatWrote++;
      return;
    }
    expect(result.ok, label).toBe(false);
    expect(await fingerprint(), `${label} changed rows`).toBe(before);
    if (account && !visible) {
      // Out of scope answers exactly like an id that does not exist.
      const ghost = await runAction(definition, (expectation.missing ?? withMissingAccount)(payload), ctx[role] ?? null);
      expect(normalized(result), `${label} differs from the answer for a missing id`).toBe(normalized(ghost));
      expect(JSON.stringify(result)).not.toContain(fixture.account[account].name);
    }
  }

  // Some 300 cases, each with a fingerprint of the written tables: more than the default timeout on a busy machine.
  it("allows and refuses every action for every role and account as expected, with 0 leaks", async () => {
    if (!discovered.length) discovered = await discoverServerActions();
    for (const { definition } of discovered) {
      if (!definition) continue;
      const expectation = EXPECTATIONS[definition.name];
      expect(expectation, `no expectation for ${definition.name}`).toBeTruthy();
      for (const role of ROLES) {
        if (!expectation.accounts) await check(definition.name, definition, role, null);
        else for (const account of ["A", "B", "O"] as AccountKey[]) await check(definition.name, definition, role, account);
      }
    }
    // Privileged attributes: editable (with "attribute.edit") by roles with "privileged.readAll" and by
    // the people assigned to the account only (Casey, on A).
    const privileged: Expectation = {
      accounts: true,
      capability: "attribute.edit",
      accountRule: (role, account) => roleHas(role, "privileged.readAll") || (role === "csm" && account === "A"),
      payload: async (f, accountId) => {
        const attribute = await attributeFor(f, accountId, true);
        return { accountId, attributeId: attribute?.id ?? MISSING, version: String(attribute?.version ?? 0), value: String(f.seq() % 30) };
      },
    };
    EXPECTATIONS["editAttribute (privileged)"] = privileged;
    const editAttribute = discovered.find((d) => d.definition?.name === "editAttribute")!.definition!;
    for (const role of ROLES) for (const account of ["A", "B"] as AccountKey[]) await check("editAttribute (privileged)", editAttribute, role, account);
    delete EXPECTATIONS["editAttribute (privileged)"];
    // The counter sees writes: most allowed cases are real writes (a few, such as marking read
    // what is already read, change nothing).
    expect(allowedThatWrote).toBeGreaterThan(50);
    // Hundreds of cases, each a real write and a fingerprint of the written tables: it grows with every action.
  }, 600_000);

  it("shows privileged attributes only to admins and to the people assigned to the account", async () => {
    for (const role of ["admin", "csm", "leader", "viewer"] as const) {
      for (const key of VISIBLE[role]) {
        const attributes = await attributesOf(ctx[role]!, fixture.account[key]);
        const seesPrivileged = attributes.some((a) => a.privileged);
        cases++;
        // Opportunities have no privileged attribute in the demo.
        const expected = key !== "O" && (roleHas(role, "privileged.readAll") || (role === "csm" && key === "A"));
        expect(seesPrivileged, `${role} on ${key}`).toBe(expected);
      }
    }
  });
});
