/**
 * Every kind of domain event, with the shape of its `data`. Add a kind here before emitting it;
 * webhooks offer exactly these kinds to subscribe to, notifications decide who hears of which.
 */
export type DomainEventData = {
  "account.created": { name: string; typeKey: string; parentId: string | null };
  "account.updated": { changed: string[] };
  "account.moved": { fromParentId: string | null; toParentId: string | null };
  "account.archived": Record<string, never>;
  "health.band_changed": { from: "poor" | "average" | "good" | null; to: "poor" | "average" | "good"; score: number; dimensions: string[] };
  "stage.changed": { lifecycleId: string; fromStageId: string | null; toStageId: string; note?: string | null };
  "touchpoint.logged": { touchpointId: string; type: string; subject: string };
  "task.completed": { taskId: string; title: string };
  "asset.added": { assetId: string; name: string };
  "ticket.urgent": { ticketId: string; subject: string };
  "usage.dropped": { from: number; to: number; windowDays: number };
};

export type DomainEventType = keyof DomainEventData;

export const DOMAIN_EVENT_TYPES = [
  "account.created",
  "account.updated",
  "account.moved",
  "account.archived",
  "health.band_changed",
  "stage.changed",
  "touchpoint.logged",
  "task.completed",
  "asset.added",
  "ticket.urgent",
  "usage.dropped",
] as const satisfies readonly DomainEventType[];

export type NewDomainEvent = {
  [K in DomainEventType]: { type: K; accountId: string | null; actorId: string | null; data: DomainEventData[K]; occurredAt?: Date };
}[DomainEventType];

export type DomainEvent = NewDomainEvent & { id: number; occurredAt: Date };
