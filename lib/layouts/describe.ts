import type { LayoutCriterion } from "@/db/schema";

/** A criterion in the admin's words, e.g. `journey stage is "adoption"` or `viewer in team EMEA`. */
export function describeCriterion(c: LayoutCriterion, teamNames: Map<string, string>, labels?: Map<string, string>): string {
  switch (c.kind) {
    case "stage":
      return `${c.lifecycleKey} stage is “${c.stageKey}”`;
    case "attribute":
      return `${labels?.get(c.attributeKey) ?? c.attributeKey} is “${String(c.equals)}”`;
    case "team":
      return `viewer in team ${teamNames.get(c.teamId) ?? "(deleted team)"}`;
  }
}
