import "server-only";
import { createHash } from "node:crypto";
import { sql } from "drizzle-orm";
import { getDb } from "@/db";
import { databaseIsDown, isDatabaseUnavailableError, unavailableResponse } from "@/db/availability";
import type { Executor } from "@/db/client";
import { IngestError, zodIssues, type ApiIssue } from "@/lib/ingest/errors";
import type { Endpoint } from "./endpoints";
import type { Mutation } from "./mutations";
import { hitRateLimit, rateHeaders } from "./rate-limit";
import { listRecords, readRecord, type ReadResource } from "./reads";
import type { ApiScope } from "./scopes";
import { authenticateToken, type TokenCaller } from "./tokens";

/** Largest request body: 10,000 usage events take about 2 MB. */
const MAX_BODY_BYTES = 16 * 1024 * 1024;
const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,200}$/;
/** How long a stored answer is replayed for its Idempotency-Key; older keys are deleted. */
export const IDEMPOTENCY_RETENTION = "24 hours";
/** How often (at most) one instance deletes expired keys, in ms. */
const PURGE_EVERY_MS = 10 * 60_000;
let lastPurge = 0;

/**
 * Deletes idempotency keys past the retention period (indexed by created_at). Run after a write
 * at most every PURGE_EVERY_MS per instance: no scheduler needed, and several instances only
 * repeat a cheap, idempotent delete. Exported for tests.
 */
export async function purgeExpiredIdempotencyKeys(db: Executor): Promise<number> {
  const result = await db.execute(sql`delete from api_idempotency_keys where created_at < now() - ${IDEMPOTENCY_RETENTION}::interval`);
  return (result as unknown as { rowCount?: number | null }).rowCount ?? 0;
}

export function apiError(status: number, error: string, issues: ApiIssue[] = [], headers: Record<string, string> = {}, extra: Record<string, unknown> = {}): Response {
  return Response.json({ ...extra, error, issues }, { status, headers });
}

type Stored = { status: number; response: unknown };

type Gate = { ok: true; db: Executor; caller: TokenCaller; headers: Record<string, string> } | { ok: false; response: Response };

/**
 * What every /api/v1 request passes first: the bearer token, then its rate limit (counted for
 * every authenticated request, refused ones included; RateLimit-* headers on every answer from
 * here on), then the scope the endpoint needs.
 */
async function gate(request: Request, scope: ApiScope): Promise<Gate> {
  try {
    return await gateUnguarded(request, scope);
  } catch (error) {
    // A connection lost while checking the token: 503 (the proxy's own answer while it stays down).
    if (isDatabaseUnavailableError(error)) return { ok: false, response: unavailableResponse("/api/v1") };
    throw error;
  }
}

async function gateUnguarded(request: Request, scope: ApiScope): Promise<Gate> {
  // /api/v1 bypasses the proxy: answer "database down" here.
  if (databaseIsDown()) return { ok: false, response: unavailableResponse("/api/v1") };
  const db = await getDb();
  const auth = await authenticateToken(db, request.headers.get("authorization"));
  if (!auth.ok) return { ok: false, response: apiError(auth.status, auth.error, [], { "WWW-Authenticate": 'Bearer realm="customer-360"' }) };
  const caller = auth.caller;
  const rate = await hitRateLimit(db, caller.tokenId, caller.rateLimitPerMinute);
  const headers = rateHeaders(rate);
  if (!rate.allowed) {
    return { ok: false, response: apiError(429, `This token is over its limit of ${rate.limit} requests a minute. Retry after ${rate.resetSeconds} s.`, [], headers) };
  }
  if (!caller.scopes.includes(scope)) return { ok: false, response: apiError(403, `This token may not do this: it needs the ${scope} scope.`, [], headers) };
  return { ok: true, db, caller, headers };
}

function withHeaders(response: Response, headers: Record<string, string>): Response {
  for (const [name, value] of Object.entries(headers)) response.headers.set(name, value);
  return response;
}

/** GET of a list: `{ data, next_cursor }` (lib/api/reads). */
export function apiList(resource: ReadResource) {
  return async function GET(request: Request): Promise<Response> {
    const checked = await gate(request, resource.scope);
    if (!checked.ok) return checked.response;
    try {
      const page = await listRecords(checked.db, checked.caller, resource, new URL(request.url).searchParams);
      return Response.json(page, { headers: checked.headers });
    } catch (error) {
      return withHeaders(readErrorResponse(error, resource.path), checked.headers);
    }
  };
}

