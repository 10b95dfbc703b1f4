import { z } from "zod";
import type { LayoutCriterion, LayoutDefinition, LayoutTab, LayoutZone } from "@/db/schema";
import { isHttpUrl } from "@/lib/urls";

/**
 * Layout validation in two steps. The *shape* (zod) is checked on every draft save, so nothing
 * malformed is ever stored. The *rules* (`layoutProblems`) need the account type's attributes, the
 * widget registry and so on; they must all pass before a layout is published, and the editor shows
 * them beside the draft while the admin works.
 */

export const TAB_KINDS = ["overview", "timeline", "plan", "usage", "assets", "revenue", "embed"] as const satisfies readonly LayoutTab["kind"][];
export const ZONES = ["header", "medium", "sidebar"] as const satisfies readonly LayoutZone[];

const tabKey = z
  .string()
  .trim()
  .regex(/^[a-z][a-z0-9_-]{0,39}$/, "A tab key is 1–40 lowercase letters, digits, “-” or “_”, starting with a letter.");

const placement = z.object({
  id: z.string().min(1).max(80),
  widget: z.string().min(1).max(80),
  settings: z.record(z.string(), z.unknown()).optional(),
});

const zoneList = z.array(placement).max(30, "At most 30 widgets in one zone.");

export const layoutTabShape = z.object({
  key: tabKey,
  label: z.string().trim().min(1, "Give every tab a name.").max(40, "A tab name is at most 40 characters."),
  kind: z.enum(TAB_KINDS),
  url: z.string().trim().max(2000).optional(),
  zones: z.object({ header: zoneList.optional(), medium: zoneList.optional(), sidebar: zoneList.optional() }).optional(),
});

export const fieldGroupShape = z.object({
  name: z.string().trim().min(1, "Give every field group a name.").max(60),
  featured: z.boolean(),
  attributes: z.array(z.string().max(100)).max(300),
});

/** The stored shape of a layout (draft or published). A draft may still break the rules below. */
export const layoutDefinitionShape = z.object({
  tabs: z.array(layoutTabShape).max(20, "At most 20 tabs."),
  fieldGroups: z.array(fieldGroupShape).max(40).optional(),
});

export const criterionShape = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("stage"), lifecycleKey: z.string().min(1).max(80), stageKey: z.string().min(1).max(80) }),
  z.object({
    kind: z.literal("attribute"),
    attributeKey: z.string().min(1).max(100),
    equals: z.union([z.string().max(500), z.number(), z.boolean()]),
  }),
  z.object({ kind: z.literal("team"), teamId: z.guid("Pick a team.") }),
]);
export const criteriaShape = z.array(criterionShape).max(10, "At most 10 criteria.");

/** Everything the rules are checked against, loaded for one account type (see catalog.ts). */
export type LayoutCatalog = {
  accountType: { id: string; name: string };
  /** Attributes of this account type (deleted ones flagged). */
  attributes: { key: string; label: string; deleted: boolean }[];
  /** Attribute keys of OTHER account types, with that type's name. */
  otherAttributes: Map<string, string>;
  lifecycles: Map<string, Set<string>>;
  teamIds: Set<string>;
  collections: Set<string>;
  widgets: readonly { key: string; title: string; zones: readonly LayoutZone[]; settings: z.ZodType }[];
};

export type LayoutProblem = { path: string; message: string };

const zoneName: Record<LayoutZone, string> = { header: "header", medium: "main", sidebar: "sidebar" };

