/**
 * The authorization matrix for PAGES and API ROUTES, over HTTP against the production build
 * (server actions: test/authorization-actions.test.ts). Generated from the file system: every
 * app/**\/page.tsx and every method exported by app/api/**\/route.ts × every demo role (admin,
 * member = csm, leadership, viewer, signed out) × the route's targets: an account in the csm's
 * scope (A, an EMEA product Casey is assigned to), one out of it (B, an Americas product, the
 * viewer's scope), an EMEA opportunity (O, hidden from the viewer's team), and an id that does not
 * exist. Also contacts and files of A and B, and the privileged attribute "Discount (%)".
 *
 * For every case: the expected status; allowed → the target's name is in the answer; refused
 * because out of scope → the SAME status as the missing id and the name nowhere in the body.
 * Who may is read from the permissions table (lib/auth/permissions.ts): an entry names the
 * capabilities its page or route checks, and the roles the table grants them get the allowed
 * answer, all others the refused one.
 *
 * A route without an entry in PAGES or API fails the first test: add one when you add a route.
 *
 * Then a crawl for scoped viewers and rollups: a user whose team sees only accounts with
 * segment = Enterprise opens every page of parents that have out-of-scope accounts below, and no
 * out-of-scope account's name may appear anywhere (totals may include them; see the README).
 */
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import pg from "pg";
import type { Capability } from "@/lib/auth/permissions";
import { EMAIL, ROLES, roleHas, type RoleKey } from "../support/roles";
import { discoverRoutes, sessionCookie } from "../support/routes";

const baseURL = inject("baseURL");
type Target = "A" | "B" | "O" | "missing";
const MISSING = "00000000-0000-4000-8000-00000000beef";
const VISIBLE: Record<RoleKey, Target[]> = { admin: ["A", "B", "O"], leader: ["A", "B", "O"], csm: ["A", "O"], viewer: ["B"], signedOut: [] };

/** What an `[id]` in the route names. */
type Param = "none" | "account" | "contact" | "asset" | "layout" | "task";
type Expectation = {
  param: Param;
  /** Signed out: pages go to /login, API routes answer 401, public ones answer. */
  signedOut: "login" | 401 | "public";
  /** Status when the role may, on a target it can see (or on the route without an id). */
  ok: number | ((role: RoleKey) => number);
  /**
   * What the page or route checks in the permissions table: roles without all of them get
   * `refusedStatus` (on targets they can see; admin pages whatever the target). None: every
   * signed-in role may.
   */
  capabilities?: Capability[];
  refusedStatus?: number;
  /** Refused roles get `refusedStatus` before the target is looked up (admin pages: 404 for all). */
  refusedFirst?: boolean;
  /** Query string to add; `{key}` is replaced by the id of that fixture (e.g. `{A}`, `{adminUser}`). */
  query?: string;
  /** What a missing (or forbidden) id answers, 404 unless set: API-token routes answer 401 to any session first. */
  missing?: number;
  /** An allowed answer names the target (pages and the preview; not files or lists). */
  showsName?: boolean;
};

const SIGNED_IN_ROLES: RoleKey[] = ["admin", "csm", "leader", "viewer"];

/** An admin page: the admin layout checks "admin.open", the page its own capability; others get 404. */
const adminPage = (capability: Capability, more: Partial<Expectation> = {}): Expectation => ({
  param: "none",
  signedOut: "login",
  ok: 200,
  capabilities: ["admin.open", capability],
  refusedStatus: 404,
  refusedFirst: true,
  ...more,
});

