import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { parse } from "csv-parse/sync";
import { users } from "@/db/schema";
import { searchAccounts } from "@/lib/dal/accounts";
import { readViewQueryStrictly } from "@/lib/views/check";
import { loadViewer, type Ctx } from "@/lib/dal/viewer";
import { csvCell, csvLines, csvStream, exportFileName, pagedRows, type CsvColumn } from "@/lib/export/csv";
import { readQuery } from "@/lib/export/response";
import { drivers, openSeededDatabase } from "./support/databases";

async function text(stream: ReadableStream<Uint8Array>): Promise<string> {
  return new TextDecoder("utf-8", { ignoreBOM: true }).decode(await new Response(stream).arrayBuffer());
}

async function* batches<T>(...lists: T[][]) {
  for (const list of lists) yield list;
}

describe("the CSV writer", () => {
  it("neutralises cells a spreadsheet would run as a formula, and only those", () => {
    for (const attack of ["=HYPERLINK(\"http://evil\")", "+1+1", "-2+3", "@SUM(A1)", "\t=1", "\r=1"]) expect(csvCell(attack)).toBe(`'${attack}`);
    for (const plain of ["Acme", "a=b", "Zürich AG", "", " =spaced"]) expect(csvCell(plain)).toBe(plain);
    // Numbers are data, even negative ones.
    expect(csvCell(-12.5)).toBe("-12.5");
    expect(csvCell(Number.NaN)).toBe("");
    expect(csvCell(null)).toBe("");
    expect(csvCell(true)).toBe("yes");
    expect(csvCell(new Date("2026-12-05T10:00:00Z"))).toBe("2026-12-05T10:00:00.000Z");
    expect(csvCell(["CSM", "AE"])).toBe("CSM; AE");
    expect(csvCell(["=cmd", "x"])).toBe("'=cmd; x");
  });

  it("quotes commas, quotes and line breaks, with CRLF line ends", () => {
    const out = csvLines([["a,b", 'say "hi"', "two\nlines", 3]]);
    expect(out).toBe('"a,b","say ""hi""","two\nlines",3\r\n');
  });

  it("streams a BOM, the header and each batch, and reads back as the same table", async () => {
    type Row = { name: string; score: number | null };
    const columns: CsvColumn<Row>[] = [
      { header: "Account", value: (r) => r.name },
      { header: "Score", value: (r) => r.score },
    ];
    const stream = csvStream(columns, batches<Row>([{ name: "Ünïcødé, Ltd", score: 1 }], [], [{ name: "=1+1", score: null }]));
    const out = await text(stream);
    expect(out.charCodeAt(0)).toBe(0xfeff);
    expect(parse(out.slice(1))).toEqual([
      ["Account", "Score"],
      ["Ünïcødé, Ltd", "1"],
      ["'=1+1", ""],
    ]);
  });

  it("pulls the next batch only when the reader asks for it", async () => {
    let reads = 0;
    const rows = pagedRows(async (offset, limit) => {
      reads++;
      return offset < 5 ? Array.from({ length: limit }, (_, i) => ({ n: offset + i })) : [];
    }, 5);
    const reader = csvStream([{ header: "n", value: (r: { n: number }) => r.n }], rows).getReader();
    await reader.read(); // the header
    expect(reads).toBe(0);
    await reader.read(); // first batch
    expect(reads).toBe(1);
    await reader.cancel();
    expect(reads).toBe(1);
  });

  it("names files after what they hold and the day", () => {
    const day = new Date("2026-12-05T23:00:00Z");
    expect(exportFileName(["Café Zürich GmbH", "timeline"], day)).toBe("cafe-zurich-gmbh-timeline-2026-12-05.csv");
    expect(exportFileName(["", "/../"], day)).toBe("export-2026-12-05.csv");
  });

  it("refuses unknown and repeated filters, naming the allowed ones", async () => {
    const bad = readQuery(new URL("http://x/e?q=a&typo=1"), ["q", "type"]);
    expect(bad.ok).toBe(false);
    if (!bad.ok) {
      expect(bad.response.status).toBe(400);
      expect((await bad.response.json()).error).toBe("Unknown filter “typo”. Allowed: q, type.");
    }
    const twice = readQuery(new URL("http://x/e?q=a&q=b"), ["q"]);
    expect(twice.ok).toBe(false);
    expect(readQuery(new URL("http://x/e?kind=a&kind=b"), ["kind"], ["kind"])).toEqual({ ok: true, params: { kind: "a,b" } });
  });
});

describe.each(drivers)("the accounts export's reads on %s", (driver) => {
  let seeded: Awaited<ReturnType<typeof openSeededDatabase>>;
  const ctxFor = async (email: string): Promise<Ctx> => {
    const [user] = await seeded.db.select({ id: users.id }).from(users).where(eq(users.email, email));
    return { db: seeded.db, viewer: (await loadViewer(seeded.db, user.id))! };
  };
  beforeAll(async () => {
    seeded = await openSeededDatabase(driver);
  });
  afterAll(async () => {
    await seeded?.close();
  });

  it("pages through every visible account exactly once, in the list's order", async () => {
    const ctx = await ctxFor("viewer@demo.test");
    const { total } = await searchAccounts(ctx, { limit: 1 });
    const ids: string[] = [];
    for await (const batch of pagedRows(async (offset, limit) => (await searchAccounts(ctx, { offset, limit })).accounts, 7)) ids.push(...batch.map((a) => a.id));
    expect(ids.length).toBe(total);
    expect(new Set(ids).size).toBe(total);
    const all = await searchAccounts(ctx, { limit: 10_000 });
    expect(ids).toEqual(all.accounts.map((a) => a.id));
  });

  it("reads the list's query like the list, and names values that match nothing", async () => {
    const ctx = await ctxFor("admin@demo.test");
    const ok = await readViewQueryStrictly(ctx, { q: " Acme ", type: "product", health: "good,poor", col: "type,mrr" });
    expect(ok.problems).toEqual([]);
    expect(ok.state).toMatchObject({ q: "Acme", type: "product", health: ["good", "poor"], columns: ["type", "mrr"] });
    const bad = await readViewQueryStrictly(ctx, { type: "planet", health: "purple", csm: "00000000-0000-4000-8000-000000000000", renewal: "soon", sort: "colour" });
    expect(bad.problems).toHaveLength(5);
    expect(bad.problems[0]).toContain("“planet” is not a type here (allowed: company, region");
  });
});
