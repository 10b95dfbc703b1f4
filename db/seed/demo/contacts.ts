import * as s from "@/db/schema";
import type { Random } from "../random";
import { CUSTOMER_DOMAIN, END_USER_TITLES, FIRST_NAMES, LAST_NAMES, REGIONS } from "./catalogue";
import type { Account, Contact, DemoContext, Hierarchy } from "./model";
import { DAY } from "./time";

export type Contacts = {
  /** The EMEA digital officer: a contact of several accounts at different levels with different roles. */
  sharedContact: Contact;
  /** The contacts who use an account's product (champions, end users, admins). */
  usersOf(account: Account): Contact[];
};

/** ~400 customer contacts, linked to accounts at every level with their roles. */
export function buildContacts(ctx: DemoContext, tree: Hierarchy): Contacts {
  const crng = ctx.root.fork("contacts");
  const book = contactBook(ctx, crng, tree.company);
  const sharedContact = linkGroupAndRegions(crng, book, tree);
  linkLinesOfBusiness(crng, book, tree);
  const { newContact, link } = book;
  const { busiest, busyOthers, opportunities } = tree;
  // The busiest products have extra end users of their own.
  for (const product of [busiest, ...busyOthers]) {
    for (let i = 0; i < 5; i++) link(product, newContact(crng.pick(END_USER_TITLES), { department: product.line!.name, location: product.region.city }), "End user", false);
  }
  for (const opp of opportunities) {
    const parentLinks = opp.parent!.links.filter((l) => ["Champion", "Decision maker", "Executive sponsor"].includes(l.role));
    for (const l of crng.sample(parentLinks, crng.int(1, 2))) link(opp, l.contact, "Decision maker", l.isKey);
  }
  const usersOf = (account: Account) => account.links.filter((l) => l.role === "Champion" || l.role === "End user" || l.role === "Admin").map((l) => l.contact);
  return { sharedContact, usersOf };
}

type ContactBook = {
  /** A new contact with a unique name and email. */
  newContact(title: string, extra?: Record<string, unknown>): Contact;
  /** Links a contact to an account with a role, once. */
  link(account: Account, contact: Contact, role: string, isKey: boolean): void;
};

function contactBook({ now, ids, store }: DemoContext, crng: Random, company: Account): ContactBook {
  const contacts: Contact[] = [];
  const usedNames = new Set<string>();
  const usedEmails = new Set<string>();
  const newContact = (title: string, extra: Record<string, unknown> = {}): Contact => {
    let first = "";
    let last = "";
    do {
      first = crng.pick(FIRST_NAMES);
      last = crng.pick(LAST_NAMES);
    } while (usedNames.has(`${first} ${last}`));
    usedNames.add(`${first} ${last}`);
    const local = `${first}.${last}`.toLowerCase().normalize("NFKD").replace(/[^a-z.]/g, "");
    let email = `${local}@${CUSTOMER_DOMAIN}`;
    for (let n = 2; usedEmails.has(email); n++) email = `${local}${n}@${CUSTOMER_DOMAIN}`;
    usedEmails.add(email);
    const contact: Contact = { id: ids.uuid(), name: `${first} ${last}`, email, title };
    contacts.push(contact);
    store.add(s.contacts, {
      id: contact.id,
      externalId: `crm-c-${String(contacts.length).padStart(4, "0")}`,
      email,
      name: contact.name,
      title,
      phone: crng.chance(0.6) ? `+${crng.pick(["44 20", "1 212", "65 6", "49 69", "61 2"])} ${crng.int(1000, 9999)} ${crng.int(1000, 9999)}` : null,
      attributes: { department: extra.department ?? "Operations", location: extra.location ?? "Remote", language: crng.pick(["English", "English", "German", "French", "Spanish", "Japanese"]) },
      createdAt: new Date(Math.max(company.createdAt, now - crng.int(40, 1300) * DAY)),
    });
    return contact;
  };
  const link = (account: Account, contact: Contact, role: string, isKey: boolean) => {
    if (account.links.some((l) => l.contact.id === contact.id)) return;
    account.links.push({ contact, role, isKey });
    store.add(s.accountContacts, { accountId: account.id, contactId: contact.id, role, isKey, linkedAt: new Date(account.createdAt + crng.int(0, 60) * DAY) });
  };
  return { newContact, link };
}

