import "server-only";
import { sql } from "drizzle-orm";
import { canSeePrivileged, type AccountSummary } from "@/lib/dal/accounts";
import { visibleAccount, type Ctx } from "@/lib/dal/viewer";
import { rolledUpValue, type RollupRule } from "./attributes";
import { archivedChildren, finish, n, outsideLine, plural, rows, type LeftOut, type RollupExplanation } from "./explain-parts";

type AttributeDefinitionRow = {
  id: string;
  key: string;
  label: string;
  data_type: string;
  rollup_rule: RollupRule;
  rollup_source_key: string;
  privileged: boolean;
  source_privileged: boolean;
};

type AttributeChildRow = {
  id: string;
  name: string;
  type_name: string;
  is_opportunity: boolean;
  visible: boolean;
  descendants: number | null;
  own_present: boolean | null;
  own_number: string | null;
  count_below: number | null;
  numbers_below: number | null;
  sum_below: string | null;
  min_below: string | null;
  max_below: string | null;
};

/** A rolled-up attribute of the account's type, by key. */
export async function explainAttribute(ctx: Ctx, account: AccountSummary, key: string): Promise<RollupExplanation | null> {
  const [definition] = await rows<AttributeDefinitionRow>(
    ctx,
    sql`select d.id, d.key, d.label, d.data_type, d.rollup_rule, d.rollup_source_key, d.privileged,
        exists (select 1 from attribute_definitions s where s.key = d.rollup_source_key and s.privileged
          and s.deleted_at is null and s.rollup_rule = 'none') as source_privileged
      from attribute_definitions d
      where d.account_type_id = ${account.typeId} and d.key = ${key} and d.deleted_at is null
        and d.rollup_rule <> 'none' and d.rollup_source_key is not null
      limit 1`,
  );
  if (!definition) return null;
  const privilegedOk = await canSeePrivileged(ctx, account.id);
  if (definition.privileged && !privilegedOk) return null;

  const sourceKey = definition.rollup_source_key;
  const [parentRows, children, archived, descendantRows] = await Promise.all([
    rows<{ count_below: number; numbers_below: number; sum_below: string; min_below: string | null; max_below: string | null }>(
      ctx,
      sql`select count_below, numbers_below, sum_below, min_below, max_below from attribute_rollups
        where account_id = ${account.id} and source_key = ${sourceKey}`,
    ),
    rows<AttributeChildRow>(
      ctx,
      sql`select a.id, a.name, t.name as type_name, t.is_opportunity,
          ${visibleAccount(ctx.viewer, sql`a.id`, sql`a.type_id`)} as visible,
          ar.descendants, r.own_present, r.own_number, r.count_below, r.numbers_below, r.sum_below, r.min_below, r.max_below
        from accounts a
        join account_types t on t.id = a.type_id
        left join account_rollups ar on ar.account_id = a.id
        left join attribute_rollups r on r.account_id = a.id and r.source_key = ${sourceKey}
        where a.parent_id = ${account.id} and a.archived_at is null`,
    ),
    archivedChildren(ctx, account.id),
    rows<{ descendants: number }>(ctx, sql`select descendants from account_rollups where account_id = ${account.id}`),
  ]);
  if (!descendantRows[0]) return null;
  const rule = definition.rollup_rule;
  const p = parentRows[0];
  const total = rolledUpValue(
    rule,
    p ? { countBelow: n(p.count_below), numbersBelow: n(p.numbers_below), sumBelow: p.sum_below, minBelow: p.min_below, maxBelow: p.max_below } : null,
  );
  // Each child's subtree, inclusive of the child itself.
  const part = (c: AttributeChildRow) => {
    const own = c.own_number === null ? null : Number(c.own_number);
    const extremes = [own, c.min_below === null ? null : Number(c.min_below), c.max_below === null ? null : Number(c.max_below)].filter(
      (v): v is number => v !== null,
    );
    return {
      count: (c.own_present ? 1 : 0) + n(c.count_below),
      numbers: (own === null ? 0 : 1) + n(c.numbers_below),
      sum: (own ?? 0) + n(c.sum_below),
      min: extremes.length ? Math.min(...extremes) : null,
      max: extremes.length ? Math.max(...extremes) : null,
    };
  };
  const additive = rule === "sum" || rule === "count" || rule === "avg";
  const valueOf = (c: AttributeChildRow): number | null => {
    const x = part(c);
    if (rule === "sum") return x.numbers ? x.sum : 0;
    if (rule === "count") return x.count;
    if (rule === "avg") return x.numbers;
    return rule === "min" ? x.min : x.max;
  };
  const baseValue = rule === "sum" ? n(p?.sum_below) : rule === "count" ? n(p?.count_below) : rule === "avg" ? n(p?.numbers_below) : (total ?? 0);
  const baseLabel = rule === "avg" ? "values averaged" : rule === "count" ? "accounts with a value" : definition.label;
  const leftOut: LeftOut[] = [];
  const showChild = (c: AttributeChildRow) => c.visible && (!definition.source_privileged || privilegedOk);
  const withValue = children.filter((c) => part(c).count > 0 && valueOf(c) !== null);
  const shown = withValue.filter(showChild);
  const folded = withValue.filter((c) => !showChild(c));
  const foldedVisible = folded.filter((c) => c.visible);
  const foldedHidden = folded.filter((c) => !c.visible);
  const fold = (list: AttributeChildRow[]) =>
    list.map((c) => ({ value: valueOf(c) ?? 0, accounts: 1 + n(c.descendants) }));
  const outside = outsideLine(fold(foldedHidden), (v) => (additive ? v.toLocaleString("en-US") : null));
  if (outside) {
    if (!additive) outside.value = null;
    leftOut.push(outside);
  }
  if (foldedVisible.length) {
    const accounts = foldedVisible.reduce((s, c) => s + 1 + n(c.descendants), 0);
    const value = additive ? foldedVisible.reduce((s, c) => s + (valueOf(c) ?? 0), 0) : null;
    leftOut.push({
      reason: "privileged",
      label: `${plural(accounts, "account")} whose ${definition.label} values are privileged`,
      accounts,
      value,
      inTotal: true,
    });
  }
  const missing = n(descendantRows[0].descendants) - n(p?.count_below);
  if (missing > 0) {
    leftOut.push({ reason: "no_value", label: `${plural(missing, "account")} below without a ${sourceKey} value`, accounts: missing, value: null, inTotal: false });
  }
  if (archived.children) {
    leftOut.push({
      reason: "archived",
      label: `${plural(archived.children, "archived sub-account")}: not counted`,
      accounts: archived.accounts,
      value: null,
      inTotal: false,
    });
  }
  return {
    metric: `attribute:${key}`,
    label: definition.label,
    format: definition.data_type === "currency" ? "currency" : rule === "avg" ? "decimal" : "number",
    total,
    base: baseValue,
    baseLabel,
    additive,
    own: null,
    contributions: finish(
      shown.map((c) => {
        const x = part(c);
        return {
          accountId: c.id,
          name: c.name,
          typeName: c.type_name,
          isOpportunity: c.is_opportunity,
          value: valueOf(c) ?? 0,
          detail: rule === "avg" && x.numbers ? `average ${Math.round((x.sum / x.numbers) * 100) / 100}` : null,
        };
      }),
      baseValue,
      additive,
      rule === "min",
    ),
    leftOut,
    descendants: n(descendantRows[0].descendants),
  };
}

