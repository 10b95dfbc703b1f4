/**
 * The profile deck: a valid PPTX (a ZIP of OOXML parts) whose slides hold the account's real
 * values, read through the same data-access functions as the profile, for the viewer asking.
 */
import { inflateRawSync } from "node:zlib";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { users } from "@/db/schema";
import { findAccount, isEmptyValue, searchAccounts, type AccountSummary } from "@/lib/dal/accounts";
import { attributesOf } from "@/lib/dal/attributes";
import { openTasks } from "@/lib/dal/activity";
import { lastDays, valueMetrics } from "@/lib/dal/usage";
import { loadViewer, type Ctx } from "@/lib/dal/viewer";
import { formatAttribute } from "@/lib/format";
import { buildDeck, buildPresentation, deckFileName, loadDeckData } from "@/lib/presentation/deck";
import { demoNow, drivers, openSeededDatabase } from "./support/databases";

/** The entries of a ZIP file by name (stored or deflated), read from its central directory. */
function unzip(zip: Buffer): Map<string, Buffer> {
  let end = zip.length - 22;
  while (end >= 0 && zip.readUInt32LE(end) !== 0x06054b50) end--;
  if (end < 0) throw new Error("not a ZIP: no end of central directory");
  const count = zip.readUInt16LE(end + 10);
  let at = zip.readUInt32LE(end + 16);
  const out = new Map<string, Buffer>();
  for (let i = 0; i < count; i++) {
    if (zip.readUInt32LE(at) !== 0x02014b50) throw new Error("bad central directory entry");
    const method = zip.readUInt16LE(at + 10);
    const compressed = zip.readUInt32LE(at + 20);
    const nameLength = zip.readUInt16LE(at + 28);
    const extra = zip.readUInt16LE(at + 30);
    const comment = zip.readUInt16LE(at + 32);
    const local = zip.readUInt32LE(at + 42);
    const name = zip.toString("utf8", at + 46, at + 46 + nameLength);
    const dataAt = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28);
    const data = zip.subarray(dataAt, dataAt + compressed);
    out.set(name, method === 8 ? inflateRawSync(data) : Buffer.from(data));
    at += 46 + nameLength + extra + comment;
  }
  return out;
}

const xml = (text: string) => text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

describe.each(drivers)("presentation on %s", (driver) => {
  let seeded: Awaited<ReturnType<typeof openSeededDatabase>>;
  let csm: Ctx;
  let viewer: Ctx;
  let product: AccountSummary;

  const ctxFor = async (email: string): Promise<Ctx> => {
    const [user] = await seeded.db.select({ id: users.id }).from(users).where(eq(users.email, email));
    const loaded = await loadViewer(seeded.db, user.id);
    if (!loaded) throw new Error(`no viewer ${email}`);
    return { db: seeded.db, viewer: loaded };
  };

  beforeAll(async () => {
    seeded = await openSeededDatabase(driver);
    [csm, viewer] = await Promise.all([ctxFor("csm@demo.test"), ctxFor("viewer@demo.test")]);
    product = (await findAccount(csm, seeded.demo.busiestProductId))!;
  });
  afterAll(async () => {
    await seeded?.close();
  });

  it("builds a valid PPTX of the product with its name, key info, health grid, usage chart and open tasks", async () => {
    const now = demoNow();
    const deck = await buildPresentation(csm, product, now);
    expect(deck.subarray(0, 4).toString("latin1")).toBe("PK\u0003\u0004");
    const parts = unzip(deck);
    expect(parts.get("[Content_Types].xml")?.toString()).toContain("presentationml.slide+xml");
    const slides = [...parts.keys()].filter((n) => /^ppt\/slides\/slide\d+\.xml$/.test(n));
    expect(slides).toHaveLength(5);
    const slide = (n: number) => parts.get(`ppt/slides/slide${n}.xml`)!.toString("utf8");

    // Title: the name and the breadcrumb; the company above the CSM's EMEA scope shows only its type.
    expect(slide(1)).toContain(xml(seeded.demo.busiestProductName));
    const emea = (await findAccount(csm, seeded.demo.emeaRegionId))!;
    expect(slide(1)).toContain(`(Company)  ›  ${xml(emea.name)}  ›  `);
    expect(slide(1)).not.toContain("Northwind Holdings");

    // Key info: ARR as the profile formats it.
    const attributes = await attributesOf(csm, product);
    const arr = attributes.find((a) => a.key === "arr");
    expect(arr && !isEmptyValue(arr.value)).toBe(true);
    expect(slide(2)).toContain(xml(formatAttribute(arr!.dataType, arr!.value)));
    expect(slide(2)).toContain("Casey CSM");

    // Health: 52 week cells (plus the legend's 4 swatches and the header bar) and the dimensions.
    const data = await loadDeckData(csm, product, now);
    expect(data.weeks).toHaveLength(52);
    const rects = slide(3).match(/<a:prstGeom prst="rect"/g)?.length ?? 0;
    expect(rects).toBeGreaterThanOrEqual(52 + 4);
    for (const d of data.health.dimensions) expect(slide(3)).toContain(xml(d.label));
    const upsells = data.weeks.filter((w) => w.upsell).length;
    expect(slide(3).match(/<a:prstGeom prst="triangle"/g)?.length ?? 0).toBe(upsells + 1); // + legend

    // Usage: the top module in the chart, the top user in the table.
    const metrics = await valueMetrics(csm, product, lastDays(30, now), 8);
    expect(metrics.topModules.length).toBeGreaterThan(0);
    const charts = [...parts.keys()].filter((n) => /^ppt\/charts\/chart\d+\.xml$/.test(n)).map((n) => parts.get(n)!.toString("utf8"));
    expect(charts.length).toBe(2);
    expect(charts.some((c) => c.includes(xml(metrics.topModules[0].name)))).toBe(true);
    expect(slide(4)).toContain(xml(metrics.topUsers[0].name));

    // Open tasks: the first one due.
    const tasks = await openTasks(csm, product, 12);
    expect(tasks.total).toBeGreaterThan(0);
    expect(slide(5)).toContain(xml(tasks.tasks[0].title));
  }, 60_000);

  it("names the file after the account and only builds for accounts the viewer may see", async () => {
    expect(deckFileName(product, new Date("2026-11-16T09:00:00Z"))).toBe(`${seeded.demo.busiestProductName} — profile 2026-11-16.pptx`);
    expect(deckFileName({ ...product, name: 'A/B: "C"' }, new Date("2026-11-16T09:00:00Z"))).toBe("A-B- -C- — profile 2026-11-16.pptx");
    // The Americas viewer cannot open the EMEA product (the route answers 404) ...
    expect(await findAccount(viewer, product.id)).toBeNull();
    // ... but gets a deck of an account they can see, without anything from elsewhere.
    const { accounts } = await searchAccounts(viewer, { typeKey: "product", limit: 1 });
    expect(accounts.length).toBe(1);
    const mine = (await findAccount(viewer, accounts[0].id))!;
    const data = await loadDeckData(viewer, mine, demoNow());
    const parts = unzip(await buildDeck(data));
    const title = parts.get("ppt/slides/slide1.xml")!.toString("utf8");
    expect(title).toContain(xml(mine.name));
    expect(title).not.toContain("EMEA");
  }, 60_000);
});
