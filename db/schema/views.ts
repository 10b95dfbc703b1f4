import { index, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { teams, users } from "./identity";

/**
 * A saved view of the accounts list (lib/views): its filters, columns and sort, stored as the
 * normalized query string the list itself reads (so the view's URL and a pasted link agree).
 * Private to its owner, or shared with one team (`teamId`): every member of that team may open it.
 */
export const savedViews = pgTable(
  "saved_views",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    ownerId: uuid("owner_id").notNull().references(() => users.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    /** Null: private. */
    teamId: uuid("team_id").references(() => teams.id, { onDelete: "set null" }),
    query: text("query").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("saved_views_owner_idx").on(t.ownerId, t.name), index("saved_views_team_idx").on(t.teamId, t.name)],
);
