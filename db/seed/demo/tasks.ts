import * as s from "@/db/schema";
import type { Random } from "../random";
import type { Health } from "./health";
import type { Account, DemoContext, Hierarchy, Roster, Staff } from "./model";
import type { AddTimeline } from "./timeline";
import type { Touchpoints } from "./touchpoints";
import { DAY, fill, floorDay, HOUR, isoDay, officeTime } from "./time";

/** SuccessPlays (playbooks), tasks (their own, from applied playbooks, Casey's to-do list) and success plans with objectives. */
export function buildTasksAndPlans(ctx: DemoContext, tree: Hierarchy, roster: Roster, health: Health, touchpoints: Touchpoints, addTimeline: AddTimeline): void {
  const playbookIds = buildPlaybooks(ctx);
  const krng = ctx.root.fork("tasks");
  const writer = taskWriter(ctx, krng, addTimeline);
  buildTasks(ctx, krng, writer, tree, roster, health, touchpoints, playbookIds);
  buildSuccessPlans(ctx, krng, writer, tree, roster, addTimeline);
}

const PLAYBOOKS = [
  { name: "Onboarding kickoff", description: "First 30 days of a new product: kickoff to go-live.", steps: [["Schedule kickoff call", 0, "high"], ["Share onboarding plan", 2, "medium"], ["Confirm admin users and SSO", 7, "high"], ["Run admin training", 14, "medium"], ["Go-live readiness review", 28, "high"]] },
  { name: "Renewal preparation", description: "Starts 120 days before the renewal date.", steps: [["Review usage and health trends", 0, "medium"], ["Prepare value summary for the sponsor", 10, "high"], ["Executive sponsor meeting", 30, "high"], ["Send renewal proposal", 45, "urgent"]] },
  { name: "At-risk recovery", description: "When health turns poor: find the cause and agree a recovery plan.", steps: [["Call the champion to understand the drop", 0, "urgent"], ["Review open support tickets", 1, "high"], ["Agree a recovery plan with the customer", 7, "high"], ["Check health again after two weeks", 21, "medium"]] },
] as const;
const TASKS = [
  "Send QBR deck to {champion}",
  "Follow up on renewal pricing",
  "Schedule admin training",
  "Review open support tickets with {champion}",
  "Confirm go-live date",
  "Prepare executive business review",
  "Update success plan objectives",
  "Follow up on NPS feedback",
  "Check integration error rates",
  "Introduce the new solutions engineer",
  "Share release notes for next quarter",
  "Validate seat count before renewal",
  "Book onsite workshop",
  "Draft expansion proposal",
  "Verify billing contact",
  "Chase signed order form",
  "Run usage health check",
  "Find a new champion",
];
const OBJECTIVES = [
  ["Roll out to all branches", "Every branch of the business line uses the product for daily work."],
  ["Reduce manual reconciliation by 50%", "Measured on the monthly count of manually matched items."],
  ["Integrate with the core ledger", "Nightly reconciliation and real-time postings in production."],
  ["Train 40 power users", "Two power users per team, certified on the admin course."],
  ["Reach 80% weekly active users", "Of licensed seats, over four consecutive weeks."],
  ["Retire the legacy reporting tool", "All scheduled reports moved and the old tool switched off."],
  ["Quarterly executive reviews", "A business review with the sponsor every quarter."],
] as const;

type TaskPriority = (typeof s.taskPriority.enumValues)[number];
type TaskFields = { title: string; createdAt: number; dueDate: number | null; assignee: Staff; priority: TaskPriority; objectiveId?: string; playbookId?: string; description?: string; createdBy?: Staff };
type TaskWriter = {
  priorityOf(): TaskPriority;
  /** Writes a task (its status drawn from its due date) and its timeline entry; returns its id. */
  addTask(account: Account, fields: TaskFields): string;
};

