import * as s from "@/db/schema";
import { LIFECYCLES } from "./catalogue";
import type { Account, DemoContext, Hierarchy, Roster } from "./model";
import type { AddTimeline } from "./timeline";
import { DAY, floorDay, HOUR } from "./time";

export type Lifecycles = {
  /** A time of day in office hours on the day of `ms`, drawn from the lifecycle stream. */
  stamp(ms: number): number;
};

/** The journey and onboarding lifecycles, each account's path through them, and its current stages. */
export function buildLifecycles({ now, root, ids, store }: DemoContext, { accounts }: Hierarchy, { csmOf, aeOf }: Roster, addTimeline: AddTimeline): Lifecycles {
  const lrng = root.fork("lifecycles");
  const stageIds: Record<string, Record<string, string>> = {};
  const stageNames: Record<string, Record<string, string>> = {};
  const lifecycleIds: Record<string, string> = {};
  LIFECYCLES.forEach((def, i) => {
    const lifecycleId = ids.uuid();
    lifecycleIds[def.key] = lifecycleId;
    stageIds[def.key] = {};
    stageNames[def.key] = {};
    store.add(s.lifecycles, { id: lifecycleId, key: def.key, name: def.name, position: i });
    def.stages.forEach(([key, name], position) => {
      stageIds[def.key][key] = ids.uuid();
      stageNames[def.key][key] = name;
      store.add(s.lifecycleStages, { id: stageIds[def.key][key], lifecycleId, key, name, position });
    });
  });
  const writeStages = (account: Account, lifecycleKey: "journey" | "onboarding", path: [string, number][]) => {
    const steps = path.filter(([, at]) => at < now);
    if (!steps.length) return;
    const def = LIFECYCLES.find((d) => d.key === lifecycleKey)!;
    let from: string | null = null;
    for (const [stage, at] of steps) {
      const actor = lrng.chance(0.85) ? csmOf(account) : aeOf(account);
      store.add(s.stageChanges, {
        accountId: account.id,
        lifecycleId: lifecycleIds[lifecycleKey],
        fromStageId: from ? stageIds[lifecycleKey][from] : null,
        toStageId: stageIds[lifecycleKey][stage],
        changedBy: actor.id,
        changedAt: new Date(at),
      });
      addTimeline(
        account,
        "lifecycle_change",
        at,
        `${def.name}: ${from ? `${stageNames[lifecycleKey][from]} → ` : ""}${stageNames[lifecycleKey][stage]}`,
        { lifecycle: def.name, lifecycleKey, from: from ? stageNames[lifecycleKey][from] : null, to: stageNames[lifecycleKey][stage], fromKey: from, toKey: stage },
        null,
        actor,
      );
      from = stage;
    }
    const [lastStage, since] = steps[steps.length - 1];
    store.add(s.accountStages, { accountId: account.id, lifecycleId: lifecycleIds[lifecycleKey], stageId: stageIds[lifecycleKey][lastStage], since: new Date(since) });
    if (lifecycleKey === "journey") account.journeyStage = lastStage;
  };
  const stamp = (ms: number) => floorDay(ms) + lrng.int(9, 17) * HOUR + lrng.int(0, 59) * 60_000;
  for (const account of accounts) {
    if (account.type === "opportunity") continue;
    const start = account.createdAt;
    const kickoff = stamp(start + lrng.int(1, 6) * DAY);
    const configuration = stamp(kickoff + lrng.int(8, 20) * DAY);
    const training = stamp(configuration + lrng.int(15, 35) * DAY);
    const goLive = stamp(training + lrng.int(12, 40) * DAY);
    if (account.type === "product" || account.type === "line_of_business") {
      writeStages(account, "onboarding", [["kickoff", kickoff], ["configuration", configuration], ["training", training], ["go_live", goLive]]);
    }
    const journey: [string, number][] = [["onboarding", stamp(start)]];
    let cursor = goLive + lrng.int(0, 5) * DAY;
    journey.push(["adoption", stamp(cursor)]);
    cursor += lrng.int(70, 180) * DAY;
    journey.push(["nurture", stamp(cursor)]);
    while (cursor < now) {
      cursor += lrng.int(200, 330) * DAY;
      journey.push(["renewal", stamp(cursor)]);
      cursor += lrng.int(25, 75) * DAY;
      if (lrng.chance(0.35)) {
        journey.push(["expansion", stamp(cursor)]);
        cursor += lrng.int(30, 90) * DAY;
      }
      journey.push(["nurture", stamp(cursor)]);
    }
    writeStages(account, "journey", journey);
  }
  return { stamp };
}
