import "server-only";
import { sql } from "drizzle-orm";
import { z } from "zod";
import type { HealthSchemeDefinition } from "@/db/schema/health";
import { ActionError, type FieldErrors } from "@/lib/actions/define";
import { actionDefinition } from "@/lib/actions/definition";
import { idField } from "@/lib/actions/fields";
import { recordAudit } from "@/lib/admin/audit";
import { requires } from "@/lib/auth/permissions";
import type { Ctx } from "@/lib/dal/viewer";
import { rows } from "@/lib/rollups/sql";
import { markAccountsDirty, scoreAccounts } from "./engine";
import { schemeDefinitionSchema, type Band } from "./rules";
import { loadSchemes, type LoadedScheme } from "./schemes";
import { recomputeProgress, type RecomputeProgress } from "./worker";
import { today } from "./weeks";

/** Weeks a scheme change recomputes (the current one through the queue, the others in the background). */
export const RECOMPUTE_WEEKS = 26;
export const PREVIEW_ACCOUNTS = 20;

export type HealthSchemeAdmin = {
  accountTypeId: string;
  typeName: string;
  scheme: (LoadedScheme & { updatedAt: string }) | null;
  versions: { version: number; createdAt: string; createdBy: string | null }[];
  recompute: RecomputeProgress | null;
};

/** Every account type (opportunities have no health) with its scheme, versions and latest recompute. */
export async function listHealthSchemes(ctx: Ctx): Promise<HealthSchemeAdmin[]> {
  const [types, schemes, versions] = await Promise.all([
    rows<{ id: string; name: string }>(ctx.db, sql`select id, name from account_types where not is_opportunity order by level, name`),
    loadSchemes(ctx.db),
    rows<{ account_type_id: string; scheme_id: string; version: number; created_at: string; created_by: string | null; updated_at: string }>(
      ctx.db,
      sql`select s.account_type_id, v.scheme_id, v.version, v.created_at::text, u.name as created_by, s.updated_at::text
          from health_scheme_versions v join health_schemes s on s.id = v.scheme_id left join users u on u.id = v.created_by
          order by v.version desc`,
    ),
  ]);
  const progress = new Map<string, RecomputeProgress | null>();
  for (const s of schemes.values()) progress.set(s.id, await recomputeProgress(ctx.db, s.id));
  return types.map((t) => {
      const scheme = schemes.get(t.id) ?? null;
      const own = versions.filter((v) => v.account_type_id === t.id);
      return {
        accountTypeId: t.id,
        typeName: t.name,
        scheme: scheme ? { ...scheme, updatedAt: own[0]?.updated_at ?? "" } : null,
        versions: own.map((v) => ({ version: Number(v.version), createdAt: v.created_at, createdBy: v.created_by })),
      recompute: scheme ? (progress.get(scheme.id) ?? null) : null,
    };
  });
}

const input = z.object({
  accountTypeId: idField("Unknown account type."),
  definition: z.string({ error: "The scheme is missing." }).max(100_000, "The scheme is too large."),
});

/** The scheme JSON the form sends, checked; errors come back under their paths (`dimensions.0.rule.good`). */
function parseDefinition(text: string): HealthSchemeDefinition {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new ActionError("The scheme could not be read.", { definition: ["The scheme could not be read."] });
  }
  const parsed = schemeDefinitionSchema.safeParse(json);
  if (!parsed.success) {
    const fieldErrors: FieldErrors = {};
    for (const issue of parsed.error.issues) {
      const key = issue.path.join(".") || "definition";
      (fieldErrors[key] ??= []).push(issue.message);
    }
    throw new ActionError("Check the highlighted fields.", fieldErrors);
  }
  return parsed.data;
}

async function typeName(ctx: Ctx, accountTypeId: string): Promise<string> {
  const [type] = await rows<{ name: string; is_opportunity: boolean }>(ctx.db, sql`select name, is_opportunity from account_types where id = ${accountTypeId}::uuid`);
  if (!type || type.is_opportunity) throw new ActionError("Unknown account type.", { accountTypeId: ["Unknown account type."] });
  return type.name;
}

export type PreviewRow = { accountId: string; name: string; before: { score: number; band: Band } | null; after: { score: number; band: Band } | null };

/**
 * Old and new score and band of up to 20 real accounts of the type, side by side, scored now with
 * the stored scheme and with the edited one. Writes nothing.
 */
