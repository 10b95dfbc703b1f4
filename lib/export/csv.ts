import { stringify } from "csv-stringify/sync";

/**
 * The CSV writer every "Download CSV" link uses: rows arrive in batches from the data-access layer
 * and leave as a stream (the large data set has 100,000 accounts: never one giant string), with a
 * UTF-8 byte-order mark so Excel reads accents, CRLF line ends (RFC 4180), and cells that a
 * spreadsheet would run as a formula neutralised.
 */
export type CsvValue = string | number | boolean | Date | null | undefined | readonly string[];
export type CsvColumn<Row> = { header: string; value: (row: Row) => CsvValue };

const BOM = "\uFEFF";
/**
 * A text cell starting with one of these is read as a formula by Excel, LibreOffice or Google
 * Sheets (OWASP "CSV injection"); tab and carriage return can hide such a start.
 */
const FORMULA_START = /^[=+\-@\t\r]/;

/** One cell as text: dates in ISO 8601, lists joined by "; ", formula-like text prefixed with `'`. */
export function csvCell(value: CsvValue): string {
  if (value === null || value === undefined) return "";
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? "" : value.toISOString();
  if (Array.isArray(value)) return csvCell(value.join("; "));
  // A number is data, never a formula, even when negative.
  if (typeof value === "number") return Number.isFinite(value) ? String(value) : "";
  if (typeof value === "boolean") return value ? "yes" : "no";
  const text = String(value);
  return FORMULA_START.test(text) ? `'${text}` : text;
}

/** Lines of CSV for some records (each an array of cells), CRLF-terminated. */
export function csvLines(records: readonly CsvValue[][]): string {
  if (!records.length) return "";
  return stringify(
    records.map((record) => record.map(csvCell)),
    // CRLF record ends; csv-stringify then quotes only fields holding "\r\n", so a bare line break
    // (a touchpoint's notes) is quoted explicitly or Excel would start a new row there.
    { record_delimiter: "windows", quoted_match: /[\r\n]/ },
  );
}

/**
 * A byte stream of CSV: the BOM and the header line first, then one chunk per batch of rows, pulled
 * only as fast as the client reads (the next database batch is not read before the previous left).
 */
export function csvStream<Row>(columns: readonly CsvColumn<Row>[], batches: AsyncIterable<readonly Row[]>): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  const iterator = batches[Symbol.asyncIterator]();
  let headerSent = false;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (!headerSent) {
        headerSent = true;
        controller.enqueue(encoder.encode(BOM + csvLines([columns.map((c) => c.header)])));
        return;
      }
      try {
        for (;;) {
          const next = await iterator.next();
          if (next.done) {
            controller.close();
            return;
          }
          if (!next.value.length) continue;
          controller.enqueue(encoder.encode(csvLines(next.value.map((row) => columns.map((c) => c.value(row))))));
          return;
        }
      } catch (error) {
        // Headers are already sent: the download ends short; the detail stays in the server log.
        console.error("[export] CSV stream failed:", error);
        controller.error(new Error("export failed"));
      }
    },
    async cancel() {
      await iterator.return?.();
    },
  });
}

/** Batches of rows from a paged read: `read(offset, limit)` until a page comes back short. */
export async function* pagedRows<Row>(read: (offset: number, limit: number) => Promise<readonly Row[]>, pageSize = 1000): AsyncGenerator<readonly Row[]> {
  for (let offset = 0; ; offset += pageSize) {
    const rows = await read(offset, pageSize);
    yield rows;
    if (rows.length < pageSize) return;
  }
}

/** "Acme Corp", "timeline" → "acme-corp-timeline-2026-12-05.csv" (the date the file was made, UTC). */
export function exportFileName(parts: readonly string[], now: Date = new Date()): string {
  const slug = parts
    .join(" ")
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 80)
    .replace(/-+$/, "");
  return `${slug || "export"}-${now.toISOString().slice(0, 10)}.csv`;
}
