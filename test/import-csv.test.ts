/** Reading CSV files for the admin import: clear refusals, line numbers, column mapping, rows to API items. */
import { describe, expect, it } from "vitest";
import { autoMap, missingColumns, parseCsv, rowToItem } from "@/lib/import/csv";
import { usageEventItem } from "@/lib/ingest/schemas";

describe("CSV import parsing", () => {
  it("refuses empty, binary, header-only and malformed files with a clear sentence", () => {
    expect(parseCsv("")).toEqual({ ok: false, error: "The file is empty." });
    expect(parseCsv(" \n\n")).toEqual({ ok: false, error: "The file is empty." });
    expect(parseCsv("PNG\u0000\u0001")).toMatchObject({ ok: false, error: expect.stringMatching(/not a CSV file/) });
    expect(parseCsv("id,name\n")).toEqual({ ok: false, error: "The file has a header line but no rows to import." });
    expect(parseCsv('id,name\n1,"unterminated\n')).toMatchObject({ ok: false, error: expect.stringMatching(/could not be read as CSV/) });
  });

  it("numbers rows by the file line they start on, quoted line breaks and blank lines included", () => {
    const parsed = parseCsv('\uFEFFid;name\n1;"two\nlines"\n\n2;plain\r\n3;"a;b"\n');
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect(parsed.headers).toEqual(["id", "name"]);
    expect(parsed.rows.map((r) => [r.line, r.values[0]])).toEqual([
      [2, "1"],
      [5, "2"],
      [6, "3"],
    ]);
    expect(parsed.rows[2].values[1]).toBe("a;b");
  });

  it("maps columns by header name, whatever the case or separators, and names missing required ones", () => {
    const mapping = autoMap("usage", ["Account_ID", "MODULE", "activity-key", "Timestamp", "junk"]);
    expect(mapping).toMatchObject({ accountExternalId: 0, module: 1, activity: 2, occurredAt: 3, userExternalId: -1, count: -1 });
    expect(missingColumns("usage", mapping)).toEqual([]);
    expect(missingColumns("accounts", autoMap("accounts", ["external id", "name"]))).toEqual(["Type key"]);
  });

  it("turns a usage row into an API item: bare dates are midnight UTC, counts are numbers", () => {
    const item = rowToItem("usage", { accountExternalId: "a-1", module: "reports", activity: "run_report", occurredAt: "2026-11-18", count: "3" });
    expect(usageEventItem.parse(item)).toMatchObject({ occurredAt: "2026-11-18T00:00:00Z", count: 3 });
    const local = rowToItem("usage", { accountExternalId: "a-1", module: "reports", activity: "run_report", occurredAt: "2026-11-18 09:30:00" });
    expect(usageEventItem.parse(local).occurredAt).toBe("2026-11-18T09:30:00Z");
    expect(usageEventItem.safeParse(rowToItem("usage", { accountExternalId: "a-1", module: "m", activity: "x", occurredAt: "2026-11-18", count: "two" })).success).toBe(false);
  });
});
