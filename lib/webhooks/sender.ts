import "server-only";
import http from "node:http";
import https from "node:https";
import { sql } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { recordAudit } from "@/lib/admin/audit";
import { env } from "@/lib/env";
import { allowedHosts, guardedLookup, sendableUrl } from "./address";
import { DELIVERY_HEADER, EVENT_HEADER, SIGNATURE_HEADER, signatureHeader } from "./signature";

/** Deliveries one run claims (and sends concurrently). */
export const SEND_BATCH = 20;
/** A claimed attempt must finish within this; after it, another run may claim it again (a crash). */
export const LEASE_SECONDS = 60;
export const REQUEST_TIMEOUT_MS = 10_000;
/** A delivery is given up after this many attempts (about a day with the default 30 s base). */
export const MAX_ATTEMPTS = 12;
export const MAX_BACKOFF_SECONDS = 6 * 3600;
/** Failed attempts in a row (any delivery) after which the endpoint is turned off. */
export const DISABLE_AFTER_FAILURES = 15;
const SNIPPET_CHARS = 500;

type Claimed = { id: string; endpoint_id: string; event_type: string; payload: Record<string, unknown>; attempts: number; url: string; secret: string; previous_secret: string | null; previous_valid: boolean };
type Outcome = { ok: boolean; statusCode: number | null; snippet: string | null; error: string | null; durationMs: number };

/** The delay before attempt n+1 after n failed ones: base × 2^(n−1), capped. */
export function backoffSeconds(attempts: number, base = env().WEBHOOK_RETRY_BASE_SECONDS): number {
  return Math.min(MAX_BACKOFF_SECONDS, base * 2 ** Math.max(0, attempts - 1));
}

async function rowsOf<T>(db: Executor, query: ReturnType<typeof sql>): Promise<T[]> {
  return ((await db.execute(query)) as unknown as { rows: T[] }).rows;
}

/**
 * One run of the sender: claims due deliveries of enabled endpoints (`for update skip locked`, so
 * every instance may run it; the claim commits first and sets a lease, so an attempt cut off by a
 * crash is claimed again when the lease ends), sends them, and records each outcome. Resolves to
 * true when a full batch was claimed (more may be waiting).
 */
export async function runWebhookSender(db: Executor, options: { limit?: number; allowed?: Set<string> } = {}): Promise<boolean> {
  const limit = options.limit ?? SEND_BATCH;
  const claimed = await rowsOf<Claimed>(
    db,
    sql`with due as (
          select d.id from webhook_deliveries d join webhook_endpoints e on e.id = d.endpoint_id
          where d.status = 'pending' and d.next_attempt_at <= now() and (d.lease_until is null or d.lease_until < now())
            and e.disabled_at is null
          order by d.next_attempt_at limit ${limit}
          for update of d skip locked)
        update webhook_deliveries d set attempts = d.attempts + 1, lease_until = now() + ${`${LEASE_SECONDS} seconds`}::interval, last_attempt_at = now()
        from due, webhook_endpoints e
        where d.id = due.id and e.id = d.endpoint_id
        returning d.id, d.endpoint_id, d.event_type, d.payload, d.attempts, e.url, e.secret, e.previous_secret,
          coalesce(e.previous_secret_expires_at > now(), false) as previous_valid`,
  );
  if (!claimed.length) return false;
  const allowed = options.allowed ?? allowedHosts();
  await Promise.all(
    claimed.map(async (delivery) => {
      const outcome = await send(delivery, allowed);
      await record(db, delivery, outcome).catch((error) => console.error(`[webhooks] recording delivery ${delivery.id}`, error));
    }),
  );
  return claimed.length === limit;
}

