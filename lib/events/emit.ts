import "server-only";
import type { Executor } from "@/db/client";
import { domainEvents } from "@/db/schema";
import { EVENT_CONSUMERS } from "./consumers";
import type { DomainEvent, NewDomainEvent } from "./types";

/**
 * Records events in the caller's transaction and hands them to every consumer in that same
 * transaction (lib/events/consumers.ts). Consumers only write rows (a delivery to send, a
 * notification to show); anything slow or remote happens later in a background worker
 * (lib/background), so emitting never waits on the network and never fails the write for it.
 */
export async function emitEvents(db: Executor, events: NewDomainEvent[]): Promise<DomainEvent[]> {
  if (!events.length) return [];
  const rows = await db
    .insert(domainEvents)
    .values(events.map((e) => ({ type: e.type, accountId: e.accountId, actorId: e.actorId, data: e.data as Record<string, unknown>, occurredAt: e.occurredAt ?? new Date() })))
    .returning({ id: domainEvents.id, occurredAt: domainEvents.occurredAt });
  const emitted = events.map((e, i) => ({ ...e, id: rows[i].id, occurredAt: rows[i].occurredAt }) as DomainEvent);
  for (const consume of EVENT_CONSUMERS) await consume(db, emitted);
  return emitted;
}

export async function emitEvent(db: Executor, event: NewDomainEvent): Promise<DomainEvent> {
  return (await emitEvents(db, [event]))[0];
}
