import "server-only";
import { inArray } from "drizzle-orm";
import { mentions, users } from "@/db/schema";
import { ActionError } from "@/lib/actions/define";
import type { Ctx } from "@/lib/dal/viewer";
import { usersSeeingAccount } from "@/lib/notifications/audience";
import { accountHref, accountNameOf, notifyIfSeeing } from "@/lib/notifications/notify";
import { mentionedUserIds, renderMentions } from "./tokens";

export const MAX_MENTIONS = 20;

/**
 * What is wrong with the mentions in `text` on this account: more than MAX_MENTIONS people, or
 * anyone who is not an active user able to see the account (the one visibility rule). Empty when
 * every mention may stand. Shared by the editor's actions and the API (lib/ingest/touchpoints.ts).
 */
export async function mentionProblems(ctx: Ctx, accountId: string, text: string | null | undefined): Promise<string[]> {
  const ids = mentionedUserIds(text);
  if (!ids.length) return [];
  if (ids.length > MAX_MENTIONS) return [`Mention at most ${MAX_MENTIONS} people.`];
  const seeing = await usersSeeingAccount(ctx.db, accountId, ids);
  const blind = ids.filter((id) => !seeing.has(id));
  if (!blind.length) return [];
  const rows = await ctx.db.select({ id: users.id, name: users.name }).from(users).where(inArray(users.id, blind));
  const names = rows.map((r) => r.name);
  const messages: string[] = [];
  if (names.length) messages.push(`${names.join(", ")} cannot see this account, so ${names.length === 1 ? "they" : "these people"} cannot be mentioned here.`);
  if (rows.length < blind.length) messages.push("A mention names someone who is not an active user.");
  return messages;
}

/**
 * Call from `authorize`: every person mentioned in `text` must be an active user who can see the
 * account; otherwise a field error on `field` naming them. The editor offers only such people;
 * this refuses a crafted or stale mention.
 */
export async function checkMentions(ctx: Ctx, accountId: string, text: string | null | undefined, field: string): Promise<string[]> {
  const messages = await mentionProblems(ctx, accountId, text);
  if (messages.length) throw new ActionError("Check the highlighted fields.", { [field]: messages });
  return mentionedUserIds(text);
}

/** Names of the mentioned users, for rendering tokens (one query). */
export async function mentionNames(ctx: Ctx, text: string | null | undefined): Promise<Map<string, string>> {
  const ids = mentionedUserIds(text);
  if (!ids.length) return new Map();
  const rows = await ctx.db.select({ id: users.id, name: users.name }).from(users).where(inArray(users.id, ids));
  return new Map(rows.map((r) => [r.id.toLowerCase(), r.name]));
}

/** `text` with its tokens as "@Name", for snapshots and notices. */
export async function renderedText(ctx: Ctx, text: string | null | undefined): Promise<string> {
  if (!text) return "";
  return renderMentions(text, await mentionNames(ctx, text));
}

/**
 * Inside `run`: stores who was mentioned where and tells each of them (those who can still see
 * the account; not the author). `what` says where, e.g. "a note" or "a comment on “Renewal call”".
 */
export async function recordMentions(
  ctx: Ctx,
  source: { accountId: string; kind: "touchpoint" | "task_comment"; id: string; text: string; what: string; href?: string },
): Promise<string[]> {
  const ids = mentionedUserIds(source.text);
  if (!ids.length) return [];
  await ctx.db.insert(mentions).values(ids.map((userId) => ({ accountId: source.accountId, sourceKind: source.kind, sourceId: source.id, userId, authorId: ctx.viewer.userId })));
  // One after the other: inside a transaction the connection takes one query at a time.
  const account = await accountNameOf(ctx.db, source.accountId);
  const rendered = await renderedText(ctx, source.text);
  await notifyIfSeeing(
    ctx.db,
    {
      kind: "mention",
      accountId: source.accountId,
      actorId: ctx.viewer.userId,
      title: `${ctx.viewer.name} mentioned you in ${source.what} on ${account}`,
      body: excerpt(rendered),
      href: source.href ?? accountHref(source.accountId),
    },
    ids,
  );
  return ids;
}

function excerpt(text: string, max = 400): string {
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}
