import "server-only";
import { cache } from "react";
import { and, asc, desc, eq, gte, inArray, isNull, lt, sql } from "drizzle-orm";
import {
  accountGroupMembers,
  accountGroups,
  accountTags,
  attributeChanges,
  attributeDefinitions,
  attributeRollups,
  attributeValues,
  collectionRecords,
  collections,
  fieldGroups,
  tags,
  users,
  type CollectionColumn,
  type LayoutFieldGroup,
} from "@/db/schema";
import type { Executor } from "@/db/client";
import { may } from "@/lib/auth/permissions";
import { rolledUpValue, type RollupRule } from "@/lib/rollups/attributes";
import { canSeePrivileged, isEmptyValue, type AccountSummary } from "./accounts";
import type { Ctx } from "./viewer";

/** An attribute as the header shows it: its value, and whether the value is rolled up from below. */
export type HeaderAttribute = AttributeView & { rolledUp: boolean };

/** A live attribute definition of an account type, as every read of attributes needs it. */
export type AttributeDefinition = {
  id: string;
  key: string;
  label: string;
  dataType: string;
  options: string[] | null;
  keyInfo: boolean;
  privileged: boolean;
  rollupRule: RollupRule;
  rollupSourceKey: string | null;
};

/**
 * The live attribute definitions of an account type, in admin order: read once per request and
 * executor, and shared by the header, the in-place editor, rolled-up values and the write path.
 */
export const attributeDefinitionsOf = cache(async function attributeDefinitionsOf(db: Executor, accountTypeId: string): Promise<AttributeDefinition[]> {
  return db
    .select({
      id: attributeDefinitions.id,
      key: attributeDefinitions.key,
      label: attributeDefinitions.label,
      dataType: attributeDefinitions.dataType,
      options: attributeDefinitions.options,
      keyInfo: attributeDefinitions.keyInfo,
      privileged: attributeDefinitions.privileged,
      rollupRule: attributeDefinitions.rollupRule,
      rollupSourceKey: attributeDefinitions.rollupSourceKey,
    })
    .from(attributeDefinitions)
    .where(and(eq(attributeDefinitions.accountTypeId, accountTypeId), isNull(attributeDefinitions.deletedAt)))
    .orderBy(asc(attributeDefinitions.position), asc(attributeDefinitions.key));
});

export type AttributeView = {
  id: string;
  key: string;
  label: string;
  dataType: string;
  keyInfo: boolean;
  privileged: boolean;
  groupName: string | null;
  groupFeatured: boolean;
  value: unknown;
  version: number | null;
  updatedAt: Date | null;
};

/** Every attribute of the account's type the viewer may see, with its current value. */
export const attributesOf = cache(async function attributesOf(ctx: Ctx, account: AccountSummary): Promise<AttributeView[]> {
  const [privileged, rolled] = await Promise.all([canSeePrivileged(ctx, account.id), rolledUpAttributes(ctx, account)]);
  // A rolled-up attribute's value on a parent is its rollup over everything below (one row read).
  const rollupByKey = new Map(rolled.filter((r) => r.value !== null).map((r) => [r.key, r.value]));
  const rows = await ctx.db
    .select({
      id: attributeDefinitions.id,
      key: attributeDefinitions.key,
      label: attributeDefinitions.label,
      dataType: attributeDefinitions.dataType,
      keyInfo: attributeDefinitions.keyInfo,
      privileged: attributeDefinitions.privileged,
      groupName: fieldGroups.name,
      groupFeatured: sql<boolean>`coalesce(${fieldGroups.featured}, false)`,
      value: attributeValues.value,
      version: attributeValues.version,
      updatedAt: attributeValues.updatedAt,
    })
    .from(attributeDefinitions)
    .leftJoin(fieldGroups, eq(fieldGroups.id, attributeDefinitions.groupId))
    .leftJoin(
      attributeValues,
      and(eq(attributeValues.attributeId, attributeDefinitions.id), eq(attributeValues.accountId, account.id)),
    )
    .where(
      and(
        eq(attributeDefinitions.accountTypeId, account.typeId),
        isNull(attributeDefinitions.deletedAt),
        privileged ? undefined : eq(attributeDefinitions.privileged, false),
      ),
    )
    .orderBy(asc(fieldGroups.position), asc(attributeDefinitions.position));
  return rollupByKey.size ? rows.map((r) => (rollupByKey.has(r.key) ? { ...r, value: rollupByKey.get(r.key) } : r)) : rows;
});

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
  const definitions = (await attributeDefinitionsOf(ctx.db, account.typeId)).filter(
    (d): d is AttributeDefinition & { rollupSourceKey: string } => d.rollupRule !== "none" && d.rollupSourceKey !== null,
  );
  if (!definitions.length) return [];
  const privilegedOk = definitions.some((d) => d.privileged) ? await canSeePrivileged(ctx, account.id) : true;
  const shown = definitions.filter((d) => !d.privileged || privilegedOk);
  if (!shown.length) return [];
  const rollups = await ctx.db
    .select()
    .from(attributeRollups)
    .where(and(eq(attributeRollups.accountId, account.id), inArray(attributeRollups.sourceKey, [...new Set(shown.map((d) => d.rollupSourceKey))])));
  const bySource = new Map(rollups.map((r) => [r.sourceKey, r]));
  return shown.map((d) => {
    const rollup = bySource.get(d.rollupSourceKey);
    return {
      key: d.key,
      label: d.label,
      dataType: d.dataType,
      rule: d.rollupRule,
      sourceKey: d.rollupSourceKey,
      accountsWithValue: rollup?.countBelow ?? 0,
      value: rollup ? rolledUpValue(d.rollupRule, rollup) : null,
    };
  });
});

