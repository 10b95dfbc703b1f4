import "server-only";
import { and, eq } from "drizzle-orm";
import { z } from "zod";
import { contacts, informationRequests, users } from "@/db/schema";
import { ActionError } from "@/lib/actions/define";
import { findAccount } from "@/lib/dal/accounts";
import type { Ctx } from "@/lib/dal/viewer";
import { actionDefinition } from "@/lib/actions/definition";
import { idField, optionalDayField, textField } from "@/lib/actions/fields";
import { contactsOf, namesOf, usersWhoSee } from "./people";
import { may, refusal } from "@/lib/auth/permissions";
import { accountForWrite, authorizeQuickAction } from "./permissions";
import { prunedNote, recordTimeline } from "./timeline";
import { notifyRequestAnswered, notifyRequestSent } from "@/lib/notifications/activity";

const RECIPIENT = /^(contact|user):([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/i;

export const requestInput = z.object({
  accountId: idField("Unknown account."),
  /** `contact:<id>` or `user:<id>`. */
  to: z
    .string({ error: "Pick who should answer." })
    .trim()
    .min(1, "Pick who should answer.")
    .regex(RECIPIENT, "Pick who should answer from the list."),
  question: textField("the question", 2000),
  dueDate: optionalDayField,
});

/** Ask a contact of the account or a colleague who can see it; tracked until answered. */
export const requestInformation = actionDefinition({
  name: "requestInformation",
  schema: requestInput,
  async authorize(ctx, input) {
    const allowed = await authorizeQuickAction(ctx, input.accountId, "request");
    if (allowed !== true) return allowed;
    const [, kind, id] = RECIPIENT.exec(input.to)!;
    if (kind === "user") await usersWhoSee(ctx, input.accountId, [id], "to");
    return true;
  },
  async run(ctx, input) {
    const account = await accountForWrite(ctx, input.accountId);
    const [, kind, id] = RECIPIENT.exec(input.to)!;
    const [recipient] = kind === "contact" ? await contactsOf(ctx, account.id, [id], "to") : await namesOf(ctx, [id]);
    const now = new Date();
    const [request] = await ctx.db
      .insert(informationRequests)
      .values({
        accountId: account.id,
        requestedBy: ctx.viewer.userId,
        toContactId: kind === "contact" ? recipient.id : null,
        toUserId: kind === "user" ? recipient.id : null,
        question: input.question,
        status: "open",
        dueDate: input.dueDate ?? null,
        createdAt: now,
      })
      .returning({ id: informationRequests.id });
    if (kind === "user") await notifyRequestSent(ctx, { accountId: account.id, accountName: account.name, toUserId: recipient.id, question: input.question });
    const timeline = await recordTimeline(ctx.db, [
      {
        accountId: account.id,
        kind: "request",
        refId: request.id,
        actorId: ctx.viewer.userId,
        title: `Information requested: ${input.question}`,
        snapshot: { question: input.question, to: recipient.name, toKind: kind, dueDate: input.dueDate ?? null, status: "open" },
        occurredAt: now,
      },
    ]);
    return { id: request.id, accountId: account.id, to: recipient.name, timeline };
  },
  revalidate: (input) => [`/accounts/${input.accountId}`],
  message: (data) => `Request sent to ${data.to}; it stays open until marked answered.${prunedNote(data.timeline)}`,
});

export const answerInput = z.object({
  requestId: idField("Unknown request."),
  answer: textField("the answer", 5000),
});

const REQUEST_NOT_FOUND = "This request does not exist or you may not answer it.";

async function visibleRequest(ctx: Ctx, requestId: string) {
  const [request] = await ctx.db
    .select({
      id: informationRequests.id,
      accountId: informationRequests.accountId,
      question: informationRequests.question,
      status: informationRequests.status,
      toUserId: informationRequests.toUserId,
      requestedBy: informationRequests.requestedBy,
      contactName: contacts.name,
      userName: users.name,
    })
    .from(informationRequests)
    .leftJoin(contacts, eq(contacts.id, informationRequests.toContactId))
    .leftJoin(users, eq(users.id, informationRequests.toUserId))
    .where(eq(informationRequests.id, requestId))
    .limit(1);
  if (!request) return null;
  const account = await findAccount(ctx, request.accountId);
  return account ? { request, account } : null;
}

/** Record the answer of an open request (the colleague asked, or anyone who may request). */
export const answerRequest = actionDefinition({
  name: "answerRequest",
  schema: answerInput,
  async authorize(ctx, input) {
    const found = await visibleRequest(ctx, input.requestId);
    if (!found) return REQUEST_NOT_FOUND;
    if (found.request.toUserId === ctx.viewer.userId || may(ctx.viewer, "request.answer")) return true;
    return refusal(ctx.viewer, "request.answer");
  },
  async run(ctx, input) {
    const found = await visibleRequest(ctx, input.requestId);
    if (!found) throw new ActionError(REQUEST_NOT_FOUND);
    const { request, account } = found;
    const now = new Date();
    const updated = await ctx.db
      .update(informationRequests)
      .set({ status: "answered", answer: input.answer, answeredAt: now })
      .where(and(eq(informationRequests.id, request.id), eq(informationRequests.status, "open")))
      .returning({ id: informationRequests.id });
    if (!updated.length) throw new ActionError("This request is no longer open: someone answered or cancelled it.");
    const to = request.contactName ?? request.userName ?? null;
    if (request.requestedBy) await notifyRequestAnswered(ctx, { accountId: account.id, accountName: account.name, requesterId: request.requestedBy, question: request.question, answer: input.answer });
    await recordTimeline(ctx.db, [
      {
        accountId: account.id,
        kind: "request",
        refId: request.id,
        actorId: ctx.viewer.userId,
        title: `Information request answered: ${request.question}`,
        snapshot: { question: request.question, answer: input.answer, to, status: "answered" },
        occurredAt: now,
      },
    ]);
    return { id: request.id, accountId: account.id };
  },
  revalidate: (_input, data) => [`/accounts/${data.accountId}`],
  message: () => "Answer recorded; the request is closed.",
});