/** GET of one record: `{ data }`, or 404 for a missing record and one outside the token's reach alike. */
export function apiRead(resource: ReadResource) {
  return async function GET(request: Request, context: { params: Promise<{ id: string }> }): Promise<Response> {
    const checked = await gate(request, resource.scope);
    if (!checked.ok) return checked.response;
    try {
      const { id } = await context.params;
      const record = await readRecord(checked.db, checked.caller, resource, decodedId(id), new URL(request.url).searchParams);
      if (!record) return apiError(404, "No such record (or it is outside what this token may read).", [], checked.headers);
      return Response.json({ data: record }, { headers: checked.headers });
    } catch (error) {
      return withHeaders(readErrorResponse(error, `${resource.path}/{id}`), checked.headers);
    }
  };
}

/** A key of several columns arrives as "a:b:c"; a client may send its ":" percent-encoded. */
function decodedId(id: string): string {
  try {
    return id.includes("%") ? decodeURIComponent(id) : id;
  } catch {
    return id;
  }
}

/**
 * PATCH or DELETE of one record (lib/api/mutations.ts): JSON body checked by its schema (PATCH),
 * then one transaction; a refusal writes nothing.
 */
export function apiMutate(mutation: Mutation) {
  return async function MUTATE(request: Request, context: { params: Promise<{ id: string }> }): Promise<Response> {
    const checked = await gate(request, mutation.scope);
    if (!checked.ok) return checked.response;
    const { id } = await context.params;
    let body: unknown = undefined;
    if (mutation.body) {
      const text = await request.text();
      if (Buffer.byteLength(text) > 64 * 1024) return apiError(413, "The request body is over 64 KB.", [], checked.headers);
      try {
        body = JSON.parse(text);
      } catch {
        return apiError(400, "The request body is not valid JSON.", [], checked.headers);
      }
      const parsed = mutation.body.safeParse(body);
      if (!parsed.success) return apiError(422, "Check the listed fields; nothing was written.", zodIssues(parsed.error), checked.headers);
      body = parsed.data;
    }
    // A record keyed by several columns (a campaign send) takes their uuids joined by ":".
    const key = decodedId(id);
    const parts = key.split(":");
    if (parts.length !== (mutation.idParts ?? 1) || !parts.every((part) => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(part))) {
      return apiError(404, "No such record (or it is outside what this token may change).", [], checked.headers);
    }
    try {
      const data = await checked.db.transaction((tx) => mutation.run({ db: tx, viewer: checked.caller.viewer }, key, body as never));
      return Response.json({ data }, { headers: checked.headers });
    } catch (error) {
      return withHeaders(errorResponse(error, `${mutation.method} ${mutation.path}`), checked.headers);
    }
  };
}

function readErrorResponse(error: unknown, route: string): Response {
  if (error instanceof IngestError) return apiError(error.status, error.message, error.issues, {}, error.extra);
  if (isDatabaseUnavailableError(error)) return apiError(503, "The database connection was lost (restarting?). Retry in a moment.", [], { "Retry-After": "2" });
  const code = (error as { code?: string }).code ?? (error as { cause?: { code?: string } }).cause?.code;
  if (code?.startsWith("22")) return apiError(400, "A filter value is out of range for the database (a date too far away?).");
  console.error(`[api GET ${route}]`, error);
  return apiError(500, "Something went wrong reading this list. Try again.");
}

/**
 * The POST handler of one /api/v1 endpoint: bearer token and scope, body size, JSON, the zod
 * schema (422 with field paths), then ONE transaction for the whole batch, with the idempotency
 * key claimed inside it, so a refused or failed request writes nothing (its key included) and a
 * replay returns the stored answer without writing. The same key with a different body is a 422.
 */
export function apiPost(endpoint: Endpoint) {
  return async function POST(request: Request): Promise<Response> {
    // /api/v1 bypasses the proxy: answer "database down" here, and for failures before the transaction.
    if (databaseIsDown()) return unavailableResponse("/api/v1");
    try {
      const checked = await gate(request, endpoint.scope);
      if (!checked.ok) return checked.response;
      return withHeaders(await post(request, endpoint, checked.db, checked.caller), checked.headers);
    } catch (error) {
      return errorResponse(error, endpoint.path);
    }
  };
}

