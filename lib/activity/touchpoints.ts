import "server-only";
import { z } from "zod";
import { touchpointParticipants, touchpoints, touchpointType } from "@/db/schema";
import { ActionError } from "@/lib/actions/define";
import { actionDefinition } from "@/lib/actions/definition";
import { dayField, idField, idListField, optionalTextField, textField } from "@/lib/actions/fields";
import { addDays, todayIso } from "@/lib/days";
import { contactsOf, namesOf, usersWhoSee } from "./people";
import { accountForWrite, authorizeQuickAction } from "./permissions";
import { emitEvent } from "@/lib/events/emit";
import { prunedNote, recordTimeline } from "./timeline";
import { checkMentions, recordMentions, renderedText } from "@/lib/mentions/record";
import { markHealthDirty } from "@/lib/health/dirty";

export const TOUCHPOINT_TYPES = touchpointType.enumValues;
export type TouchpointType = (typeof TOUCHPOINT_TYPES)[number];
export const TOUCHPOINT_BODY_MAX = 12_000;

export function touchpointTypeLabel(type: string): string {
  return type === "qbr" ? "QBR" : type[0].toUpperCase() + type.slice(1);
}

export const touchpointInput = z.object({
  accountId: idField("Unknown account."),
  type: z.enum(TOUCHPOINT_TYPES, { error: "Pick a type: call, meeting, email, note, QBR or chat." }),
  subject: textField("a subject", 200),
  body: optionalTextField(TOUCHPOINT_BODY_MAX),
  date: dayField,
  contactIds: idListField("Pick contacts from the list.", 50),
  userIds: idListField("Pick team members from the list.", 50),
});

/**
 * When the touchpoint happened: today means now (so it tops the timeline); an earlier day means
 * noon UTC that day.
 */
function occurredAt(day: string, now: Date): Date {
  return day >= todayIso(now) ? now : new Date(`${day}T12:00:00Z`);
}

/** Log a touchpoint with its participants, and its timeline entry. */
export const logTouchpoint = actionDefinition({
  name: "logTouchpoint",
  schema: touchpointInput,
  async authorize(ctx, input) {
    const allowed = await authorizeQuickAction(ctx, input.accountId, "touchpoint");
    if (allowed !== true) return allowed;
    await usersWhoSee(ctx, input.accountId, input.userIds, "userIds");
    await checkMentions(ctx, input.accountId, input.body, "body");
    return true;
  },
  async run(ctx, input) {
    const now = new Date();
    // A day ahead is allowed for people east of UTC; anything later has not happened yet.
    if (input.date > addDays(todayIso(now), 1)) {
      throw new ActionError("Check the highlighted fields.", { date: ["A touchpoint is logged once it happened: pick today or an earlier day."] });
    }
    const account = await accountForWrite(ctx, input.accountId);
    const people = await contactsOf(ctx, account.id, input.contactIds, "contactIds");
    const colleagues = await namesOf(ctx, input.userIds);
    const at = occurredAt(input.date, now);
    const [touchpoint] = await ctx.db
      .insert(touchpoints)
      .values({
        accountId: account.id,
        type: input.type,
        subject: input.subject,
        body: input.body ?? "",
        occurredAt: at,
        authorId: ctx.viewer.userId,
        createdAt: now,
      })
      .returning({ id: touchpoints.id });
    // @mentions (issue 18): the body keeps `<@id>` tokens; the timeline's snapshot shows names.
    const body = await renderedText(ctx, input.body);
    await recordMentions(ctx, { accountId: account.id, kind: "touchpoint", id: touchpoint.id, text: input.body ?? "", what: input.type === "qbr" ? "a QBR" : `a ${input.type}` });
    const participantRows = [
      ...people.map((c) => ({ touchpointId: touchpoint.id, contactId: c.id, userId: null })),
      ...colleagues.map((u) => ({ touchpointId: touchpoint.id, contactId: null, userId: u.id })),
    ];
    if (participantRows.length) await ctx.db.insert(touchpointParticipants).values(participantRows);
    await markHealthDirty(ctx.db, [account.id]);
    const timeline = await recordTimeline(ctx.db, [
      {
        accountId: account.id,
        kind: "touchpoint",
        refId: touchpoint.id,
        actorId: ctx.viewer.userId,
        title: `${touchpointTypeLabel(input.type)}: ${input.subject}`,
        snapshot: {
          type: input.type,
          subject: input.subject,
          body,
          date: input.date,
          participants: [...people.map((c) => c.name), ...colleagues.map((u) => u.name)],
        },
        occurredAt: at,
      },
    ]);
    await emitEvent(ctx.db, { type: "touchpoint.logged", accountId: account.id, actorId: ctx.viewer.userId, data: { touchpointId: touchpoint.id, type: input.type, subject: input.subject } });
    return { id: touchpoint.id, accountId: account.id, timeline };
  },
  revalidate: (input) => [`/accounts/${input.accountId}`],
  message: (data) => `Touchpoint logged.${prunedNote(data.timeline)}`,
});
