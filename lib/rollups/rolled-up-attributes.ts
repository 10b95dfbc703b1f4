import "server-only";
import { cache } from "react";
import { sql } from "drizzle-orm";
import { canSeePrivileged, type AccountSummary } from "@/lib/dal/accounts";
import type { Ctx } from "@/lib/dal/viewer";
import { rolledUpValue, type RollupRule } from "./attributes";
import { n, rows } from "./explain-parts";

export type RolledUpAttribute = {
  key: string;
  label: string;
  dataType: string;
  rule: RollupRule;
  sourceKey: string;
  /** The rollup over every account strictly below (null when none has a value). */
  value: number | null;
  /** How many accounts below carry a value of the source attribute. */
  accountsWithValue: number;
};

/**
 * The rolled-up attributes of the account's type with their values, read from the account's own
 * `attribute_rollups` rows (one indexed query, any level). A rolled-up attribute's value IS its
 * rollup: a profile shows these instead of any stored `attribute_values` row for that definition,
 * marked as rolled up. Privileged definitions are left out unless the viewer may see them.
 */
export const rolledUpAttributes = cache(async function rolledUpAttributes(ctx: Ctx, account: AccountSummary): Promise<RolledUpAttribute[]> {
  const found = await rows<{
    key: string;
    label: string;
    data_type: string;
    rollup_rule: RollupRule;
    rollup_source_key: string;
    privileged: boolean;
    count_below: number | null;
    numbers_below: number | null;
    sum_below: string | null;
    min_below: string | null;
    max_below: string | null;
  }>(
    ctx,
    sql`select d.key, d.label, d.data_type, d.rollup_rule, d.rollup_source_key, d.privileged,
        r.count_below, r.numbers_below, r.sum_below, r.min_below, r.max_below
      from attribute_definitions d
      left join attribute_rollups r on r.account_id = ${account.id} and r.source_key = d.rollup_source_key
      where d.account_type_id = ${account.typeId} and d.deleted_at is null
        and d.rollup_rule <> 'none' and d.rollup_source_key is not null
      order by d.position, d.key`,
  );
  const privilegedOk = found.some((d) => d.privileged) ? await canSeePrivileged(ctx, account.id) : true;
  return found
    .filter((d) => !d.privileged || privilegedOk)
    .map((d) => ({
      key: d.key,
      label: d.label,
      dataType: d.data_type,
      rule: d.rollup_rule,
      sourceKey: d.rollup_source_key,
      accountsWithValue: n(d.count_below),
      value:
        d.count_below === null
          ? null
          : rolledUpValue(d.rollup_rule, {
              countBelow: n(d.count_below),
              numbersBelow: n(d.numbers_below),
              sumBelow: d.sum_below ?? 0,
              minBelow: d.min_below,
              maxBelow: d.max_below,
            }),
    }));
});