export const previewHealthScheme = actionDefinition({
  name: "previewHealthScheme",
  schema: input,
  authorize: requires("health.manage"),
  run: async (ctx, { accountTypeId, definition }): Promise<PreviewRow[]> => {
    await typeName(ctx, accountTypeId);
    const edited = parseDefinition(definition);
    const stored = await loadSchemes(ctx.db);
    const current = stored.get(accountTypeId);
    const accounts = await rows<{ id: string; name: string }>(
      ctx.db,
      sql`select id, name from accounts where type_id = ${accountTypeId}::uuid and archived_at is null order by name, id limit ${PREVIEW_ACCOUNTS}`,
    );
    const ids = accounts.map((a) => a.id);
    const day = today();
    const next = new Map(stored);
    next.set(accountTypeId, { ...(current ?? { id: "preview", accountTypeId, name: "", version: 0 }), ...edited, version: (current?.version ?? 0) + 1 });
    const before = current ? await scoreAccounts(ctx.db, ids, day, { schemes: stored }) : new Map<string, { score: number; band: Band }>();
    const after = await scoreAccounts(ctx.db, ids, day, { schemes: next });
    const pick = (s: { score: number; band: Band } | undefined) => (s ? { score: s.score, band: s.band } : null);
    return accounts.map((a) => ({ accountId: a.id, name: a.name, before: pick(before.get(a.id)), after: pick(after.get(a.id)) }));
  },
});

/**
 * Saves the scheme as a new version (every version is kept with its time and author), marks every
 * account of the type for re-scoring (the current week, within seconds) and queues the recompute
 * of the past weeks, whose progress the admin page shows.
 */
export const saveHealthScheme = actionDefinition({
  name: "saveHealthScheme",
  schema: input,
  authorize: requires("health.manage"),
  run: async (ctx, { accountTypeId, definition }) => {
    const name = await typeName(ctx, accountTypeId);
    const next = parseDefinition(definition);
    const [existing] = await rows<{ id: string; version: number }>(ctx.db, sql`select id, version from health_schemes where account_type_id = ${accountTypeId}::uuid for update`);
    const before = existing ? (await loadSchemes(ctx.db)).get(accountTypeId) : undefined;
    const version = existing ? Number(existing.version) + 1 : 1;
    const [scheme] = await rows<{ id: string }>(
      ctx.db,
      sql`insert into health_schemes (account_type_id, name, poor_below, good_from, parent_scoring, version, updated_at)
          values (${accountTypeId}::uuid, ${`${name} health`}, ${next.poorBelow}, ${next.goodFrom}, ${next.parentScoring}, ${version}, now())
          on conflict (account_type_id) do update set poor_below = excluded.poor_below, good_from = excluded.good_from,
            parent_scoring = excluded.parent_scoring, version = excluded.version, updated_at = now()
          returning id`,
    );
    await ctx.db.execute(sql`delete from health_dimensions where scheme_id = ${scheme.id}::uuid`);
    for (const [position, d] of next.dimensions.entries()) {
      await ctx.db.execute(sql`insert into health_dimensions (scheme_id, key, label, weight, rule, position)
        values (${scheme.id}::uuid, ${d.key}, ${d.label}, ${d.weight}, ${JSON.stringify(d.rule)}::jsonb, ${position})`);
    }
    await ctx.db.execute(sql`insert into health_scheme_versions (scheme_id, version, definition, created_by)
      values (${scheme.id}::uuid, ${version}, ${JSON.stringify(next)}::jsonb, ${ctx.viewer.userId}::uuid)`);
    const accounts = await markAccountsDirty(ctx.db, accountTypeId);
    await ctx.db.execute(sql`insert into health_recomputes (scheme_id, version, weeks, total)
      values (${scheme.id}::uuid, ${version}, ${RECOMPUTE_WEEKS}, ${accounts * (RECOMPUTE_WEEKS - 1)})`);
    const { id: _id, accountTypeId: _t, name: _n, version: _v, ...previous } = before ?? { id: "", accountTypeId: "", name: "", version: 0 };
    await recordAudit(ctx.db, ctx.viewer, { action: "health.scheme.save", targetType: "health_scheme", targetId: scheme.id, before: before ? previous : null, after: next, details: { version } });
    return { version, accounts, typeName: name };
  },
  revalidate: () => ["/admin/health"],
  message: (d) => `Saved version ${d.version} of the ${d.typeName} scheme; ${d.accounts} accounts are being re-scored.`,
});
