import "server-only";
import { and, asc, eq, isNull, ne } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { accountTypes, attributeDefinitions, collections, fieldGroups, lifecycles, lifecycleStages, teams } from "@/db/schema";
import { WIDGETS } from "@/lib/widgets/catalog";
import type { LayoutCatalog } from "./validate";

export type LayoutOptions = {
  accountType: { id: string; key: string; name: string; isOpportunity: boolean; level: number };
  attributes: { key: string; label: string; dataType: string; options: string[] | null; keyInfo: boolean; group: string | null; groupFeatured: boolean }[];
  lifecycles: { key: string; name: string; stages: { key: string; name: string }[] }[];
  teams: { id: string; name: string }[];
  collections: { key: string; name: string }[];
};

/**
 * What a layout of one account type may name: its attributes, lifecycles and stages, teams,
 * collections and the registry's widgets. `catalog` feeds the rules; `options` the editor's pickers.
 */
export async function loadLayoutCatalog(db: Executor, accountTypeId: string): Promise<{ catalog: LayoutCatalog; options: LayoutOptions } | null> {
  const [type] = await db.select().from(accountTypes).where(eq(accountTypes.id, accountTypeId)).limit(1);
  if (!type) return null;
  const [attributeRows, otherRows, stageRows, teamRows, collectionRows] = await Promise.all([
    db
      .select({
        key: attributeDefinitions.key,
        label: attributeDefinitions.label,
        dataType: attributeDefinitions.dataType,
        options: attributeDefinitions.options,
        keyInfo: attributeDefinitions.keyInfo,
        deletedAt: attributeDefinitions.deletedAt,
        group: fieldGroups.name,
        groupFeatured: fieldGroups.featured,
      })
      .from(attributeDefinitions)
      .leftJoin(fieldGroups, eq(fieldGroups.id, attributeDefinitions.groupId))
      .where(eq(attributeDefinitions.accountTypeId, accountTypeId))
      .orderBy(asc(fieldGroups.position), asc(attributeDefinitions.position)),
    db
      .select({ key: attributeDefinitions.key, typeName: accountTypes.name })
      .from(attributeDefinitions)
      .innerJoin(accountTypes, eq(accountTypes.id, attributeDefinitions.accountTypeId))
      .where(and(ne(attributeDefinitions.accountTypeId, accountTypeId), isNull(attributeDefinitions.deletedAt))),
    db
      .select({ lifecycleKey: lifecycles.key, lifecycleName: lifecycles.name, stageKey: lifecycleStages.key, stageName: lifecycleStages.name })
      .from(lifecycles)
      .innerJoin(lifecycleStages, eq(lifecycleStages.lifecycleId, lifecycles.id))
      .orderBy(asc(lifecycles.position), asc(lifecycleStages.position)),
    db.select({ id: teams.id, name: teams.name }).from(teams).orderBy(asc(teams.name)),
    db.select({ key: collections.key, name: collections.name }).from(collections).orderBy(asc(collections.name)),
  ]);

  const lifecycleList: LayoutOptions["lifecycles"] = [];
  for (const row of stageRows) {
    let lifecycle = lifecycleList.find((l) => l.key === row.lifecycleKey);
    if (!lifecycle) lifecycleList.push((lifecycle = { key: row.lifecycleKey, name: row.lifecycleName, stages: [] }));
    lifecycle.stages.push({ key: row.stageKey, name: row.stageName });
  }
  const otherAttributes = new Map<string, string>();
  for (const row of otherRows) if (!otherAttributes.has(row.key)) otherAttributes.set(row.key, row.typeName);

  const catalog: LayoutCatalog = {
    accountType: { id: type.id, name: type.name },
    attributes: attributeRows.map((a) => ({ key: a.key, label: a.label, deleted: a.deletedAt !== null })),
    otherAttributes,
    lifecycles: new Map(lifecycleList.map((l) => [l.key, new Set(l.stages.map((s) => s.key))])),
    teamIds: new Set(teamRows.map((t) => t.id)),
    collections: new Set(collectionRows.map((c) => c.key)),
    widgets: WIDGETS,
  };
  const options: LayoutOptions = {
    accountType: { id: type.id, key: type.key, name: type.name, isOpportunity: type.isOpportunity, level: type.level },
    attributes: attributeRows
      .filter((a) => a.deletedAt === null)
      .map((a) => ({ key: a.key, label: a.label, dataType: a.dataType, options: a.options, keyInfo: a.keyInfo, group: a.group, groupFeatured: a.groupFeatured ?? false })),
    lifecycles: lifecycleList,
    teams: teamRows,
    collections: collectionRows,
  };
  return { catalog, options };
}