/** The group's executives, each region's leaders, and the regional digital officer on a few products. Returns the EMEA one. */
function linkGroupAndRegions(crng: Random, { newContact, link }: ContactBook, { company, regions, lobs, products, busiest }: Hierarchy): Contact {
  const groupCeo = newContact("Group Chief Executive Officer", { department: "Executive office", location: "London" });
  const groupCfo = newContact("Group Chief Financial Officer", { department: "Finance", location: "London" });
  const groupCio = newContact("Group Chief Information Officer", { department: "Technology", location: "London" });
  link(company, groupCeo, "Executive sponsor", true);
  link(company, groupCfo, "Billing", false);
  link(company, groupCio, "Technical sponsor", true);
  link(regions.emea, groupCio, "Executive sponsor", false);
  let sharedContact: Contact | null = null;
  for (const region of REGIONS) {
    const account = regions[region.key];
    const md = newContact(`Managing Director, ${region.name}`, { department: "Executive office", location: region.city });
    const cdo = newContact(`Chief Digital Officer, ${region.name}`, { department: "Digital", location: region.city });
    const procurement = newContact(`Head of Procurement, ${region.name}`, { department: "Procurement", location: region.city });
    const it = newContact(`IT Director, ${region.name}`, { department: "Technology", location: region.city });
    link(account, md, "Executive sponsor", true);
    link(account, cdo, "Champion", true);
    link(account, procurement, "Billing", false);
    link(account, it, "Technical contact", false);
    // The digital officer is also a contact on a few products: a key decision maker on one, not on the others.
    const regionProducts = products.filter((p) => p.region.key === region.key);
    const picks = region.key === "emea" ? [busiest, ...crng.sample(regionProducts.filter((p) => p !== busiest), 2)] : crng.sample(regionProducts, 3);
    picks.forEach((product, i) => link(product, cdo, i === 0 ? "Decision maker" : "Executive sponsor", i === 0));
    for (const lob of crng.sample(lobs.filter((l) => l.region.key === region.key), 2)) link(lob, it, "Technical contact", false);
    if (region.key === "emea") sharedContact = cdo;
  }
  return sharedContact!;
}

/** Each line of business's head, champion, finance partner and seven end users, spread over its products. */
function linkLinesOfBusiness(crng: Random, { newContact, link }: ContactBook, { lobs }: Hierarchy): void {
  for (const lob of lobs) {
    const location = lob.region.city;
    const head = newContact(`Head of ${lob.name}`, { department: lob.line!.name, location });
    const ops = newContact(crng.pick(["Operations Manager", "Head of Operations", "Platform Owner"]), { department: lob.line!.name, location });
    const finance = newContact("Finance Business Partner", { department: "Finance", location });
    const users = Array.from({ length: 7 }, () => newContact(crng.pick(END_USER_TITLES), { department: lob.line!.name, location }));
    link(lob, head, "Executive sponsor", true);
    link(lob, ops, "Champion", true);
    link(lob, finance, "Billing", false);
    for (const product of crng.sample(lob.children, crng.int(1, 2))) link(product, head, "Decision maker", crng.chance(0.5));
    for (const product of lob.children) {
      const pool = crng.shuffle(users);
      link(product, pool[0], "Champion", true);
      link(product, finance, "Billing", false);
      if (crng.chance(0.5)) link(product, ops, "Admin", false);
      const endUsers = product.busyness > 5 ? pool.slice(1) : pool.slice(1, 1 + crng.int(2, 5));
      for (const user of endUsers) link(product, user, "End user", false);
    }
  }
}
