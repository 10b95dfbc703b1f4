import "server-only";
import { and, count, desc, eq, gte, ilike, lt, or, sql, type SQL } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { auditLog, users } from "@/db/schema";
import { may } from "@/lib/auth/permissions";
import type { Ctx, Viewer } from "@/lib/dal/viewer";

/**
 * Writes one audit row; the only writer of audit_log. Call it inside the action's transaction (`ctx.db`
 * in `run` is the transaction), so the change and its record land together or not at all. The actor is
 * null for what the system does on nobody's behalf (a user created at first single sign-on).
 */
export async function recordAudit(
  db: Executor,
  actor: Pick<Viewer, "userId"> | null,
  entry: { action: string; targetType: string; targetId: string | null; before?: unknown; after?: unknown; details?: Record<string, unknown> },
): Promise<void> {
  const details: Record<string, unknown> = { ...entry.details };
  if (entry.before !== undefined) details.before = entry.before;
  if (entry.after !== undefined) details.after = entry.after;
  await db.insert(auditLog).values({ actorId: actor?.userId ?? null, action: entry.action, targetType: entry.targetType, targetId: entry.targetId, details });
}

export const AUDIT_PAGE_SIZE = 50;

export type AuditFilter = { action?: string; actorId?: string; q?: string; from?: string; to?: string; page?: number };
export type AuditEntry = {
  id: number;
  at: Date;
  actorId: string | null;
  actorName: string | null;
  action: string;
  targetType: string;
  targetId: string | null;
  details: unknown;
};

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** The audit log, newest first, for admins only (anyone else gets nothing). */
export async function listAudit(ctx: Ctx, filter: AuditFilter): Promise<{ entries: AuditEntry[]; total: number; page: number; pages: number; actions: string[] }> {
  if (!may(ctx.viewer, "audit.read")) return { entries: [], total: 0, page: 1, pages: 1, actions: [] };
  const where: SQL[] = [];
  if (filter.action) where.push(eq(auditLog.action, filter.action));
  if (filter.actorId && UUID.test(filter.actorId)) where.push(eq(auditLog.actorId, filter.actorId));
  if (filter.from && DAY.test(filter.from) && !Number.isNaN(Date.parse(filter.from))) where.push(gte(auditLog.at, new Date(`${filter.from}T00:00:00Z`)));
  if (filter.to && DAY.test(filter.to) && !Number.isNaN(Date.parse(filter.to))) where.push(lt(auditLog.at, new Date(Date.parse(`${filter.to}T00:00:00Z`) + 86_400_000)));
  const q = filter.q?.trim().slice(0, 200);
  if (q) {
    const like = `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    where.push(or(ilike(auditLog.targetId, like), ilike(sql`${auditLog.details}::text`, like), ilike(users.name, like))!);
  }
  const condition = where.length ? and(...where) : undefined;
  const [[{ total }], actionRows] = await Promise.all([
    ctx.db.select({ total: count() }).from(auditLog).leftJoin(users, eq(users.id, auditLog.actorId)).where(condition),
    ctx.db.selectDistinct({ action: auditLog.action }).from(auditLog).orderBy(auditLog.action),
  ]);
  const pages = Math.max(1, Math.ceil(Number(total) / AUDIT_PAGE_SIZE));
  const page = Math.min(Math.max(1, Math.floor(filter.page ?? 1) || 1), pages);
  const entries = await ctx.db
    .select({
      id: auditLog.id,
      at: auditLog.at,
      actorId: auditLog.actorId,
      actorName: users.name,
      action: auditLog.action,
      targetType: auditLog.targetType,
      targetId: auditLog.targetId,
      details: auditLog.details,
    })
    .from(auditLog)
    .leftJoin(users, eq(users.id, auditLog.actorId))
    .where(condition)
    .orderBy(desc(auditLog.at), desc(auditLog.id))
    .limit(AUDIT_PAGE_SIZE)
    .offset((page - 1) * AUDIT_PAGE_SIZE);
  return { entries, total: Number(total), page, pages, actions: actionRows.map((r) => r.action) };
}