/** Every rule a layout breaks, in the order an admin reads the editor. Empty: it may be published. */
export function layoutProblems(definition: LayoutDefinition, criteria: LayoutCriterion[], catalog: LayoutCatalog, teamId?: string | null): LayoutProblem[] {
  const problems: LayoutProblem[] = [];
  const add = (path: string, message: string) => problems.push({ path, message });
  const shape = layoutDefinitionShape.safeParse(definition);
  if (!shape.success) {
    for (const issue of shape.error.issues) add(`definition.${issue.path.join(".")}`, issue.message);
    return problems;
  }
  const attributes = new Map(catalog.attributes.map((a) => [a.key, a]));
  const widgets = new Map(catalog.widgets.map((w) => [w.key, w]));
  const attributeProblem = (key: string): string | null => {
    const attribute = attributes.get(key);
    if (attribute && !attribute.deleted) return null;
    if (attribute?.deleted) return `attribute “${attribute.label}” was deleted`;
    const other = catalog.otherAttributes.get(key);
    return other
      ? `“${key}” is an attribute of ${other}, not of ${catalog.accountType.name}`
      : `there is no attribute “${key}” on ${catalog.accountType.name}`;
  };

  if (definition.tabs.length === 0) add("tabs", "A layout needs at least one tab.");
  const seenTabs = new Set<string>();
  const seenPlacements = new Set<string>();
  definition.tabs.forEach((tab, t) => {
    const where = `Tab “${tab.label || tab.key}”`;
    if (seenTabs.has(tab.key)) add(`tabs.${t}.key`, `${where}: the key “${tab.key}” is already used by another tab; each tab needs its own key.`);
    seenTabs.add(tab.key);
    if (tab.kind === "embed" && !isHttpUrl(tab.url)) add(`tabs.${t}.url`, `${where}: an embedded tab needs an http(s) link.`);
    if (tab.kind !== "overview") return;
    for (const zone of ZONES) {
      (tab.zones?.[zone] ?? []).forEach((p, i) => {
        const path = `tabs.${t}.zones.${zone}.${i}`;
        if (seenPlacements.has(p.id)) add(path, `${where}: the widget placement “${p.id}” appears twice.`);
        seenPlacements.add(p.id);
        const widget = widgets.get(p.widget);
        if (!widget) return add(path, `${where}, ${zoneName[zone]} zone: there is no widget “${p.widget}”. Remove it.`);
        if (!widget.zones.includes(zone)) {
          add(path, `${where}: “${widget.title}” cannot go in the ${zoneName[zone]} zone (only ${widget.zones.map((z) => zoneName[z]).join(" or ")}).`);
        }
        const settings = widget.settings.safeParse(p.settings ?? {});
        if (!settings.success) {
          for (const issue of settings.error.issues) {
            add(`${path}.settings.${issue.path.join(".")}`, `${where}, “${widget.title}”: ${issue.path.join(".") || "settings"}: ${issue.message}`);
          }
          return;
        }
        const values = settings.data as Record<string, unknown>;
        if (Array.isArray(values.attributes)) {
          for (const key of values.attributes as string[]) {
            const problem = attributeProblem(key);
            if (problem) add(`${path}.settings.attributes`, `${where}, “${widget.title}”: ${problem}.`);
          }
        }
        if (typeof values.collection === "string" && !catalog.collections.has(values.collection)) {
          add(`${path}.settings.collection`, `${where}, “${widget.title}”: there is no collection “${values.collection}”.`);
        }
      });
    }
  });

  const grouped = new Map<string, string>();
  const groupNames = new Set<string>();
  (definition.fieldGroups ?? []).forEach((group, g) => {
    const where = `Field group “${group.name}”`;
    if (groupNames.has(group.name.toLowerCase())) add(`fieldGroups.${g}.name`, `${where}: two field groups have this name.`);
    groupNames.add(group.name.toLowerCase());
    for (const key of group.attributes) {
      const problem = attributeProblem(key);
      if (problem) add(`fieldGroups.${g}.attributes`, `${where}: ${problem}.`);
      else if (grouped.has(key)) add(`fieldGroups.${g}.attributes`, `${where}: “${attributes.get(key)!.label}” is already in “${grouped.get(key)}”.`);
      else grouped.set(key, group.name);
    }
  });

  problems.push(...criteriaProblems(criteria, catalog, teamId));
  return problems;
}

/** The rules for "which layout applies": criteria must name this type's attributes and real stages and teams. */
export function criteriaProblems(criteria: LayoutCriterion[], catalog: LayoutCatalog, teamId?: string | null): LayoutProblem[] {
  const problems: LayoutProblem[] = [];
  if (teamId && !catalog.teamIds.has(teamId)) problems.push({ path: "teamId", message: "The team this layout is for no longer exists." });
  const attributes = new Map(catalog.attributes.map((a) => [a.key, a]));
  criteria.forEach((c, i) => {
    const where = `Criterion ${i + 1}`;
    const path = `criteria.${i}`;
    if (c.kind === "attribute") {
      const attribute = attributes.get(c.attributeKey);
      if (!attribute) {
        const other = catalog.otherAttributes.get(c.attributeKey);
        problems.push({
          path,
          message: other
            ? `${where}: “${c.attributeKey}” is an attribute of ${other}, not of ${catalog.accountType.name}. Pick an attribute of ${catalog.accountType.name}.`
            : `${where}: there is no attribute “${c.attributeKey}” on ${catalog.accountType.name}.`,
        });
      } else if (attribute.deleted) problems.push({ path, message: `${where}: the attribute “${attribute.label}” was deleted.` });
    } else if (c.kind === "stage") {
      const stages = catalog.lifecycles.get(c.lifecycleKey);
      if (!stages) problems.push({ path, message: `${where}: there is no lifecycle “${c.lifecycleKey}”.` });
      else if (!stages.has(c.stageKey)) problems.push({ path, message: `${where}: the lifecycle “${c.lifecycleKey}” has no stage “${c.stageKey}”.` });
    } else if (!catalog.teamIds.has(c.teamId)) problems.push({ path, message: `${where}: that team no longer exists.` });
  });
  return problems;
}

