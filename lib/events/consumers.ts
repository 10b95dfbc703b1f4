import "server-only";
import type { Executor } from "@/db/client";
import type { DomainEvent } from "./types";
import { notifyFollowers } from "@/lib/notifications/fan-out";
// Webhooks (issue 17).
import { queueWebhookDeliveries } from "@/lib/webhooks/consumer";

export type EventConsumer = (db: Executor, events: DomainEvent[]) => Promise<void>;

/**
 * Who hears of each event, called in the emitting transaction. Each consumer lives with its
 * concept (webhooks, notifications) and is listed here, explicitly, so the order is plain.
 */
export const EVENT_CONSUMERS: EventConsumer[] = [
  // Followers' inboxes and mail (issue 18).
  notifyFollowers,
  // Webhooks (issue 17).
  queueWebhookDeliveries,
];