async function post(request: Request, endpoint: Endpoint, db: Executor, caller: TokenCaller): Promise<Response> {
  const length = Number(request.headers.get("content-length") ?? 0);
  if (length > MAX_BODY_BYTES) return apiError(413, `The request body is over ${MAX_BODY_BYTES / 1024 / 1024} MB: send smaller batches.`);
  const text = await request.text();
  if (Buffer.byteLength(text) > MAX_BODY_BYTES) return apiError(413, `The request body is over ${MAX_BODY_BYTES / 1024 / 1024} MB: send smaller batches.`);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return apiError(400, "The request body is not valid JSON.");
  }
  const parsed = endpoint.body.safeParse(json);
  if (!parsed.success) return apiError(422, "Check the listed fields; nothing was written.", zodIssues(parsed.error));

  const key = request.headers.get("idempotency-key");
  if (key !== null && !IDEMPOTENCY_KEY.test(key)) {
    return apiError(400, "The Idempotency-Key header must be 1 to 200 visible ASCII characters.", [{ path: ["Idempotency-Key"], message: "Use 1 to 200 visible ASCII characters." }]);
  }
  const requestHash = createHash("sha256").update(`${endpoint.path}\n${text}`).digest("hex");

  try {
    const outcome = await db.transaction(async (tx) => {
      if (key !== null) {
        const previous = await claimKey(tx, caller, key, endpoint.path, requestHash);
        if (previous) return { replayed: true as const, ...previous };
      }
      const result = await endpoint.run({ db: tx, viewer: caller.viewer }, parsed.data);
      const response = { data: result };
      if (key !== null) {
        await tx.execute(sql`update api_idempotency_keys set status = 200, response = ${JSON.stringify(response)}::jsonb
          where token_id = ${caller.tokenId} and key = ${key}`);
      }
      return { replayed: false as const, status: 200, response };
    });
    if (Date.now() - lastPurge > PURGE_EVERY_MS) {
      lastPurge = Date.now();
      await purgeExpiredIdempotencyKeys(db).catch((error) => console.error("[api] purging expired idempotency keys:", error));
    }
    return Response.json(outcome.response, { status: outcome.status, headers: outcome.replayed ? { "Idempotent-Replayed": "true" } : {} });
  } catch (error) {
    return errorResponse(error, endpoint.path);
  }
}

/**
 * Claims the key for this request, or returns the stored answer of the request that used it. A
 * concurrent request with the same key waits on the key's row until the first one commits.
 */
async function claimKey(tx: Executor, caller: TokenCaller, key: string, route: string, requestHash: string): Promise<Stored | null> {
  // A key older than the retention period is free again (claimed anew, as if never seen).
  const claimed = await tx.execute(sql`
    insert into api_idempotency_keys (token_id, key, route, request_hash, status, response)
    values (${caller.tokenId}, ${key}, ${route}, ${requestHash}, 0, 'null'::jsonb)
    on conflict (token_id, key) do update set route = excluded.route, request_hash = excluded.request_hash,
      status = 0, response = 'null'::jsonb, created_at = now()
      where api_idempotency_keys.created_at < now() - ${IDEMPOTENCY_RETENTION}::interval
    returning 1 as one`);
  if ((claimed as unknown as { rows: unknown[] }).rows.length) return null;
  const found = await tx.execute(sql`select route, request_hash, status, response from api_idempotency_keys where token_id = ${caller.tokenId} and key = ${key}`);
  const row = (found as unknown as { rows: { route: string; request_hash: string; status: number; response: unknown }[] }).rows[0];
  if (!row || row.route !== route || row.request_hash !== requestHash) {
    throw new IngestError(422, "This Idempotency-Key was already used for a different request: use a new key for a new batch.", [
      { path: ["Idempotency-Key"], message: "Already used with a different body or endpoint." },
    ]);
  }
  return { status: Number(row.status), response: row.response };
}

function errorResponse(error: unknown, route: string): Response {
  if (error instanceof IngestError) return apiError(error.status, error.message, error.issues, {}, error.extra);
  // The transaction never committed (or never began): nothing was written.
  if (isDatabaseUnavailableError(error)) {
    return apiError(503, "The database connection was lost (restarting?). Retry with the same Idempotency-Key: a batch that was written replays its answer, one that was not is written once.", [], { "Retry-After": "2" });
  }
  const code = (error as { code?: string }).code ?? (error as { cause?: { code?: string } }).cause?.code;
  if (code === "40P01" || code === "40001") {
    return apiError(503, "The database was busy with a conflicting write; nothing was written. Retry the request.", [], { "Retry-After": "1" });
  }
  if (code === "23505") return apiError(409, "A concurrent request wrote the same record; nothing was written. Retry the request.");
  if (code?.startsWith("22")) return apiError(422, "A value is out of range for the database (a date or number too large?); nothing was written.");
  console.error(`[api ${route}]`, error);
  return apiError(500, "Something went wrong; nothing was written. Try again.");
}
