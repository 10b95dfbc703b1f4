import type { Random } from "../random";
import type { BusinessLine, HealthWeek, REGIONS } from "./catalogue";
import type { RowStore } from "./rows";
import type { RegionKey, StaffMember } from "./staff";

/* The in-memory model the demo generator's steps share, and the context every step receives. */

export type TypeKey = "company" | "region" | "line_of_business" | "product" | "opportunity";
export type Staff = StaffMember & { id: string };
export type Contact = { id: string; name: string; email: string; title: string };
export type Link = { contact: Contact; role: string; isKey: boolean };

/** One account of the hierarchy while it is generated; later steps fill in its staff, links, health and revenue. */
export type Account = {
  id: string;
  externalId: string;
  name: string;
  type: TypeKey;
  parent: Account | null;
  children: Account[];
  createdAt: number;
  region: (typeof REGIONS)[number];
  line?: BusinessLine;
  lobName?: string;
  productName?: string;
  /** Products: average raw usage rows a day. */
  busyness: number;
  staff: { user: Staff; role: string }[];
  links: Link[];
  /** Health dip window (week indexes), if any. */
  dip: [number, number] | null;
  weeks: HealthWeek[];
  mrr: number;
  arr: number;
  seats: number;
  renewalDate: string | null;
  journeyStage: string | null;
};

/** What every step receives. */
export type DemoContext = {
  /** The moment the data set is generated for (ms); every date is relative to it. */
  now: number;
  /** Midnight UTC of `now`. */
  today: number;
  yearAgo: number;
  /** The root random stream: each step forks its own named stream from it, unaffected by the other steps' draws. */
  root: Random;
  /**
   * The one stream every row id is drawn from. It is shared, so the steps must keep their order
   * (and each step the order of its draws) for the same `now` to give the same ids.
   */
  ids: Random;
  /** The rows to write, per table. */
  store: RowStore;
};

/** The account tree built by `buildHierarchy`. */
export type Hierarchy = {
  accounts: Account[];
  company: Account;
  regions: Record<RegionKey, Account>;
  lobs: Account[];
  products: Account[];
  /** "Payments Hub — Retail Banking EMEA": the busiest product. */
  busiest: Account;
  /** The four next-busiest products. */
  busyOthers: Account[];
  opportunities: Account[];
};

/** The demo users and who works on which account (`buildStaffAndAssignments`). */
export type Roster = {
  staff: Staff[];
  admin: Staff;
  /** csm@demo.test, the signed-in CSM of the demo. */
  casey: Staff;
  /** Casey's own products. */
  caseyProducts: Account[];
  csmOf(account: Account): Staff;
  aeOf(account: Account): Staff;
  teamOf(account: Account): Staff[];
};