async function send(delivery: Claimed, allowed: Set<string>): Promise<Outcome> {
  const started = performance.now();
  const refused = sendableUrl(delivery.url, allowed);
  if (refused) return { ok: false, statusCode: null, snippet: null, error: refused, durationMs: 0 };
  const body = JSON.stringify({ deliveryId: delivery.id, ...delivery.payload });
  const secrets = delivery.previous_valid && delivery.previous_secret ? [delivery.secret, delivery.previous_secret] : [delivery.secret];
  const url = new URL(delivery.url);
  const transport = url.protocol === "https:" ? https : http;
  return new Promise<Outcome>((resolve) => {
    const done = (o: Omit<Outcome, "durationMs">) => resolve({ ...o, durationMs: Math.round(performance.now() - started) });
    const request = transport.request(
      url,
      {
        method: "POST",
        lookup: guardedLookup(allowed) as never,
        timeout: REQUEST_TIMEOUT_MS,
        headers: {
          "Content-Type": "application/json",
          "User-Agent": "Customer360-Webhooks/1",
          "Content-Length": Buffer.byteLength(body),
          [SIGNATURE_HEADER]: signatureHeader(secrets, Math.floor(Date.now() / 1000), body),
          [DELIVERY_HEADER]: delivery.id,
          [EVENT_HEADER]: delivery.event_type,
        },
      },
      (response) => {
        let snippet = "";
        response.setEncoding("utf8");
        response.on("data", (chunk: string) => {
          if (snippet.length < SNIPPET_CHARS) snippet += chunk;
        });
        const finish = () => {
          const status = response.statusCode ?? 0;
          done({ ok: status >= 200 && status < 300, statusCode: status, snippet: snippet.slice(0, SNIPPET_CHARS), error: null });
        };
        response.on("end", finish);
        response.on("error", finish);
      },
    );
    request.on("timeout", () => request.destroy(new Error(`no answer within ${REQUEST_TIMEOUT_MS / 1000} s`)));
    request.on("error", (error) => done({ ok: false, statusCode: null, snippet: null, error: error.message.slice(0, SNIPPET_CHARS) }));
    request.end(body);
  });
}

async function record(db: Executor, delivery: Claimed, outcome: Outcome): Promise<void> {
  await db.transaction(async (tx) => {
    await tx.execute(sql`insert into webhook_attempts (delivery_id, status_code, response_snippet, error, duration_ms, ok)
      values (${delivery.id}, ${outcome.statusCode}, ${outcome.snippet}, ${outcome.error}, ${outcome.durationMs}, ${outcome.ok})`);
    // Only while the claim is still this run's (a slower run past its lease must not overwrite a newer attempt).
    const mine = sql`id = ${delivery.id} and attempts = ${delivery.attempts} and status = 'pending'`;
    if (outcome.ok) {
      await tx.execute(sql`update webhook_deliveries set status = 'delivered', delivered_at = now(), lease_until = null,
        last_status_code = ${outcome.statusCode}, last_response = ${outcome.snippet}, last_error = null where ${mine}`);
      await tx.execute(sql`update webhook_endpoints set consecutive_failures = 0 where id = ${delivery.endpoint_id} and consecutive_failures <> 0`);
      return;
    }
    const giveUp = delivery.attempts >= MAX_ATTEMPTS;
    await tx.execute(sql`update webhook_deliveries set lease_until = null, last_status_code = ${outcome.statusCode},
        last_response = ${outcome.snippet}, last_error = ${outcome.error},
        status = ${giveUp ? "failed" : "pending"},
        next_attempt_at = now() + ${`${backoffSeconds(delivery.attempts)} seconds`}::interval
      where ${mine}`);
    const [endpoint] = await rowsOf<{ failures: number; disabled: boolean }>(
      tx,
      sql`update webhook_endpoints set consecutive_failures = consecutive_failures + 1,
            disabled_at = case when disabled_at is null and consecutive_failures + 1 >= ${DISABLE_AFTER_FAILURES} then now() else disabled_at end,
            disabled_reason = case when disabled_at is null and consecutive_failures + 1 >= ${DISABLE_AFTER_FAILURES} then 'failures' else disabled_reason end
          where id = ${delivery.endpoint_id}
          returning consecutive_failures as failures, (disabled_reason = 'failures' and consecutive_failures = ${DISABLE_AFTER_FAILURES}) as disabled`,
    );
    if (endpoint?.disabled) {
      await recordAudit(tx, null, {
        action: "webhook.auto_disable",
        targetType: "webhook",
        targetId: delivery.endpoint_id,
        details: { url: delivery.url, failures: endpoint.failures, lastError: outcome.error ?? `HTTP ${outcome.statusCode}` },
      });
    }
  });
}
