import "server-only";
import { sql } from "drizzle-orm";
import type { Executor } from "@/db/client";
import type { HealthRule, HealthSchemeDefinition, ParentScoring } from "@/db/schema/health";
import { rows } from "@/lib/rollups/sql";
import { healthRuleSchema } from "./rules";

export type LoadedScheme = HealthSchemeDefinition & { id: string; accountTypeId: string; name: string; version: number };

/** Every scheme with its current dimensions, keyed by account type. */
export async function loadSchemes(db: Executor): Promise<Map<string, LoadedScheme>> {
  const list = await rows<{
    id: string;
    account_type_id: string;
    name: string;
    version: number;
    poor_below: number;
    good_from: number;
    parent_scoring: ParentScoring;
    dims: { key: string; label: string; weight: number; rule: HealthRule }[] | null;
  }>(
    db,
    sql`select s.id, s.account_type_id, s.name, s.version, s.poor_below, s.good_from, s.parent_scoring,
          (select json_agg(json_build_object('key', d.key, 'label', d.label, 'weight', d.weight, 'rule', d.rule) order by d.position, d.key)
           from health_dimensions d where d.scheme_id = s.id) as dims
        from health_schemes s`,
  );
  return new Map(
    list.map((s) => [
      s.account_type_id,
      {
        id: s.id,
        accountTypeId: s.account_type_id,
        name: s.name,
        version: Number(s.version),
        poorBelow: Number(s.poor_below),
        goodFrom: Number(s.good_from),
        parentScoring: s.parent_scoring,
        // A rule that no longer validates (written by hand, an old kind) is left out rather than failing every score.
        dimensions: (s.dims ?? []).flatMap((d) => {
          const rule = healthRuleSchema.safeParse(d.rule);
          return rule.success ? [{ ...d, rule: rule.data, weight: Number(d.weight) }] : [];
        }),
      },
    ]),
  );
}
