import "server-only";
import { sql } from "drizzle-orm";
import type { Executor } from "@/db/client";

/**
 * Rate limits of /api/v1, per token: fixed one-minute windows counted in `api_token_minutes`, one
 * upsert per request (about as cheap as the token lookup before it), shared by every instance
 * through Postgres like the sign-in throttle. A fixed window lets a client send up to twice its
 * limit across a minute boundary; that is the usual trade for one row per token and minute, which
 * also gives the admin page each token's recent use for free.
 */
export const DEFAULT_RATE_LIMIT = 600;
export const MAX_RATE_LIMIT = 1_000_000;
const KEEP = "1 day";
const PURGE_EVERY_MS = 10 * 60_000;
let lastPurge = 0;

export type RateState = { limit: number; remaining: number; resetSeconds: number; allowed: boolean };

/** Counts one request of the token and says whether it is within the limit. */
export async function hitRateLimit(db: Executor, tokenId: string, limit: number): Promise<RateState> {
  const result = await db.execute(sql`
    insert into api_token_minutes (token_id, minute, requests, refused)
    values (${tokenId}, date_trunc('minute', now()), 1, ${limit < 1 ? 1 : 0})
    on conflict (token_id, minute) do update set requests = api_token_minutes.requests + 1,
      refused = api_token_minutes.refused + (api_token_minutes.requests + 1 > ${limit})::int
    returning requests, ceil(extract(epoch from (minute + interval '1 minute' - clock_timestamp())))::int as reset`);
  const row = (result as unknown as { rows: { requests: number; reset: number }[] }).rows[0];
  const used = Number(row.requests);
  if (Date.now() - lastPurge > PURGE_EVERY_MS) {
    lastPurge = Date.now();
    await db.execute(sql`delete from api_token_minutes where minute < now() - ${KEEP}::interval`).catch((error) => console.error("[api] purging old rate windows:", error));
  }
  return { limit, remaining: Math.max(0, limit - used), resetSeconds: Math.max(1, Math.min(60, Number(row.reset))), allowed: used <= limit };
}

/** The RateLimit-* headers of an answer (IETF draft names, as GitHub and others send them). */
export function rateHeaders(state: RateState): Record<string, string> {
  const headers: Record<string, string> = {
    "RateLimit-Limit": String(state.limit),
    "RateLimit-Remaining": String(state.remaining),
    "RateLimit-Reset": String(state.resetSeconds),
  };
  if (!state.allowed) headers["Retry-After"] = String(state.resetSeconds);
  return headers;
}

export type TokenUse = { lastHour: number; lastDay: number; busiestMinute: number; refusedLastDay: number };

/** Each token's recent use, for the admin page (one indexed range read over the last day). */
export async function recentTokenUse(db: Executor): Promise<Map<string, TokenUse>> {
  const result = await db.execute(sql`
    select token_id,
      coalesce(sum(requests) filter (where minute > now() - interval '1 hour'), 0)::int as last_hour,
      sum(requests)::int as last_day,
      max(requests)::int as busiest,
      sum(refused)::int as refused
    from api_token_minutes where minute > now() - interval '1 day' group by token_id`);
  const rows = (result as unknown as { rows: { token_id: string; last_hour: number; last_day: number; busiest: number; refused: number }[] }).rows;
  return new Map(rows.map((r) => [r.token_id, { lastHour: Number(r.last_hour), lastDay: Number(r.last_day), busiestMinute: Number(r.busiest), refusedLastDay: Number(r.refused) }]));
}