/** Every attribute the viewer may see, each marked when its value is rolled up from accounts below. */
export async function headerAttributes(ctx: Ctx, account: AccountSummary): Promise<HeaderAttribute[]> {
  const [attributes, definitions] = await Promise.all([attributesOf(ctx, account), attributeDefinitionsOf(ctx.db, account.typeId)]);
  const rolledUp = new Set(definitions.filter((d) => d.rollupRule !== "none").map((d) => d.id));
  return attributes.map((a) => ({ ...a, rolledUp: rolledUp.has(a.id) }));
}

/** Key Info: key-info attributes that have a value (empty ones never show there). */
export async function keyInfoOf(ctx: Ctx, account: AccountSummary): Promise<HeaderAttribute[]> {
  const attributes = await headerAttributes(ctx, account);
  return attributes.filter((a) => a.keyInfo && !isEmptyValue(a.value));
}

export type FieldGroup = { name: string; featured: boolean; attributes: HeaderAttribute[] };

/**
 * The "All" view: every visible attribute in its field group, featured groups first, optionally
 * narrowed by a search on label or key. Attributes without a group go to "Other".
 */
export async function fieldGroupsOf(
  ctx: Ctx,
  account: AccountSummary,
  q?: string,
  /** A layout's own field groups (attribute keys); unset: the account type's field groups. */
  layoutGroups?: LayoutFieldGroup[],
): Promise<{ groups: FieldGroup[]; total: number; matched: number; missing: string[] }> {
  const attributes = await headerAttributes(ctx, account);
  const needle = q?.trim().toLowerCase();
  const matching = needle ? attributes.filter((a) => a.label.toLowerCase().includes(needle) || a.key.toLowerCase().includes(needle)) : attributes;
  if (layoutGroups) {
    // Attributes the layout does not place go to "Other", under the full list.
    const known = new Set(attributes.map((a) => a.key));
    const byKey = new Map(matching.map((a) => [a.key, a]));
    const placed = new Set<string>();
    const groups: FieldGroup[] = [];
    for (const group of layoutGroups) {
      const members = group.attributes.filter((key) => !placed.has(key) && byKey.has(key)).map((key) => byKey.get(key)!);
      for (const m of members) placed.add(m.key);
      if (members.length) groups.push({ name: group.name, featured: group.featured, attributes: members });
    }
    const others = matching.filter((a) => !placed.has(a.key));
    if (others.length) groups.push({ name: "Other", featured: false, attributes: others });
    const missing = [...new Set(layoutGroups.flatMap((g) => g.attributes).filter((key) => !known.has(key)))];
    return { groups: groups.sort((a, b) => Number(b.featured) - Number(a.featured)), total: attributes.length, matched: matching.length, missing };
  }
  const groups = new Map<string, FieldGroup>();
  for (const attribute of matching) {
    const name = attribute.groupName ?? "Other";
    const group = groups.get(name) ?? { name, featured: attribute.groupFeatured, attributes: [] };
    group.attributes.push(attribute);
    groups.set(name, group);
  }
  // attributesOf already orders by group position; a stable sort keeps that order within each kind.
  const ordered = [...groups.values()].sort((a, b) => Number(b.featured) - Number(a.featured));
  return { groups: ordered, total: attributes.length, matched: matching.length, missing: [] };
}

