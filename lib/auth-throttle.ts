import "server-only";
import { RateLimiterMemory, RateLimiterPostgres, RateLimiterRes, type RateLimiterAbstract } from "rate-limiter-flexible";
import { getDatabaseHandle } from "@/db";

/**
 * Sign-in throttling: failed attempts are counted per account (email) and per client address.
 * Past the limit, sign-in is refused, without checking the password, until the window ends.
 * A successful sign-in clears the account's count. On Postgres the counts live in the
 * `auth_throttle` table so every instance shares them; on PGlite (one process) in memory.
 */
export const THROTTLE = {
  /** Failed attempts per email before it is locked for the rest of the window. */
  perAccount: 5,
  /** Failed attempts per address (any email) in the window. */
  perAddress: 30,
  windowSeconds: 15 * 60,
};

type Limiters = { account: RateLimiterAbstract; address: RateLimiterAbstract };
const globalForThrottle = globalThis as typeof globalThis & { __c360Throttle?: Promise<Limiters> };

async function createLimiters(): Promise<Limiters> {
  const handle = await getDatabaseHandle();
  const make = (keyPrefix: string, points: number): RateLimiterAbstract => {
    const options = { keyPrefix, points, duration: THROTTLE.windowSeconds };
    if (handle.driver !== "pg") return new RateLimiterMemory(options);
    const pool = (handle.db as unknown as { $client: unknown }).$client;
    // The table comes from our migrations (db/schema/identity.ts authThrottle): no DDL at run time.
    return new RateLimiterPostgres({ ...options, storeClient: pool, storeType: "pool", tableName: "auth_throttle", tableCreated: true, clearExpiredByTimeout: false });
  };
  return { account: make("signin:account", THROTTLE.perAccount), address: make("signin:address", THROTTLE.perAddress) };
}

function limiters(): Promise<Limiters> {
  globalForThrottle.__c360Throttle ??= createLimiters().catch((error) => {
    globalForThrottle.__c360Throttle = undefined;
    throw error;
  });
  return globalForThrottle.__c360Throttle;
}

/**
 * The client address: the last X-Forwarded-For entry (added by the nearest proxy, or by Next
 * itself when nothing sits in front), else X-Real-IP. A client can forge the first entries, not
 * the one its own hop appended.
 */
export function clientAddress(headers: Headers | undefined): string {
  const forwarded = headers?.get("x-forwarded-for");
  const last = forwarded?.split(",").map((s) => s.trim()).filter(Boolean).pop();
  return (last || headers?.get("x-real-ip") || "unknown").slice(0, 100);
}

export type ThrottleState = { blocked: false } | { blocked: true; retryAfterSeconds: number };

/** Whether this email or address is locked out right now (nothing is counted). */
export async function checkSignIn(email: string, address: string): Promise<ThrottleState> {
  const { account, address: byAddress } = await limiters();
  const [a, b] = await Promise.all([account.get(email), byAddress.get(address)]);
  const over = [
    a && a.consumedPoints >= THROTTLE.perAccount ? a.msBeforeNext : 0,
    b && b.consumedPoints >= THROTTLE.perAddress ? b.msBeforeNext : 0,
  ];
  const wait = Math.max(...over);
  return wait > 0 ? { blocked: true, retryAfterSeconds: Math.ceil(wait / 1000) } : { blocked: false };
}

/** Counts one failed attempt against the email and the address. */
export async function recordFailure(email: string, address: string): Promise<void> {
  const { account, address: byAddress } = await limiters();
  const swallow = (error: unknown) => {
    // Over the limit: rate-limiter-flexible rejects with a RateLimiterRes; that is the point.
    if (!(error instanceof RateLimiterRes)) throw error;
  };
  await Promise.all([account.consume(email).catch(swallow), byAddress.consume(address).catch(swallow)]);
}

/** A successful sign-in clears the account's failures (not the address's). */
export async function recordSuccess(email: string): Promise<void> {
  const { account } = await limiters();
  await account.delete(email);
}

/** "Too many failed sign-ins…" with the wait in minutes. */
export function throttledMessage(retryAfterSeconds: number): string {
  const minutes = Math.max(1, Math.ceil(retryAfterSeconds / 60));
  return `Too many failed sign-ins. Wait ${minutes} minute${minutes === 1 ? "" : "s"} and try again.`;
}
