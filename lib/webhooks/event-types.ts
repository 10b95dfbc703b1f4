import type { DomainEventType } from "@/lib/events/types";

/** The events an endpoint may subscribe to, with the words the admin page shows. Plain data. */
export const WEBHOOK_EVENTS = [
  { type: "account.created", label: "Account created" },
  { type: "account.updated", label: "Account updated (renamed, attribute values)" },
  { type: "account.moved", label: "Account moved" },
  { type: "account.archived", label: "Account archived" },
  { type: "health.band_changed", label: "Health band changed" },
  { type: "stage.changed", label: "Lifecycle stage changed" },
  { type: "touchpoint.logged", label: "Touchpoint logged" },
  { type: "task.completed", label: "Task completed" },
  { type: "asset.added", label: "Asset added" },
] as const satisfies readonly { type: DomainEventType; label: string }[];

export type WebhookEventType = (typeof WEBHOOK_EVENTS)[number]["type"];
export const WEBHOOK_EVENT_TYPES = WEBHOOK_EVENTS.map((e) => e.type) as [WebhookEventType, ...WebhookEventType[]];