/**
 * Key Info as a layout picks it: the named attributes, in that order, that have a value; unset or
 * empty: the account type's key-info attributes. `missing` names attributes that no longer exist
 * (or that this viewer may not see), for the admin notice.
 */
export async function keyInfoFor(ctx: Ctx, account: AccountSummary, keys: string[]): Promise<{ attributes: HeaderAttribute[]; missing: string[] }> {
  if (!keys.length) return { attributes: await keyInfoOf(ctx, account), missing: [] };
  const byKey = new Map((await headerAttributes(ctx, account)).map((a) => [a.key, a]));
  return {
    attributes: keys.map((k) => byKey.get(k)).filter((a): a is HeaderAttribute => Boolean(a) && !isEmptyValue(a!.value)),
    missing: keys.filter((k) => !byKey.has(k)),
  };
}

export type AttributeChange = {
  id: number;
  attributeKey: string;
  attributeLabel: string;
  dataType: string;
  privileged: boolean;
  oldValue: unknown;
  newValue: unknown;
  changedBy: string | null;
  source: string;
  changedAt: Date;
};

const changeColumns = {
  id: attributeChanges.id,
  attributeKey: attributeDefinitions.key,
  attributeLabel: attributeDefinitions.label,
  dataType: attributeDefinitions.dataType,
  privileged: attributeDefinitions.privileged,
  oldValue: attributeChanges.oldValue,
  newValue: attributeChanges.newValue,
  changedBy: users.name,
  source: attributeChanges.source,
  changedAt: attributeChanges.changedAt,
};

/**
 * Attribute changes of the account within [since, until), newest first. Changes of privileged
 * attributes are left out for viewers who may not see those attributes.
 */
export async function recentChanges(
  ctx: Ctx,
  account: AccountSummary,
  range: { since: Date; until: Date },
  limit = 200,
): Promise<AttributeChange[]> {
  const privileged = await canSeePrivileged(ctx, account.id);
  return ctx.db
    .select(changeColumns)
    .from(attributeChanges)
    .innerJoin(attributeDefinitions, eq(attributeDefinitions.id, attributeChanges.attributeId))
    .leftJoin(users, eq(users.id, attributeChanges.changedBy))
    .where(
      and(
        eq(attributeChanges.accountId, account.id),
        gte(attributeChanges.changedAt, range.since),
        lt(attributeChanges.changedAt, range.until),
        isNull(attributeDefinitions.deletedAt),
        privileged ? undefined : eq(attributeDefinitions.privileged, false),
      ),
    )
    .orderBy(desc(attributeChanges.changedAt), desc(attributeChanges.id))
    .limit(limit);
}

/**
 * The full change history of one attribute (by key) of the account, newest first; empty when the
 * key is unknown for this account type or the viewer may not see the attribute.
 */
export async function attributeHistory(ctx: Ctx, account: AccountSummary, key: string, limit = 500): Promise<AttributeChange[]> {
  const privileged = await canSeePrivileged(ctx, account.id);
  return ctx.db
    .select(changeColumns)
    .from(attributeChanges)
    .innerJoin(attributeDefinitions, eq(attributeDefinitions.id, attributeChanges.attributeId))
    .leftJoin(users, eq(users.id, attributeChanges.changedBy))
    .where(
      and(
        eq(attributeChanges.accountId, account.id),
        eq(attributeDefinitions.accountTypeId, account.typeId),
        eq(attributeDefinitions.key, key),
        isNull(attributeDefinitions.deletedAt),
        privileged ? undefined : eq(attributeDefinitions.privileged, false),
      ),
    )
    .orderBy(desc(attributeChanges.changedAt), desc(attributeChanges.id))
    .limit(limit);
}

export type AccountTag = { id: string; name: string; color: string | null };