/** Pages by route (route groups dropped). */
const PAGES: Record<string, Expectation> = {
  "/": { param: "none", signedOut: "login", ok: 200 },
  "/accounts": { param: "none", signedOut: "login", ok: 200 },
  "/accounts/[id]": { param: "account", signedOut: "login", ok: 200, showsName: true },
  "/accounts/[id]/company-profile": { param: "account", signedOut: "login", ok: 200, showsName: true },
  "/accounts/[id]/explain": { param: "account", signedOut: "login", ok: 200, showsName: true },
  // Account management (issue 15): roles with accounts.edit/create/archive/delete (admins, members).
  "/accounts/[id]/manage": { param: "account", signedOut: "login", ok: 200, showsName: true, capabilities: ["accounts.edit"], refusedStatus: 404 },
  "/contacts/[id]": { param: "contact", signedOut: "login", ok: 200, showsName: true },
  // Signed in, the sign-in page sends you to the portfolio (the page does, after checking the user is enabled).
  "/login": { param: "none", signedOut: "public", ok: (role) => (role === "signedOut" ? 200 : 307) },
  // A set-password link (issue 15) is its own credential: a made-up token gets the "does not work" page, whoever asks.
  "/set-password/[token]": { param: "none", signedOut: "public", ok: 200 },
  // Everyone signed in changes their own password.
  "/account/password": { param: "none", signedOut: "login", ok: 200 },
  "/admin": adminPage("admin.open"),
  "/admin/account-types": adminPage("accountTypes.manage"),
  // The data model (issue 15): attributes, field groups, lifecycles, usage modules and activities.
  "/admin/attributes": adminPage("dataModel.manage"),
  "/admin/lifecycles": adminPage("dataModel.manage"),
  "/admin/successplays": adminPage("dataModel.manage"),
  "/admin/collections": adminPage("dataModel.manage"),
  "/admin/usage": adminPage("dataModel.manage"),
  "/admin/users": adminPage("users.manage"),
  "/admin/teams": adminPage("teams.manage"),
  "/admin/audit": adminPage("audit.read"),
  // The layout editor (issue 7); the preview renders account A as the admin.
  "/admin/layouts": adminPage("layouts.manage"),
  "/admin/layouts/[id]": adminPage("layouts.manage", { param: "layout" }),
  "/admin/layouts/[id]/preview": adminPage("layouts.manage", { param: "layout", query: "account={A}&as={adminUser}" }),
  // API tokens and CSV import (issue 8).
  "/admin/api-tokens": adminPage("apiTokens.manage"),
  "/admin/import": adminPage("import.run"),
  // Assignment roles (issue 15).
  "/admin/assignment-roles": adminPage("assignmentRoles.manage"),
  // Webhooks (issue 17).
  "/admin/webhooks": adminPage("webhooks.manage"),
  // A share link's page (issue 8) is public by design: it shows account data only for a valid signed
  // token (test/e2e/slack-unfurl.test.ts); a made-up token gets the generic page, whoever asks.
  "/share/[token]": { param: "none", signedOut: "public", ok: 200 },
  // Working together (issue 18): everyone's own inbox and mail settings; a task's comment thread on a visible account.
  "/notifications": { param: "none", signedOut: "login", ok: 200, capabilities: ["notifications.use"], refusedStatus: 404 },
  "/notifications/settings": { param: "none", signedOut: "login", ok: 200, capabilities: ["notifications.use"], refusedStatus: 404 },
  "/accounts/[id]/tasks/[taskId]": { param: "task", signedOut: "login", ok: 200, showsName: true },
  // Health schemes (issue 16).
  "/admin/health": adminPage("health.manage"),
};

