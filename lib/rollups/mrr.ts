import { sql, type SQL } from "drizzle-orm";
import { attributeNumberSql } from "./sql";

/*
 * The ONE rule for an account's effective MRR, used by the full rebuild, the incremental upkeep
 * (lib/rollups/own-figures.ts), the revenue widget (lib/dal/revenue.ts) and "explain this number":
 * - the override is the value of the `mrr_override` attribute of the account's own type, when its
 *   definition is live (not deleted) and the value stands for a number: a JSON number, or a string
 *   holding a plain decimal such as "2500" or "12.50" (the rule of attributeNumberSql); rounded to
 *   cents, as contract MRR is stored;
 * - else the sum of the account's active, non-excluded contracts;
 * - else 0.
 */

export const MRR_OVERRIDE_KEY = "mrr_override";

/** The account's MRR override as numeric(…, 2), or null when it has none that counts. */
export function mrrOverrideSql(accountId: SQL): SQL {
  // Aliases of their own: the caller's query may call its accounts `a` and pass `a.id`.
  return sql`(select round(${attributeNumberSql(sql`mrr_v.value`)}, 2) from attribute_values mrr_v
      join attribute_definitions mrr_d on mrr_d.id = mrr_v.attribute_id and mrr_d.deleted_at is null
      join accounts mrr_a on mrr_a.id = mrr_v.account_id and mrr_a.type_id = mrr_d.account_type_id
    where mrr_v.account_id = ${accountId} and mrr_d.key = ${MRR_OVERRIDE_KEY}
    limit 1)`;
}

/** Sum of MRR over the account's active, non-excluded contracts (null when it has none). */
export function contractMrrSql(accountId: SQL): SQL {
  return sql`(select sum(mrr_c.mrr) from contracts mrr_c where mrr_c.account_id = ${accountId} and mrr_c.active and not mrr_c.excluded)`;
}

/** Effective MRR of one account: the override when it counts, else its contracts, else 0. */
export function effectiveMrrSql(accountId: SQL): SQL {
  return sql`coalesce(${mrrOverrideSql(accountId)}, ${contractMrrSql(accountId)}, 0)`;
}