export const tagsOf = cache(async function tagsOf(ctx: Ctx, account: AccountSummary): Promise<AccountTag[]> {
  return ctx.db
    .select({ id: tags.id, name: tags.name, color: tags.color })
    .from(accountTags)
    .innerJoin(tags, eq(tags.id, accountTags.tagId))
    .where(eq(accountTags.accountId, account.id))
    .orderBy(asc(tags.name));
});

export async function accountGroupsOf(ctx: Ctx, account: AccountSummary): Promise<{ id: string; name: string }[]> {
  return ctx.db
    .select({ id: accountGroups.id, name: accountGroups.name })
    .from(accountGroupMembers)
    .innerJoin(accountGroups, eq(accountGroups.id, accountGroupMembers.groupId))
    .where(eq(accountGroupMembers.accountId, account.id))
    .orderBy(asc(accountGroups.name));
}

/** The attribute keys the About widget shows (the company profile's attributes but the MRR override, which Revenue shows). */
export const ABOUT_KEYS = ["executive_summary", "employees", "date_acquired", "yearly_revenue", "year_established"] as const;

export type AboutFacts = {
  attributes: AttributeView[];
  tags: AccountTag[];
  groups: { id: string; name: string }[];
};

/** About: the company-profile attributes (those defined for this type and visible), tags and groups. */
export async function aboutOf(ctx: Ctx, account: AccountSummary): Promise<AboutFacts> {
  const [attributes, accountTags, groups] = await Promise.all([attributesOf(ctx, account), tagsOf(ctx, account), accountGroupsOf(ctx, account)]);
  const byKey = new Map(attributes.map((a) => [a.key, a]));
  return {
    attributes: ABOUT_KEYS.flatMap((key) => (byKey.has(key) ? [byKey.get(key)!] : [])),
    tags: accountTags,
    groups,
  };
}

export type CollectionTable = {
  key: string;
  name: string;
  columns: CollectionColumn[];
  records: { id: string; values: Record<string, unknown> }[];
  total: number;
};

/** The collection's records on this account, newest first; null when no collection has that key. */
export async function collectionOf(ctx: Ctx, account: AccountSummary, key: string, limit = 50): Promise<CollectionTable | null> {
  const [collection] = await ctx.db.select().from(collections).where(eq(collections.key, key)).limit(1);
  if (!collection) return null;
  const where = and(eq(collectionRecords.collectionId, collection.id), eq(collectionRecords.accountId, account.id));
  const [records, [{ total }]] = await Promise.all([
    ctx.db
      .select({ id: collectionRecords.id, values: collectionRecords.values })
      .from(collectionRecords)
      .where(where)
      .orderBy(desc(collectionRecords.createdAt), asc(collectionRecords.id))
      .limit(limit),
    ctx.db.select({ total: sql<number>`count(*)::int` }).from(collectionRecords).where(where),
  ]);
  return { key: collection.key, name: collection.name, columns: collection.columns, records, total: Number(total) };
}

export type EditableAttribute = AttributeView & { options: string[] | null; editable: boolean };

/**
 * The attributes the viewer sees, each with its select options and whether they may edit it in
 * place: admins and members (on an account they can see), never a rolled-up value. Privileged
 * attributes appear only for those who may see them, and seeing one here means editing it too.
 */
export async function attributesForEditing(ctx: Ctx, account: AccountSummary): Promise<EditableAttribute[]> {
  const [attributes, definitions] = await Promise.all([attributesOf(ctx, account), attributeDefinitionsOf(ctx.db, account.typeId)]);
  const byId = new Map(definitions.map((d) => [d.id, d]));
  const mayEdit = may(ctx.viewer, "attribute.edit");
  return attributes.map((a) => {
    const d = byId.get(a.id);
    return { ...a, options: d?.options ?? null, editable: mayEdit && d?.rollupRule === "none" };
  });
}

/** Every account group, for the company-profile form. */
export async function allAccountGroups(ctx: Ctx): Promise<{ id: string; name: string }[]> {
  return ctx.db.select({ id: accountGroups.id, name: accountGroups.name }).from(accountGroups).orderBy(asc(accountGroups.name));
}

/** Names of every free tag in use anywhere, for suggestions when adding one. */
export async function allTagNames(ctx: Ctx, limit = 500): Promise<string[]> {
  const rows = await ctx.db.select({ name: tags.name }).from(tags).orderBy(asc(tags.name)).limit(limit);
  return rows.map((r) => r.name);
}