/** API routes by "METHOD /route". */
const API: Record<string, Expectation> = {
  "GET /api/health": { param: "none", signedOut: "public", ok: 200 },
  "GET /api/auth/[...nextauth]": { param: "none", signedOut: "public", ok: 200, query: "session" },
  "POST /api/auth/[...nextauth]": { param: "none", signedOut: "public", ok: 302, query: "signout" },
  "GET /api/accounts/[id]/preview": { param: "account", signedOut: 401, ok: 200, showsName: true },
  // The presentation is a read (see the table's comment): served to every role that can open the
  // account, "presentation.generate" or not; that capability only decides whether the Quick Actions
  // bar offers it (checked below, "offers the presentation button only with presentation.generate").
  "GET /api/accounts/[id]/presentation": { param: "account", signedOut: 401, ok: 200 },
  "GET /api/accounts/[id]/assets": { param: "account", signedOut: 401, ok: 200 },
  "POST /api/accounts/[id]/assets": { param: "account", signedOut: 401, ok: 201, capabilities: ["asset.add"], refusedStatus: 403 },
  "GET /api/assets/[id]/download": { param: "asset", signedOut: 401, ok: 200 },
  // The link assets deleted here were uploaded by no one, so only "asset.delete" lets a role delete.
  "DELETE /api/assets/[id]": { param: "asset", signedOut: 401, ok: 200, capabilities: ["asset.delete"], refusedStatus: 404 },
  // Open Graph image of a share link: public, data only for a valid signed token; a made-up one is a 404.
  "GET /api/og/[token]": { param: "none", signedOut: "public", ok: 404 },
  // Slack's Events API: public, checked by Slack's request signature; not configured on this server → 404.
  "POST /api/slack/events": { param: "none", signedOut: "public", ok: 404 },
  // The REST API (issue 8) takes API tokens, never a session: 401 without a bearer token, whoever you are.
  "GET /api/v1/openapi.json": { param: "none", signedOut: "public", ok: 200 },
  "POST /api/v1/accounts": { param: "none", signedOut: "public", ok: 401 },
  "POST /api/v1/attribute-values": { param: "none", signedOut: "public", ok: 401 },
  "POST /api/v1/contacts": { param: "none", signedOut: "public", ok: 401 },
  "POST /api/v1/assignments": { param: "none", signedOut: "public", ok: 401 },
  "POST /api/v1/contracts": { param: "none", signedOut: "public", ok: 401 },
  "POST /api/v1/survey-responses": { param: "none", signedOut: "public", ok: 401 },
  "POST /api/v1/tickets": { param: "none", signedOut: "public", ok: 401 },
  "POST /api/v1/touchpoints": { param: "none", signedOut: "public", ok: 401 },
  "POST /api/v1/usage-events": { param: "none", signedOut: "public", ok: 401 },
  // The MCP tool server (issue 17) takes API tokens, never a session: 401 without a bearer token.
  "POST /api/mcp": { param: "none", signedOut: "public", ok: 401 },
  "GET /api/mcp": { param: "none", signedOut: "public", ok: 405 },
  "DELETE /api/mcp": { param: "none", signedOut: "public", ok: 405 },
  // Reads of the REST API (issue 17): API tokens only, so every session (or none) gets 401; scopes and
  // subtrees per token: test/api-reads.test.ts and test/e2e/api-client.test.ts.
  "GET /api/v1/accounts": { param: "none", signedOut: "public", ok: 401 },
  "GET /api/v1/contacts": { param: "none", signedOut: "public", ok: 401 },
  "GET /api/v1/contracts": { param: "none", signedOut: "public", ok: 401 },
  "GET /api/v1/invoices": { param: "none", signedOut: "public", ok: 401 },
  "GET /api/v1/sales": { param: "none", signedOut: "public", ok: 401 },
  "GET /api/v1/tickets": { param: "none", signedOut: "public", ok: 401 },
  "GET /api/v1/survey-responses": { param: "none", signedOut: "public", ok: 401 },
  "GET /api/v1/touchpoints": { param: "none", signedOut: "public", ok: 401 },
  "GET /api/v1/tasks": { param: "none", signedOut: "public", ok: 401 },
  "GET /api/v1/assignments": { param: "none", signedOut: "public", ok: 401 },
  "GET /api/v1/health": { param: "none", signedOut: "public", ok: 401 },
  "GET /api/v1/health-snapshots": { param: "none", signedOut: "public", ok: 401 },
  "GET /api/v1/lifecycle-stages": { param: "none", signedOut: "public", ok: 401 },
  "GET /api/v1/lifecycle-stage-changes": { param: "none", signedOut: "public", ok: 401 },
  "GET /api/v1/usage-aggregates": { param: "none", signedOut: "public", ok: 401 },
  "GET /api/v1/timeline": { param: "none", signedOut: "public", ok: 401 },
  "GET /api/v1/accounts/[id]": { param: "account", signedOut: "public", ok: 401, missing: 401 },
  "GET /api/v1/contacts/[id]": { param: "account", signedOut: "public", ok: 401, missing: 401 },
  "GET /api/v1/contracts/[id]": { param: "account", signedOut: "public", ok: 401, missing: 401 },
  "GET /api/v1/invoices/[id]": { param: "account", signedOut: "public", ok: 401, missing: 401 },
  "GET /api/v1/sales/[id]": { param: "account", signedOut: "public", ok: 401, missing: 401 },
  "GET /api/v1/tickets/[id]": { param: "account", signedOut: "public", ok: 401, missing: 401 },
  "GET /api/v1/survey-responses/[id]": { param: "account", signedOut: "public", ok: 401, missing: 401 },
  "GET /api/v1/touchpoints/[id]": { param: "account", signedOut: "public", ok: 401, missing: 401 },
  "GET /api/v1/tasks/[id]": { param: "account", signedOut: "public", ok: 401, missing: 401 },
  "GET /api/v1/health/[id]": { param: "account", signedOut: "public", ok: 401, missing: 401 },
  "GET /api/v1/lifecycle-stage-changes/[id]": { param: "account", signedOut: "public", ok: 401, missing: 401 },
  "GET /api/v1/timeline/[id]": { param: "account", signedOut: "public", ok: 401, missing: 401 },
  "PATCH /api/v1/accounts/[id]": { param: "account", signedOut: "public", ok: 401, missing: 401 },
  "DELETE /api/v1/accounts/[id]": { param: "account", signedOut: "public", ok: 401, missing: 401 },
  "PATCH /api/v1/tasks/[id]": { param: "account", signedOut: "public", ok: 401, missing: 401 },
  // The command palette's search (issue 18): every signed-in role, answers scoped to the viewer.
  "GET /api/search": { param: "none", signedOut: 401, ok: 200, query: "q=a" },
  // Lifecycles (issue 16, lifecycle helper)
  "POST /api/v1/stage-changes": { param: "none", signedOut: "public", ok: 401 },
  // Health scores from elsewhere (issue 16).
  "POST /api/v1/health-scores": { param: "none", signedOut: "public", ok: 401 },
  // Writes for every table the profile reads, and one-record reads by key (issue 17, api2 helper).
  "POST /api/v1/invoices": { param: "none", signedOut: "public", ok: 401 },
  "POST /api/v1/sales": { param: "none", signedOut: "public", ok: 401 },
  "POST /api/v1/collection-records": { param: "none", signedOut: "public", ok: 401 },
  "POST /api/v1/campaigns": { param: "none", signedOut: "public", ok: 401 },
  "GET /api/v1/collection-records": { param: "none", signedOut: "public", ok: 401 },
  "GET /api/v1/campaign-sends": { param: "none", signedOut: "public", ok: 401 },
  "GET /api/v1/assignments/[id]": { param: "account", signedOut: "public", ok: 401, missing: 401 },
  "GET /api/v1/health-snapshots/[id]": { param: "account", signedOut: "public", ok: 401, missing: 401 },
  "GET /api/v1/lifecycle-stages/[id]": { param: "account", signedOut: "public", ok: 401, missing: 401 },
  "GET /api/v1/campaign-sends/[id]": { param: "account", signedOut: "public", ok: 401, missing: 401 },
  "GET /api/v1/collection-records/[id]": { param: "account", signedOut: "public", ok: 401, missing: 401 },
  "PATCH /api/v1/invoices/[id]": { param: "account", signedOut: "public", ok: 401, missing: 401 },
  "DELETE /api/v1/invoices/[id]": { param: "account", signedOut: "public", ok: 401, missing: 401 },
  "PATCH /api/v1/sales/[id]": { param: "account", signedOut: "public", ok: 401, missing: 401 },
  "DELETE /api/v1/sales/[id]": { param: "account", signedOut: "public", ok: 401, missing: 401 },
  "PATCH /api/v1/collection-records/[id]": { param: "account", signedOut: "public", ok: 401, missing: 401 },
  "DELETE /api/v1/collection-records/[id]": { param: "account", signedOut: "public", ok: 401, missing: 401 },
  "PATCH /api/v1/touchpoints/[id]": { param: "account", signedOut: "public", ok: 401, missing: 401 },
  "DELETE /api/v1/touchpoints/[id]": { param: "account", signedOut: "public", ok: 401, missing: 401 },
  "PATCH /api/v1/contacts/[id]": { param: "account", signedOut: "public", ok: 401, missing: 401 },
  // Campaigns, campaign sends and deleting contacts (issue 17, api3 helper).
  "GET /api/v1/campaigns": { param: "none", signedOut: "public", ok: 401 },
  "GET /api/v1/campaigns/[id]": { param: "account", signedOut: "public", ok: 401, missing: 401 },
  "PATCH /api/v1/campaigns/[id]": { param: "account", signedOut: "public", ok: 401, missing: 401 },
  "DELETE /api/v1/campaigns/[id]": { param: "account", signedOut: "public", ok: 401, missing: 401 },
  "PATCH /api/v1/campaign-sends/[id]": { param: "account", signedOut: "public", ok: 401, missing: 401 },
  "DELETE /api/v1/campaign-sends/[id]": { param: "account", signedOut: "public", ok: 401, missing: 401 },
  "DELETE /api/v1/contacts/[id]": { param: "account", signedOut: "public", ok: 401, missing: 401 },
};

