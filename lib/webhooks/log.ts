import "server-only";
import { sql } from "drizzle-orm";
import { assertMay } from "@/lib/actions/define";
import type { Ctx } from "@/lib/dal/viewer";

export type DeliveryLogEntry = {
  id: string;
  endpointId: string;
  url: string;
  eventType: string;
  status: "pending" | "delivered" | "failed";
  attempts: number;
  createdAt: Date;
  nextAttemptAt: Date;
  lastStatusCode: number | null;
  lastResponse: string | null;
  lastError: string | null;
  recent: { at: Date; statusCode: number | null; error: string | null; ok: boolean; durationMs: number }[];
};

/** The newest deliveries (all endpoints), each with its last three attempts: two indexed queries. */
export async function recentDeliveries(ctx: Ctx, limit = 50): Promise<DeliveryLogEntry[]> {
  assertMay(ctx, "webhooks.manage");
  const result = await ctx.db.execute<{
    id: string; endpoint_id: string; url: string; event_type: string; status: DeliveryLogEntry["status"]; attempts: number; created_at: string;
    next_attempt_at: string; last_status_code: number | null; last_response: string | null; last_error: string | null;
    recent: { at: string; status_code: number | null; error: string | null; ok: boolean; duration_ms: number }[] | null;
  }>(sql`
    select d.id, d.endpoint_id, e.url, d.event_type, d.status, d.attempts, d.created_at, d.next_attempt_at,
      d.last_status_code, d.last_response, d.last_error,
      (select json_agg(json_build_object('at', a.attempted_at, 'status_code', a.status_code, 'error', a.error, 'ok', a.ok, 'duration_ms', a.duration_ms) order by a.attempted_at desc)
         from (select * from webhook_attempts a where a.delivery_id = d.id order by a.attempted_at desc limit 3) a) as recent
    from webhook_deliveries d join webhook_endpoints e on e.id = d.endpoint_id
    order by d.created_at desc, d.id limit ${limit}`);
  return result.rows.map((r) => ({
    id: r.id,
    endpointId: r.endpoint_id,
    url: r.url,
    eventType: r.event_type,
    status: r.status,
    attempts: Number(r.attempts),
    createdAt: new Date(r.created_at),
    nextAttemptAt: new Date(r.next_attempt_at),
    lastStatusCode: r.last_status_code,
    lastResponse: r.last_response,
    lastError: r.last_error,
    recent: (r.recent ?? []).map((a) => ({ at: new Date(a.at), statusCode: a.status_code, error: a.error, ok: a.ok, durationMs: a.duration_ms })),
  }));
}
