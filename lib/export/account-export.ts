import "server-only";
import { findAccount, type AccountSummary } from "@/lib/dal/accounts";
import { getContext } from "@/lib/dal/session";
import type { Ctx } from "@/lib/dal/viewer";
import { accountNotFound, readQuery, signInRequired } from "./response";

type Opened = { ok: true; ctx: Ctx; account: AccountSummary; params: Record<string, string> } | { ok: false; response: Response };

/**
 * The start of every per-account export: a session (401), an account the viewer may see (404 for a
 * forbidden one exactly as for a missing one, like the profile), and a query of known names (400).
 */
export async function openAccountExport(request: Request, id: string, allowed: readonly string[], repeatable: readonly string[] = []): Promise<Opened> {
  const ctx = await getContext();
  if (!ctx) return { ok: false, response: signInRequired() };
  const account = await findAccount(ctx, id);
  if (!account) return { ok: false, response: accountNotFound() };
  const query = readQuery(new URL(request.url), allowed, repeatable);
  if (!query.ok) return query;
  return { ok: true, ctx, account, params: query.params };
}

/** A `YYYY-MM-DD` that names a real day, or undefined. */
export function isoDay(value: string | undefined): string | undefined {
  if (!value || !/^\d{4}-\d{2}-\d{2}$/.test(value)) return undefined;
  const d = new Date(`${value}T00:00:00Z`);
  return Number.isNaN(d.getTime()) || d.toISOString().slice(0, 10) !== value ? undefined : value;
}