const decode = (html: string) =>
  html
    .replace(/&amp;/g, "&")
    .replace(/&#x27;|&#39;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/\\u0026/g, "&");

describe("authorization matrix of pages and API routes", () => {
  let db: pg.Client;
  const cookies: Partial<Record<RoleKey, string>> = {};
  const ids: Record<string, string> = {};
  const names: Record<string, string> = {};
  let cases = 0;
  let leaks = 0;

  beforeAll(async () => {
    db = new pg.Client({ connectionString: inject("e2eDatabaseUrl") });
    await db.connect();
    const one = async (q: string, params: unknown[] = []) => (await db.query(q, params)).rows[0];
    const region = async (name: string) => (await one("select id from accounts where name = $1 and depth = 1", [name])).id as string;
    const [emea, americas] = [await region("EMEA"), await region("Americas")];
    const a = await one(
      `select a.id, a.name from assignments s join accounts a on a.id = s.account_id join account_types t on t.id = a.type_id join users u on u.id = s.user_id
       where u.email = 'csm@demo.test' and t.key = 'product'
       order by exists (select 1 from attribute_values v join attribute_definitions d on d.id = v.attribute_id where v.account_id = a.id and d.key = 'discount_pct') desc, a.name limit 1`,
    );
    const b = await one(
      `select a.id, a.name from accounts a join account_types t on t.id = a.type_id join account_closure c on c.descendant_id = a.id
       where c.ancestor_id = $1 and t.key = 'product' order by a.name limit 1`,
      [americas],
    );
    const o = await one(
      `select a.id, a.name from accounts a join account_types t on t.id = a.type_id join account_closure c on c.descendant_id = a.id
       where c.ancestor_id = $1 and t.is_opportunity order by a.name limit 1`,
      [emea],
    );
    Object.assign(ids, {
      A: a.id,
      B: b.id,
      O: o.id,
      missing: MISSING,
      adminUser: (await one("select id from users where email = 'admin@demo.test'")).id,
      // A published layout for products (account A is a product), for the editor and its preview.
      layout: (await one(`select l.id from layouts l join account_types t on t.id = l.account_type_id where t.key = 'product' and l.status = 'published' order by l.priority, l.id limit 1`)).id,
    });
    Object.assign(names, { A: a.name, B: b.name, O: o.name });
    // A contact only on accounts under one region; a file of an account under it.
    for (const [key, regionId, otherId] of [["A", emea, americas], ["B", americas, emea]] as const) {
      const contact = await one(
        `select c.id, c.name from contacts c
         where exists (select 1 from account_contacts ac join account_closure cl on cl.descendant_id = ac.account_id where ac.contact_id = c.id and cl.ancestor_id = $1)
           and not exists (select 1 from account_contacts ac where ac.contact_id = c.id
             and not exists (select 1 from account_closure cl where cl.descendant_id = ac.account_id and cl.ancestor_id = $1))
           and not exists (select 1 from account_contacts ac join accounts x on x.id = ac.account_id join account_types t on t.id = x.type_id where ac.contact_id = c.id and t.is_opportunity)
           and $2::uuid is not null
         order by c.name limit 1`,
        [regionId, otherId],
      );
      ids[`contact:${key}`] = contact.id;
      names[`contact:${key}`] = contact.name;
      const asset = await one(
        `select s.id, s.name from assets s join account_closure cl on cl.descendant_id = s.account_id join accounts x on x.id = s.account_id join account_types t on t.id = x.type_id
         where cl.ancestor_id = $1 and s.kind = 'file' and s.deleted_at is null and not t.is_opportunity order by s.name limit 1`,
        [regionId],
      );
      if (asset) {
        ids[`asset:${key}`] = asset.id;
        names[`asset:${key}`] = asset.name;
      }
    }
    // A task on each account, for the task page (issue 18).
    for (const key of ["A", "B", "O"] as const) {
      ids[`task:${key}`] = (await one(`insert into tasks (account_id, title) values ($1, 'Matrix task') returning id`, [ids[key]])).id;
    }
    for (const role of SIGNED_IN_ROLES) cookies[role] = await sessionCookie(baseURL, EMAIL[role as Exclude<RoleKey, "signedOut">]);
    // The demo's files are all in EMEA: upload one to B (as an admin) for the Americas side.
    for (const key of ["A", "B"] as const) {
      if (ids[`asset:${key}`]) continue;
      const form = new FormData();
      form.set("file", new Blob(["matrix file"], { type: "text/plain" }), `Matrix file ${key}.txt`);
      const response = await fetch(`${baseURL}/api/accounts/${ids[key]}/assets`, { method: "POST", body: form, headers: { Cookie: cookies.admin! } });
      const { asset } = (await response.json()) as { asset: { id: string; name: string } };
      ids[`asset:${key}`] = asset.id;
      names[`asset:${key}`] = asset.name;
    }
  });
  afterAll(async () => {
    console.log(`[authorization matrix] pages and API routes: ${cases} cases, ${leaks} leaks`);
    await db?.end();
  });

  it("has an expectation for every page and API route found in app/", () => {
    const { pages, api: routes } = discoverRoutes();
    const api = routes.map(({ method, route }) => `${method} ${route}`);
    expect(pages.filter((p) => !PAGES[p]), "pages without an entry in PAGES (test/e2e/authorization-matrix.test.ts)").toEqual([]);
    expect(api.filter((r) => !API[r]), "API routes without an entry in API (test/e2e/authorization-matrix.test.ts)").toEqual([]);
    expect(Object.keys(PAGES).filter((p) => !pages.includes(p)), "stale PAGES entries").toEqual([]);
    expect(Object.keys(API).filter((r) => !api.includes(r)), "stale API entries").toEqual([]);
  });

  /** A fresh link asset (deleting must not eat the shared files). */
  async function linkAsset(key: "A" | "B"): Promise<string> {
    const accountId = key === "A" ? ids.A : ids.B;
    const { rows } = await db.query(`insert into assets (account_id, kind, name, url) values ($1, 'link', $2, 'https://example.com') returning id`, [accountId, `Matrix link ${key} ${cases}`]);
    names[`link:${rows[0].id}`] = `Matrix link ${key} ${cases}`;
    return rows[0].id;
  }

  async function call(method: string, url: string, role: RoleKey, targetKey?: string) {
    const headers: Record<string, string> = {};
    if (cookies[role]) headers.Cookie = cookies[role]!;
    let body: BodyInit | undefined;
    if (method === "POST" && url.includes("/assets")) {
      const form = new FormData();
      form.set("file", new Blob(["matrix"], { type: "text/plain" }), `matrix-${targetKey}-${cases}.txt`);
      body = form;
    }
    if (method === "POST" && url.includes("/api/auth/")) {
      // Sign-out needs the CSRF token; a session-less post is fine for the matrix.
      const csrf = await fetch(`${baseURL}/api/auth/csrf`, { headers });
      const { csrfToken } = (await csrf.json()) as { csrfToken: string };
      const fresh = new Map(csrf.headers.getSetCookie().map((c) => c.split(";")[0].split(/=(.*)/s).slice(0, 2) as [string, string]));
      headers.Cookie = [cookies[role], ...[...fresh].map(([k, v]) => `${k}=${v}`)].filter(Boolean).join("; ");
      headers["Content-Type"] = "application/x-www-form-urlencoded";
      body = new URLSearchParams({ csrfToken, callbackUrl: "/login" }).toString();
    }
    const response = await fetch(`${baseURL}${url}`, { method, headers, body, redirect: "manual" });
    const type = response.headers.get("content-type") ?? "";
    const text = type.includes("presentation") ? "" : decode(await response.text());
    return { status: response.status, location: response.headers.get("location") ?? "", text };
  }

  async function runRoute(method: string, route: string, expectation: Expectation) {
    const targets: Target[] = expectation.param === "none" ? ["A"] : expectation.param === "account" || expectation.param === "task" ? ["A", "B", "O", "missing"] : ["A", "B", "missing"];
    for (const role of ROLES) {
      const missingAnswer: { status?: number } = {};
      for (const target of targets) {
        // Resolve the id the route takes.
        let id = "";
        let nameKey = "";
        if (expectation.param === "account" || expectation.param === "task") [id, nameKey] = [ids[target], target];
        if (expectation.param === "contact") [id, nameKey] = target === "missing" ? [MISSING, ""] : [ids[`contact:${target}`], `contact:${target}`];
        if (expectation.param === "layout") [id, nameKey] = [target === "missing" ? MISSING : ids.layout, ""];
        if (expectation.param === "asset") {
          if (target === "missing") id = MISSING;
          else if (method === "DELETE") {
            id = await linkAsset(target as "A" | "B");
            nameKey = `link:${id}`;
          } else [id, nameKey] = [ids[`asset:${target}`], `asset:${target}`];
        }
        const query = expectation.query?.replace(/\{(\w+)\}/g, (_, key: string) => ids[key]);
        const url = route.replace("[id]", id).replace("[taskId]", ids[`task:${target}`] ?? MISSING).replace("[...nextauth]", query ?? "") + (query && !route.includes("[...nextauth]") ? `?${query}` : "");
        const answer = await call(method, url, role, target);
        const label = `${method} ${url} as ${role} (${expectation.param === "none" ? "no id" : target}) → ${answer.status} ${answer.location}`;
        cases++;
        if (role === "signedOut" && expectation.signedOut !== "public") {
          if (expectation.signedOut === "login") {
            expect(answer.status, label).toBe(302);
            expect(new URL(answer.location, baseURL).pathname, label).toBe("/login");
          } else expect(answer.status, label).toBe(401);
          if (nameKey) expect(answer.text.includes(names[nameKey]), `${label} shows the name`).toBe(false);
          continue;
        }
        const granted = (expectation.capabilities ?? []).every((capability) => roleHas(role, capability));
        if (!granted && expectation.refusedFirst) {
          expect(answer.status, label).toBe(expectation.refusedStatus);
          continue;
        }
        const allowedStatus = typeof expectation.ok === "function" ? expectation.ok(role) : expectation.ok;
        const okStatus = granted ? allowedStatus : expectation.refusedStatus!;
        const visible = expectation.param === "none" || (target !== "missing" && VISIBLE[role].includes(target));
        if (target === "missing") {
          missingAnswer.status = answer.status;
          expect(answer.status, label).toBe(expectation.missing ?? 404);
          continue;
        }
        if (visible) {
          expect(answer.status, label).toBe(okStatus);
          if (granted && expectation.showsName && nameKey) expect(answer.text, label).toContain(names[nameKey]);
        } else {
          // A forbidden target answers exactly like a missing one, and names nothing.
          expect(answer.status, label).toBe(expectation.missing ?? 404);
          const leaked = answer.text.includes(names[nameKey]);
          if (leaked) leaks++;
          expect(leaked, `${label} shows ${names[nameKey]}`).toBe(false);
        }
      }
    }
  }

  for (const [route, expectation] of Object.entries(PAGES)) {
    it(`page ${route}`, async () => runRoute("GET", route, expectation));
  }
  for (const [key, expectation] of Object.entries(API)) {
    const [method, route] = key.split(" ");
    it(`API ${key}`, async () => runRoute(method, route, expectation));
  }

  it("shows the privileged attribute only to admins and to the people assigned to the account", async () => {
    for (const role of SIGNED_IN_ROLES) {
      for (const target of VISIBLE[role].filter((t) => t !== "O")) {
        const { rows } = await db.query(
          `select exists (select 1 from attribute_values v join attribute_definitions d on d.id = v.attribute_id where v.account_id = $1 and d.key = 'discount_pct') as has`,
          [ids[target]],
        );
        // The header's full attribute list (view=all, group Commercial) holds it.
        const answer = await call("GET", `/accounts/${ids[target]}?view=all`, role);
        cases++;
        expect(answer.status).toBe(200);
        // Never shown to a role that may not see it; shown where it has a value and the role may (the
        // full list may also show it empty to those who may edit it).
        const may = roleHas(role, "privileged.readAll") || (role === "csm" && target === "A");
        if (!may || rows[0].has) expect(answer.text.includes("Discount (%)"), `${role} on ${target}`).toBe(may);
        if (target === "A" && role === "admin") expect(rows[0].has, "A has a discount to show").toBe(true);
      }
    }
  });

  it("offers the presentation button only with presentation.generate, and serves the deck to every role that can open the account", async () => {
    for (const role of SIGNED_IN_ROLES) {
      const target = VISIBLE[role][0];
      const profile = await call("GET", `/accounts/${ids[target]}`, role);
      const deck = await call("GET", `/api/accounts/${ids[target]}/presentation`, role);
      cases += 2;
      expect(profile.status, `${role} opens ${target}`).toBe(200);
      expect(profile.text.includes("Generate presentation"), `${role} is offered the presentation`).toBe(roleHas(role, "presentation.generate"));
      expect(deck.status, `${role} downloads the deck of ${target}`).toBe(200);
    }
  });

  it("never lists an account the role cannot see in search, the portfolio or a preview", async () => {
    for (const role of SIGNED_IN_ROLES) {
      for (const target of ["A", "B", "O"] as const) {
        if (VISIBLE[role].includes(target)) continue;
        // Search echoes the words typed: no result may link to the account.
        const search = await call("GET", `/accounts?q=${encodeURIComponent(names[target])}`, role);
        cases++;
        expect(search.status).toBe(200);
        expect(search.text.includes(ids[target]), `${role}'s search for ${names[target]} finds it`).toBe(false);
        const portfolio = await call("GET", "/", role);
        cases++;
        expect(portfolio.text.includes(names[target]), `${role}'s portfolio shows ${names[target]}`).toBe(false);
        expect(portfolio.text.includes(ids[target]), `${role}'s portfolio links ${names[target]}`).toBe(false);
      }
    }
  });
});

describe("rollups for a scoped viewer: totals may include hidden accounts, names and values of them never show", () => {
  let db: pg.Client;
  let cookie: string;
  let hiddenNames: string[] = [];
  let hiddenIds: string[] = [];
  let shownNames: string[] = [];
  /**
   * Hidden names that occur in the text other than inside a visible account's name (a hidden line
   * of business "Retail Banking EMEA" inside a visible "Payments Hub — Retail Banking EMEA" is fine).
   */
  const hiddenNamesIn = (text: string) =>
    hiddenNames.filter((hidden) => {
      const covers = shownNames.filter((v) => v.length > hidden.length && v.includes(hidden));
      for (let i = text.indexOf(hidden); i >= 0; i = text.indexOf(hidden, i + 1)) {
        const inside = covers.some((v) => {
          const at = i - v.indexOf(hidden);
          return at >= 0 && text.startsWith(v, at);
        });
        if (!inside) return true;
      }
      return false;
    });
  let parents: { id: string; name: string }[] = [];
  let pagesChecked = 0;

  beforeAll(async () => {
    db = new pg.Client({ connectionString: inject("e2eDatabaseUrl") });
    await db.connect();
    // A team that sees only accounts whose segment is Enterprise, and a user in it with no assignment.
    const team = (await db.query(`insert into teams (key, name) values ('enterprise-desk', 'Enterprise desk') returning id`)).rows[0].id;
    await db.query(`insert into team_scopes (team_id, kind, attribute_key, attribute_value) values ($1, 'attribute', 'segment', '"Enterprise"'::jsonb)`, [team]);
    const hash = (await db.query(`select password_hash from users where email = 'csm@demo.test'`)).rows[0].password_hash;
    const user = (await db.query(`insert into users (email, name, role, password_hash) values ('scoped@demo.test', 'Scoped Sam', 'member', $1) returning id`, [hash])).rows[0].id;
    await db.query(`insert into team_members (team_id, user_id) values ($1, $2)`, [team, user]);
    const visible = `exists (select 1 from attribute_values v join attribute_definitions d on d.id = v.attribute_id
      where v.account_id = a.id and d.key = 'segment' and v.value = '"Enterprise"'::jsonb)
      and not exists (select 1 from account_types t where t.id = a.type_id and t.is_opportunity)`;
    const { rows: shown } = await db.query(`select a.id, a.name from accounts a where a.archived_at is null and ${visible}`);
    const { rows: hidden } = await db.query(`select a.id, a.name from accounts a where a.archived_at is null and not (${visible})`);
    shownNames = shown.map((r) => r.name as string).sort((x, y) => y.length - x.length);
    hiddenNames = [...new Set(hidden.map((r) => r.name as string))].filter((n) => n.length >= 6 && !shownNames.includes(n));
    hiddenIds = hidden.map((r) => r.id as string);
    // Visible parents with hidden accounts below: the interesting pages. The two with the most
    // hidden descendants (timeline, leaderboards) and the two with the most hidden children (explain).
    const hiddenBelow = (distance: string) =>
      db.query(
        `select a.id, a.name, count(*) as hidden from accounts a join account_closure c on c.ancestor_id = a.id and ${distance} join accounts d on d.id = c.descendant_id
         where a.archived_at is null and d.archived_at is null and ${visible} and not (${visible.replaceAll("a.id", "d.id").replaceAll("a.type_id", "d.type_id")})
         group by a.id, a.name order by count(*) desc, a.name limit 2`,
      );
    const [deep, direct] = [(await hiddenBelow("c.distance > 0")).rows, (await hiddenBelow("c.distance = 1")).rows];
    parents = [...new Map([...deep, ...direct].map((p) => [p.id, p])).values()];
    cookie = await sessionCookie(baseURL, "scoped@demo.test");
  });
  afterAll(async () => {
    console.log(`[rollup leak crawl] ${pagesChecked} pages of ${parents.length} parents checked against ${hiddenNames.length} hidden account names`);
    await db?.end();
  });

  it("has visible parents with hidden accounts below, and hides every hidden name on their pages", async () => {
    expect(parents.length).toBeGreaterThan(0);
    expect(hiddenNames.length).toBeGreaterThan(20);
    const tabs = ["", "?tab=usage", "?tab=revenue", "?tab=timeline", "?tab=plan", "?tab=assets"];
    const explain = ["mrr", "open_tickets", "nps", "csat", "health", "events_30d", "attribute:arr", "attribute:seats"];
    // The check can fail: an admin on the same pages does see names the scoped user must not.
    const admin = await sessionCookie(baseURL, "admin@demo.test");
    const adminView = decode(await (await fetch(`${baseURL}/accounts/${parents[0].id}?tab=timeline`, { headers: { Cookie: admin } })).text());
    expect(hiddenNamesIn(adminView).length, `the admin's timeline of ${parents[0].name} names hidden accounts`).toBeGreaterThan(0);
    for (const parent of parents) {
      const urls = [
        ...tabs.map((t) => `/accounts/${parent.id}${t}`),
        ...explain.map((m) => `/accounts/${parent.id}/explain?metric=${encodeURIComponent(m)}`),
        `/accounts/${parent.id}/company-profile`,
        `/api/accounts/${parent.id}/preview`,
        `/api/accounts/${parent.id}/assets`,
        `/accounts?q=${encodeURIComponent(parent.name.slice(0, 6))}`,
      ];
      for (const url of urls) {
        const response = await fetch(`${baseURL}${url}`, { headers: { Cookie: cookie }, redirect: "manual" });
        const text = decode(await response.text());
        pagesChecked++;
        expect(response.status, url).toBe(200);
        if (!url.endsWith("/assets")) expect(text, url).toContain(parent.name.slice(0, 6));
        const shown = hiddenNamesIn(text);
        expect(shown, `${url} names accounts the viewer cannot open`).toEqual([]);
        const linked = hiddenIds.filter((id) => text.includes(id));
        expect(linked, `${url} links accounts the viewer cannot open`).toEqual([]);
      }
    }
  });
});