/** The three SuccessPlays and their steps; returns their ids in `PLAYBOOKS` order. */
function buildPlaybooks({ now, ids, store }: DemoContext): string[] {
  const playbookIds: string[] = [];
  PLAYBOOKS.forEach((def, i) => {
    const id = ids.uuid();
    playbookIds.push(id);
    store.add(s.playbooks, { id, name: def.name, description: def.description, createdAt: new Date(now - (700 - i * 30) * DAY) });
    def.steps.forEach(([title, offsetDays, priority], position) => store.add(s.playbookSteps, { id: ids.uuid(), playbookId: id, title, offsetDays, priority, position }));
  });
  return playbookIds;
}

function taskWriter({ now, today, ids, store }: DemoContext, krng: Random, addTimeline: AddTimeline): TaskWriter {
  const priorityOf = () => krng.weighted([["low", 20], ["medium", 45], ["high", 25], ["urgent", 10]] as const);
  const addTask = (account: Account, fields: TaskFields) => {
    const id = ids.uuid();
    const due = fields.dueDate;
    let status: (typeof s.taskStatus.enumValues)[number] = "open";
    let completedAt: number | null = null;
    if (due !== null && due < today - 2 * DAY && krng.chance(0.82)) status = "done";
    else if (due !== null && due < today + 20 * DAY && krng.chance(0.12)) status = "in_progress";
    else if (krng.chance(0.04)) status = "cancelled";
    if (status === "done") completedAt = Math.min(now - HOUR, Math.max(fields.createdAt + HOUR, (due ?? now) - krng.int(-3, 6) * DAY + krng.int(9, 17) * HOUR));
    store.add(s.tasks, {
      id,
      accountId: account.id,
      title: fields.title,
      description: fields.description ?? null,
      dueDate: due === null ? null : isoDay(due),
      assigneeId: fields.assignee.id,
      priority: fields.priority,
      status,
      objectiveId: fields.objectiveId ?? null,
      playbookId: fields.playbookId ?? null,
      createdBy: (fields.createdBy ?? fields.assignee).id,
      createdAt: new Date(fields.createdAt),
      completedAt: completedAt === null ? null : new Date(completedAt),
    });
    addTimeline(
      account,
      "task",
      fields.createdAt,
      `Task created: ${fields.title}`,
      { title: fields.title, dueDate: due === null ? null : isoDay(due), priority: fields.priority, assignee: fields.assignee.name, status: "open" },
      id,
      fields.createdBy ?? fields.assignee,
    );
    return id;
  };
  return { priorityOf, addTask };
}

/** A few tasks per account, the tasks of SuccessPlays applied on a dozen products, and Casey's to-do list. */
function buildTasks(
  { now, today }: DemoContext,
  krng: Random,
  { addTask, priorityOf }: TaskWriter,
  { accounts, products, busiest }: Hierarchy,
  { casey, caseyProducts, csmOf, teamOf }: Roster,
  { latestBand }: Health,
  { textValues }: Touchpoints,
  playbookIds: string[],
): void {
  for (const account of accounts) {
    const count =
      account === busiest ? 14 : account.type === "product" ? krng.int(0, 5) : account.type === "line_of_business" ? krng.int(1, 3) : account.type === "opportunity" ? krng.int(0, 2) : krng.int(1, 2);
    for (let i = 0; i < count; i++) {
      // Most tasks are recent: due dates from a few weeks overdue to next month, plus older done ones.
      const recent = krng.chance(0.65);
      const due = recent ? today + krng.int(-20, 35) * DAY : today - krng.int(25, 330) * DAY;
      const createdAt = Math.max(account.createdAt + HOUR, officeTime(krng, due - krng.int(3, 40) * DAY));
      if (createdAt >= now) continue;
      const assignee = krng.chance(0.75) ? csmOf(account) : krng.pick(teamOf(account).length ? teamOf(account) : [csmOf(account)]);
      addTask(account, { title: fill(krng.pick(TASKS), textValues(account)), createdAt, dueDate: due, assignee, priority: priorityOf() });
    }
  }
  // Playbooks applied on some accounts: their steps become tasks.
  const playbookTargets: [Account, number][] = [
    ...products.filter((p) => now - p.createdAt < 120 * DAY).slice(0, 4).map((p) => [p, 0] as [Account, number]),
    ...krng.sample(products.filter((p) => p.journeyStage === "renewal"), 4).map((p) => [p, 1] as [Account, number]),
    ...products.filter((p) => latestBand(p) === "poor").slice(0, 4).map((p) => [p, 2] as [Account, number]),
  ];
  for (const [account, index] of playbookTargets) {
    const applied = officeTime(krng, now - krng.int(3, 25) * DAY);
    const assignee = csmOf(account);
    for (const [title, offsetDays, priority] of PLAYBOOKS[index].steps) {
      addTask(account, { title, createdAt: applied, dueDate: floorDay(applied) + offsetDays * DAY, assignee, priority, playbookId: playbookIds[index], description: `From the "${PLAYBOOKS[index].name}" SuccessPlay.` });
    }
  }
  // Casey's own portfolio gets a full to-do list.
  for (const product of caseyProducts.slice(0, 10)) {
    addTask(product, { title: fill(krng.pick(TASKS), textValues(product)), createdAt: officeTime(krng, now - krng.int(2, 20) * DAY), dueDate: today + krng.int(-6, 30) * DAY, assignee: casey, priority: priorityOf() });
  }
}

