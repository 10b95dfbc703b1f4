import "server-only";
import { and, eq, inArray, sql } from "drizzle-orm";
import { z } from "zod";
import { accountGroupMembers, accountGroups, accountTags, tags } from "@/db/schema";
import { recordAudit } from "@/lib/admin/audit";
import { ActionError } from "@/lib/actions/define";
import { actionDefinition } from "@/lib/actions/definition";
import { idField, idListField, textField } from "@/lib/actions/fields";
import { accountForWrite } from "@/lib/activity/permissions";
import { canSeePrivileged } from "@/lib/dal/accounts";
import type { Ctx } from "@/lib/dal/viewer";
import { applyAttributeEdits, authorizeAccountEdit, definitionsOf, editBlocker, parseEdits } from "./edit";

/** The company profile's fields that are attributes (tags and groups are not), in the order of the form. */
export const COMPANY_PROFILE_KEYS = ["executive_summary", "mrr_override", "employees", "date_acquired", "yearly_revenue", "year_established"] as const;

/** Form field names: `value.<key>`, `version.<key>` (as loaded) and `initial.<key>` (the input as loaded). */
export const profileField = (key: string) => `value.${key}`;

const companyProfileInput = z.looseObject({
  accountId: idField("Unknown account."),
  groupIds: idListField("Pick account groups from the list.", 100),
  /** Present when the form showed the group checkboxes (an empty list then means "in no group"). */
  groupsShown: z.string().optional(),
});

function stringField(raw: Record<string, unknown>, name: string): string | undefined {
  const value = raw[name];
  if (Array.isArray(value)) return typeof value[0] === "string" ? value[0] : undefined;
  return typeof value === "string" ? value : undefined;
}

/**
 * Save the company profile: each attribute the person changed goes through the same edit path as
 * edit-in-place (so versions are checked and history, timeline and rollups follow); fields left as
 * loaded are not touched. Account groups are set to the ticked ones. All or nothing.
 */
export const saveCompanyProfile = actionDefinition({
  name: "saveCompanyProfile",
  schema: companyProfileInput,
  authorize: (ctx, input) => authorizeAccountEdit(ctx, input.accountId),
  async run(ctx, input) {
    const raw = input as Record<string, unknown>;
    const account = await accountForWrite(ctx, input.accountId);
    const definitions = await definitionsOf(ctx, account, { keys: COMPANY_PROFILE_KEYS });
    const privilegedOk = await canSeePrivileged(ctx, account.id);
    const touched = definitions.filter((d) => {
      const value = stringField(raw, profileField(d.key));
      return value !== undefined && value.trim() !== (stringField(raw, `initial.${d.key}`) ?? "").trim();
    });
    const versionErrors: Record<string, string[]> = {};
    const inputs = touched.flatMap((definition) => {
      const blocker = editBlocker(definition, privilegedOk);
      if (blocker) {
        versionErrors[profileField(definition.key)] = [blocker];
        return [];
      }
      const version = Number(stringField(raw, `version.${definition.key}`));
      if (!Number.isInteger(version) || version < 0) {
        versionErrors[profileField(definition.key)] = ["Reload the page and try again."];
        return [];
      }
      return [{ definition, raw: stringField(raw, profileField(definition.key)), expectedVersion: version }];
    });
    if (Object.keys(versionErrors).length) throw new ActionError("Check the highlighted fields.", versionErrors);
    const edits = parseEdits(inputs, profileField);
    const applied = await applyAttributeEdits(ctx, account, edits, profileField);

    let groupsChanged = false;
    if (input.groupsShown !== undefined) groupsChanged = await setGroups(ctx, account.id, input.groupIds);
    const saved = [...applied.map((a) => a.definition.label), ...(groupsChanged ? ["Account groups"] : [])];
    return { accountId: account.id, saved };
  },
  revalidate: (input) => [`/accounts/${input.accountId}`, `/accounts/${input.accountId}/company-profile`],
  message: (data) => (data.saved.length ? `Saved: ${data.saved.join(", ")}.` : "Nothing to save: no field was changed."),
});

