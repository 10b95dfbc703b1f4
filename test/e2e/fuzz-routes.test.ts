/**
 * Fuzz test of every API ROUTE (and every page with an `[id]`), over HTTP against the production
 * build (server actions: test/fuzz-actions.test.ts). Routes are found from the file system
 * (app/api/**\/route.ts and the methods each exports; app/**\/page.tsx), so routes added later —
 * e.g. a REST API under /api/v1 or a Slack endpoint — are fuzzed without editing this file:
 * every dynamic segment gets hostile values (garbage, crafted ids, traversal, unicode, huge), the
 * query string junk parameters, and bodies junk JSON, form or multipart data, as an admin (who
 * passes every role check), a viewer and signed out. A seeded PRNG picks the cases (FUZZ_SEED=<n>).
 *
 * Every answer must be below 500, and no row may change (a fingerprint of every table's row count
 * before and after). Sign-in throttling counts failures only for well-formed emails; the bodies
 * sent to next-auth carry none, so the run does not lock out other tests.
 *
 * A route that needs more than generic junk (say a signed Slack request) can get extra cases in
 * EXTRA_CASES below, keyed by "METHOD /route".
 */
import { createHash } from "node:crypto";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import pg from "pg";
import { discoverRoutes, sessionCookie, type ApiRoute } from "../support/routes";
import { asText, craftedId, encodeJunk, FUZZ_SEED, HOSTILE_KEYS, junkValue, prng, type Prng } from "../support/fuzz";

const baseURL = inject("baseURL");
const PER_ROUTE = 80;
const PER_PAGE = 12;

/** Extra request builders for routes whose interesting input generic junk cannot reach. */
const EXTRA_CASES: Record<string, ((r: Prng) => { path: string; init: RequestInit })[]> = {};

function discover(): { api: ApiRoute[]; pages: string[] } {
  const { api, pages } = discoverRoutes();
  return { api, pages: pages.filter((p) => p.includes("[")) };
}

const SEGMENTS = [
  "..%2f..%2fetc%2fpasswd",
  "%00",
  "%F0%9F%A6%84",
  "null",
  "-1",
  "0",
  "999999999999999999999",
  "__proto__",
  "constructor",
  "00000000-0000-0000-0000-000000000000",
  "not-a-uuid",
  "%27%20or%201%3D1--",
  "a".repeat(3000),
  "%E2%80%AE",
  "%20",
];

function segment(r: Prng, catchAll: boolean): string {
  const one = () => (r.chance(0.35) ? craftedId(r) : r.chance(0.6) ? r.pick(SEGMENTS) : encodeJunk(asText(junkValue(r)).slice(0, 500)));
  if (!catchAll) return one();
  // next-auth's [...nextauth]: junk actions and providers.
  return [r.pick(["signin", "callback", "session", "csrf", "providers", "signout", "error", "verify-request", one()]), ...(r.chance(0.5) ? [r.pick(["credentials", "oidc", one()])] : [])].join("/");
}

function query(r: Prng): string {
  if (r.chance(0.4)) return "";
  const params = Array.from({ length: r.int(1, 4) }, () => {
    const key = r.chance(0.3) ? r.pick(HOSTILE_KEYS) : r.pick(["q", "tab", "metric", "page", "from", "to", "period", "module", "callbackUrl", "error", "limit"]);
    return `${encodeJunk(key)}=${encodeJunk(asText(junkValue(r)).slice(0, 2000))}`;
  });
  return `?${params.join("&")}`;
}

/** A junk body that never holds a well-formed email (so sign-in throttling is not fed). */
function body(r: Prng): { body?: BodyInit; contentType?: string } {
  const noEmail = (v: unknown) => asText(v).replace(/@/g, "");
  switch (r.int(0, 5)) {
    case 0:
      return {};
    case 1:
      return { body: JSON.stringify(Object.fromEntries(Array.from({ length: r.int(0, 5) }, () => [r.pick([...HOSTILE_KEYS, "name", "email", "accountId", "id"]), junkValue(r)])), (_k, v) => (typeof v === "bigint" ? String(v) : v === undefined ? null : v)), contentType: "application/json" };
    case 2:
      return { body: r.pick(["{", "[]", "null", '{"__proto__":{"isAdmin":true}}', "\u0000\u0001", "x".repeat(200_000)]), contentType: r.pick(["application/json", "text/plain", "application/x-www-form-urlencoded"]) };
    case 3:
      return {
        body: new URLSearchParams(Array.from({ length: r.int(1, 5) }, () => [r.pick(["email", "password", "csrfToken", "callbackUrl", "name", ...HOSTILE_KEYS]), noEmail(junkValue(r)).slice(0, 5000)])).toString(),
        contentType: "application/x-www-form-urlencoded",
      };
    case 4: {
      const form = new FormData();
      for (let i = r.int(0, 3); i > 0; i--) form.append(r.pick(["name", "file", "x", ...HOSTILE_KEYS]), noEmail(junkValue(r)).slice(0, 5000));
      if (r.chance(0.5)) form.append("file", new Blob([asText(junkValue(r)).slice(0, 10_000)], { type: r.pick(["text/plain", "application/x-msdownload", ""]) }), r.pick(["../../x.txt", "🦄.exe", "", "a".repeat(300)]));
      return { body: form };
    }
    default:
      return { body: "--boundary\r\nContent-Disposition: form-data; name=\"file\"; filename=\"x\"\r\n\r\nunterminated", contentType: "multipart/form-data; boundary=boundary" };
  }
}

const API_TOKEN = "c360_fuzz-token-for-the-malformed-payload-test";