/** Success plans on ~24 accounts, each with objectives and a few tasks towards them. */
function buildSuccessPlans({ now, ids, store }: DemoContext, krng: Random, { addTask, priorityOf }: TaskWriter, { lobs, products, busiest }: Hierarchy, { csmOf, teamOf }: Roster, addTimeline: AddTimeline): void {
  const planTargets = [busiest, ...krng.sample(products.filter((p) => p !== busiest), 17), ...krng.sample(lobs, 6)];
  planTargets.forEach((account, i) => {
    const planCount = account === busiest ? 2 : 1;
    for (let p = 0; p < planCount; p++) {
      const planId = ids.uuid();
      const createdAt = officeTime(krng, Math.max(account.createdAt + 30 * DAY, now - krng.int(40, 300) * DAY));
      const status = i % 9 === 4 ? "completed" : i % 13 === 7 ? "archived" : "active";
      const owner = csmOf(account);
      const year = new Date(now).getUTCFullYear() + (p === 0 ? 0 : 1);
      store.add(s.successPlans, {
        id: planId,
        accountId: account.id,
        name: p === 0 ? `${account.productName ?? account.name} success plan ${year}` : `Expansion plan ${year}`,
        status,
        dueDate: isoDay(now + krng.int(30, 240) * DAY),
        createdBy: owner.id,
        createdAt: new Date(createdAt),
      });
      for (const [title, description] of krng.sample(OBJECTIVES, krng.int(2, 4))) {
        const objectiveId = ids.uuid();
        const progress = status === "completed" ? 100 : krng.pick([0, 10, 25, 40, 50, 60, 75, 90, 100]);
        const objectiveCreated = createdAt + krng.int(0, 3) * DAY;
        const due = now + krng.int(-20, 200) * DAY;
        store.add(s.objectives, {
          id: objectiveId,
          planId,
          title,
          description,
          progress,
          dueDate: isoDay(due),
          createdBy: owner.id,
          createdAt: new Date(objectiveCreated),
          completedAt: progress === 100 ? new Date(Math.min(now - DAY, objectiveCreated + krng.int(20, 120) * DAY)) : null,
        });
        addTimeline(account, "objective", objectiveCreated, `Objective added: ${title}`, { title, progress: 0, dueDate: isoDay(due) }, objectiveId, owner);
        for (let t = 0, n = krng.int(1, 3); t < n; t++) {
          const taskCreated = objectiveCreated + krng.int(0, 10) * DAY;
          if (taskCreated >= now) continue;
          addTask(account, {
            title: krng.pick(["Agree success criteria", "Collect baseline numbers", "Workshop with the operations team", "Review progress with the sponsor", "Enable the integration in production", "Send a progress summary"]),
            createdAt: taskCreated,
            dueDate: Math.min(due, taskCreated + krng.int(7, 60) * DAY),
            assignee: krng.chance(0.7) ? owner : krng.pick(teamOf(account)),
            priority: priorityOf(),
            objectiveId,
            createdBy: owner,
          });
        }
      }
    }
  });
}
