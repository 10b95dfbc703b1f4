import "server-only";
import { isNull, sql } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { webhookDeliveries, webhookEndpoints } from "@/db/schema";
import { env } from "@/lib/env";
import type { DomainEvent } from "@/lib/events/types";

/** The app's base URL for links in payloads: PUBLIC_URL, else AUTH_URL's origin, else none (paths only). */
export function appBase(): string {
  const e = env();
  if (e.PUBLIC_URL) return e.PUBLIC_URL.replace(/\/+$/, "");
  if (e.AUTH_URL) return new URL(e.AUTH_URL).origin;
  return "";
}

/** The body a receiver gets for one event: fixed when the event happens, identical on every retry. */
export function webhookPayload(event: DomainEvent, base: string): Record<string, unknown> {
  return {
    id: `evt_${event.id}`,
    type: event.type,
    occurredAt: event.occurredAt.toISOString(),
    account: event.accountId ? { id: event.accountId, url: `${base}/accounts/${event.accountId}` } : null,
    actorId: event.actorId,
    data: event.data,
  };
}

/**
 * The webhooks consumer (listed in lib/events/consumers.ts): one delivery row per subscribed,
 * enabled endpoint and event, in the emitting transaction, so a delivery exists exactly when the
 * change does. Paused endpoints get nothing (they are paused, not queued). One small query when no
 * endpoint exists; the sending is the background worker's (lib/webhooks/sender.ts).
 */
export async function queueWebhookDeliveries(db: Executor, events: DomainEvent[]): Promise<void> {
  const endpoints = await db.select({ id: webhookEndpoints.id, eventTypes: webhookEndpoints.eventTypes }).from(webhookEndpoints).where(isNull(webhookEndpoints.disabledAt));
  if (!endpoints.length) return;
  const base = appBase();
  const rows = events.flatMap((event) =>
    endpoints
      .filter((e) => e.eventTypes.includes(event.type))
      .map((e) => ({ endpointId: e.id, eventId: event.id, eventType: event.type, payload: webhookPayload(event, base), nextAttemptAt: sql`now()` as unknown as Date })),
  );
  for (let i = 0; i < rows.length; i += 1000) await db.insert(webhookDeliveries).values(rows.slice(i, i + 1000));
}
