import "server-only";
import { sql } from "drizzle-orm";
import { z } from "zod";
import { savedViews } from "@/db/schema";
import { ActionError } from "@/lib/actions/define";
import { actionDefinition } from "@/lib/actions/definition";
import { idField, optionalIdField, textField } from "@/lib/actions/fields";
import { requires } from "@/lib/auth/permissions";
import { isUuid, type Ctx, type Viewer } from "@/lib/dal/viewer";
import { parseViewState, viewQueryString } from "./state";

/*
 * Saved views of the accounts list: private to their owner, or shared with one team the owner is
 * a member of. Opening one is `/accounts?view=<id>`; a view the viewer may not open answers exactly
 * like one that does not exist. The accounts listed are always the viewer's own visible ones: a
 * shared view shares the filters, never the rows.
 */

export type SavedView = { id: string; name: string; query: string; teamId: string | null; teamName: string | null; ownerId: string; ownerName: string; mine: boolean };

/** Who may open a view: its owner, and the members of the team it is shared with. */
function openable(viewer: Viewer) {
  const teams = viewer.teamIds.length ? sql`or v.team_id in (${sql.join(viewer.teamIds.map((t) => sql`${t}::uuid`), sql`, `)})` : sql``;
  return sql`(v.owner_id = ${viewer.userId}::uuid ${teams})`;
}

const columns = sql`v.id, v.name, v.query, v.team_id as "teamId", tm.name as "teamName", v.owner_id as "ownerId", u.name as "ownerName"`;
const from = sql`saved_views v join users u on u.id = v.owner_id left join teams tm on tm.id = v.team_id`;

function toView(viewer: Viewer, row: Omit<SavedView, "mine">): SavedView {
  return { ...row, mine: row.ownerId === viewer.userId };
}

/** The viewer's own views, then those shared with their teams, by name. */
export async function listSavedViews(ctx: Ctx): Promise<SavedView[]> {
  const { rows } = await ctx.db.execute<Omit<SavedView, "mine">>(sql`
    select ${columns} from ${from} where ${openable(ctx.viewer)}
    order by (v.owner_id = ${ctx.viewer.userId}::uuid) desc, lower(v.name), v.id limit 200`);
  return rows.map((r) => toView(ctx.viewer, r));
}

/** A view the viewer may open, or null (missing and not theirs are the same answer). */
export async function findSavedView(ctx: Ctx, id: unknown): Promise<SavedView | null> {
  if (!isUuid(id)) return null;
  const { rows } = await ctx.db.execute<Omit<SavedView, "mine">>(sql`select ${columns} from ${from} where v.id = ${id}::uuid and ${openable(ctx.viewer)}`);
  return rows[0] ? toView(ctx.viewer, rows[0]) : null;
}

/** The teams a viewer may share a view with: their own. */
export async function shareableTeams(ctx: Ctx): Promise<{ id: string; name: string }[]> {
  if (!ctx.viewer.teamIds.length) return [];
  const { rows } = await ctx.db.execute<{ id: string; name: string }>(sql`
    select id, name from teams where id in (${sql.join(ctx.viewer.teamIds.map((t) => sql`${t}::uuid`), sql`, `)}) order by name`);
  return rows;
}

export const saveView = actionDefinition({
  name: "saveView",
  schema: z.object({
    name: textField("a name for the view", 100),
    /** The list's query string (filters, columns, sort); normalized before it is stored. */
    query: z.string().max(4000, "That view is too long to save.").default(""),
    teamId: optionalIdField("Pick one of your teams."),
    /** Given: overwrite that view (the owner's own). */
    viewId: optionalIdField("Unknown view."),
  }),
  authorize: requires("views.save"),
  async run(ctx, input) {
    if (input.teamId && !ctx.viewer.teamIds.includes(input.teamId)) {
      throw new ActionError("Check the highlighted fields.", { teamId: ["You can share a view only with a team you are in."] });
    }
    const query = viewQueryString(parseViewState(new URLSearchParams(input.query)));
    if (input.viewId) {
      const updated = await ctx.db.execute<{ id: string }>(sql`
        update saved_views set name = ${input.name}, query = ${query}, team_id = ${input.teamId ?? null}, updated_at = now()
        where id = ${input.viewId}::uuid and owner_id = ${ctx.viewer.userId}::uuid returning id`);
      if (!updated.rows[0]) throw new ActionError("That view no longer exists, or is not yours to change.");
      return { id: updated.rows[0].id, name: input.name };
    }
    const [view] = await ctx.db
      .insert(savedViews)
      .values({ ownerId: ctx.viewer.userId, name: input.name, query, teamId: input.teamId ?? null })
      .returning({ id: savedViews.id, name: savedViews.name });
    return view;
  },
  revalidate: () => ["/accounts"],
  message: (data) => `View “${data.name}” saved.`,
});

export const deleteView = actionDefinition({
  name: "deleteView",
  schema: z.object({ viewId: idField("Unknown view.") }),
  authorize: requires("views.save"),
  async run(ctx, input) {
    const deleted = await ctx.db.execute<{ name: string }>(sql`
      delete from saved_views where id = ${input.viewId}::uuid and owner_id = ${ctx.viewer.userId}::uuid returning name`);
    if (!deleted.rows[0]) throw new ActionError("That view no longer exists, or is not yours to delete.");
    return { name: deleted.rows[0].name };
  },
  revalidate: () => ["/accounts"],
  message: (data) => `View “${data.name}” deleted.`,
});