describe("fuzzing every API route and every page with an id", () => {
  let db: pg.Client;
  let tables: string[] = [];
  const cookies: Record<string, string> = {};
  let sent = 0;
  let outcome = "not finished";

  const fingerprint = async () => {
    const { rows } = await db.query(tables.map((t) => `select '${t}' as t, count(*)::int as n from "${t}"`).join(" union all "));
    return JSON.stringify(rows.sort((a, b) => a.t.localeCompare(b.t)));
  };

  beforeAll(async () => {
    db = new pg.Client({ connectionString: inject("e2eDatabaseUrl") });
    await db.connect();
    // auth_throttle counts sign-in failures by design; everything else must stay as it was.
    // api_token_minutes counts API requests per token (the rate limit), also by design.
    const { rows } = await db.query(
      `select table_name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE' and table_name not like '%drizzle%' and table_name not in ('auth_throttle', 'api_token_minutes') order by 1`,
    );
    tables = rows.map((r) => r.table_name);
    cookies.admin = await sessionCookie(baseURL, "admin@demo.test");
    // A real API token with every scope, so junk reaches /api/v1's validation and not only its 401.
    await db.query(
      `insert into api_tokens (name, prefix, token_hash, rate_limit_per_minute, scopes, created_by)
       select 'Fuzz token', 'c360_fuzz', $1, 1000000, array['accounts:write','attributes:write','usage:write','contacts:write','contracts:write','tickets:write','surveys:write','touchpoints:write',
         -- the reads (issue 17)
         'accounts:read','contacts:read','revenue:read','support:read','activity:read','assignments:read','health:read','lifecycle:read','usage:read','privileged:read'], id
       from users where email = 'admin@demo.test'`,
      [createHash("sha256").update(API_TOKEN).digest("hex")],
    );
    cookies.viewer = await sessionCookie(baseURL, "viewer@demo.test");
  });
  afterAll(async () => {
    console.log(`[fuzz] HTTP: ${sent} malformed requests (seed ${FUZZ_SEED}): ${outcome}`);
    await db?.end();
  });

  it("answers every malformed request below 500 and changes no row", async () => {
    const { api, pages } = discover();
    expect(api.length).toBeGreaterThanOrEqual(9);
    const before = await fingerprint();
    const failures: string[] = [];
    const send = async (label: string, url: string, init: RequestInit) => {
      sent++;
      let status: number;
      try {
        const response = await fetch(url, { ...init, redirect: "manual", signal: AbortSignal.timeout(30_000) });
        status = response.status;
        await response.arrayBuffer().catch(() => undefined);
      } catch (error) {
        failures.push(`${label}: ${(error as Error).message}`);
        return;
      }
      if (status >= 500) failures.push(`${label} → ${status}`);
    };
    // One task per route (its cases in order, from its own seeded generator, so a failure replays
    // whatever ran beside it), four routes at a time: the server answers one request while another
    // waits on the database. One request at a time it took ~85 s.
    const tasks: (() => Promise<void>)[] = [];
    for (const [index, { method, route }] of api.entries()) tasks.push(async () => {
      const r = prng(FUZZ_SEED + index * 104729);
      for (let i = 0; i < PER_ROUTE; i++) {
        const role = r.pick(["admin", "admin", "viewer", "signedOut"]);
        const path = route.replace(/\[\.\.\.[^\]]+\]/g, () => segment(r, true)).replace(/\[[^\]]+\]/g, () => segment(r, false)) + query(r);
        const { body: payload, contentType } = method === "GET" || method === "DELETE" ? (r.chance(0.2) ? body(r) : {}) : body(r);
        const headers: Record<string, string> = {};
        if (cookies[role]) headers.Cookie = cookies[role];
        if (route.startsWith("/api/v1/") && r.chance(0.6)) headers.Authorization = `Bearer ${API_TOKEN}`;
        if (contentType) headers["Content-Type"] = contentType;
        if (r.chance(0.1)) headers["X-Forwarded-For"] = asText(junkValue(r)).replace(/[^\x20-\x7e]/g, "").slice(0, 200) || "x";
        // GET with a body is not allowed by fetch: send it as a query instead.
        const getHeaders: Record<string, string> = cookies[role] ? { Cookie: cookies[role] } : {};
        if (headers.Authorization) getHeaders.Authorization = headers.Authorization;
        const init: RequestInit = method === "GET" ? { method, headers: getHeaders } : { method, headers, body: payload };
        await send(`${method} ${path.slice(0, 200)} as ${role} (route #${index} case ${i}, seed ${FUZZ_SEED})`, `${baseURL}${path}`, init);
      }
      for (const extra of EXTRA_CASES[`${method} ${route}`] ?? []) {
        const { path, init } = extra(r);
        await send(`${method} ${path} (extra)`, `${baseURL}${path}`, init);
      }
    });
    for (const [index, page] of pages.entries()) tasks.push(async () => {
      const r = prng(FUZZ_SEED + 7 + index * 13);
      for (let i = 0; i < PER_PAGE; i++) {
        const role = r.pick(["admin", "viewer"]);
        const path = page.replace(/\[[^\]]+\]/g, () => segment(r, false)) + query(r);
        await send(`GET ${path.slice(0, 200)} as ${role} (page #${index} case ${i})`, `${baseURL}${path}`, { headers: { Cookie: cookies[role] } });
      }
    });
    let next = 0;
    await Promise.all(Array.from({ length: 4 }, async () => {
      while (next < tasks.length) await tasks[next++]();
    }));
    expect(failures, failures.slice(0, 20).join("\n")).toEqual([]);
    expect(await fingerprint(), "rows changed").toBe(before);
    outcome = "0 answers of 500 or more, 0 rows changed";
    // The reads of issue 17 doubled the routes (and GETs now carry the token half the time).
  }, 300_000);
});