/** Sets the account's groups to exactly `groupIds`; true when anything changed. Audit-logged. */
async function setGroups(ctx: Ctx, accountId: string, groupIds: string[]): Promise<boolean> {
  const wanted = [...new Set(groupIds)];
  if (wanted.length) {
    const known = await ctx.db.select({ id: accountGroups.id }).from(accountGroups).where(inArray(accountGroups.id, wanted));
    if (known.length !== wanted.length) throw new ActionError("Check the highlighted fields.", { groupIds: ["Pick account groups from the list."] });
  }
  const current = (await ctx.db.select({ id: accountGroupMembers.groupId }).from(accountGroupMembers).where(eq(accountGroupMembers.accountId, accountId))).map((r) => r.id);
  const added = wanted.filter((id) => !current.includes(id));
  const removed = current.filter((id) => !wanted.includes(id));
  if (added.length) await ctx.db.insert(accountGroupMembers).values(added.map((groupId) => ({ groupId, accountId }))).onConflictDoNothing();
  if (removed.length) {
    await ctx.db.delete(accountGroupMembers).where(and(eq(accountGroupMembers.accountId, accountId), inArray(accountGroupMembers.groupId, removed)));
  }
  if (!added.length && !removed.length) return false;
  await recordAudit(ctx.db, ctx.viewer, { action: "account.groups", targetType: "account", targetId: accountId, details: { added, removed } });
  return true;
}

// ---------------------------------------------------------------------------------------------
// Free tags
// ---------------------------------------------------------------------------------------------

export const addTagInput = z.object({
  accountId: idField("Unknown account."),
  name: textField("a tag", 40).refine((v) => !/[\n\r\t]/.test(v), "Use a tag on one line."),
});

/** Add a free tag (created when no tag has that name, matched case-insensitively). Audit-logged. */
export const addTag = actionDefinition({
  name: "addTag",
  schema: addTagInput,
  authorize: (ctx, input) => authorizeAccountEdit(ctx, input.accountId),
  async run(ctx, input) {
    const account = await accountForWrite(ctx, input.accountId);
    const findTag = () =>
      ctx.db
        .select({ id: tags.id, name: tags.name })
        .from(tags)
        .where(sql`lower(${tags.name}) = lower(${input.name})`)
        .orderBy(sql`${tags.name} = ${input.name} desc`, tags.name)
        .limit(1);
    let [tag] = await findTag();
    if (!tag) {
      await ctx.db.insert(tags).values({ name: input.name }).onConflictDoNothing();
      [tag] = await findTag();
    }
    const added = await ctx.db
      .insert(accountTags)
      .values({ accountId: account.id, tagId: tag.id, addedBy: ctx.viewer.userId })
      .onConflictDoNothing()
      .returning({ tagId: accountTags.tagId });
    if (added.length) {
      await recordAudit(ctx.db, ctx.viewer, { action: "account.tag.add", targetType: "account", targetId: account.id, details: { tag: tag.name } });
    }
    return { accountId: account.id, tag: tag.name, added: added.length > 0 };
  },
  revalidate: (input) => [`/accounts/${input.accountId}`, `/accounts/${input.accountId}/company-profile`],
  message: (data) => (data.added ? `Tag “${data.tag}” added.` : `The account already has the tag “${data.tag}”.`),
});

export const removeTagInput = z.object({
  accountId: idField("Unknown account."),
  tagId: idField("Unknown tag."),
});

export const removeTag = actionDefinition({
  name: "removeTag",
  schema: removeTagInput,
  authorize: (ctx, input) => authorizeAccountEdit(ctx, input.accountId),
  async run(ctx, input) {
    const account = await accountForWrite(ctx, input.accountId);
    const removed = await ctx.db
      .delete(accountTags)
      .where(and(eq(accountTags.accountId, account.id), eq(accountTags.tagId, input.tagId)))
      .returning({ tagId: accountTags.tagId });
    const [tag] = await ctx.db.select({ name: tags.name }).from(tags).where(eq(tags.id, input.tagId)).limit(1);
    if (removed.length) {
      await recordAudit(ctx.db, ctx.viewer, { action: "account.tag.remove", targetType: "account", targetId: account.id, details: { tag: tag?.name ?? input.tagId } });
    }
    return { accountId: account.id, tag: tag?.name ?? "tag", removed: removed.length > 0 };
  },
  revalidate: (input) => [`/accounts/${input.accountId}`, `/accounts/${input.accountId}/company-profile`],
  message: (data) => (data.removed ? `Tag “${data.tag}” removed.` : "That tag was already removed."),
});
