import { contentDisposition } from "@/lib/assets/names";
import { csvStream, type CsvColumn } from "./csv";

/** A CSV download: streamed, UTF-8, never cached (it carries what this viewer may see). */
export function csvResponse<Row>(fileName: string, columns: readonly CsvColumn<Row>[], batches: AsyncIterable<readonly Row[]>): Response {
  return new Response(csvStream(columns, batches), {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": contentDisposition(fileName),
      "Cache-Control": "private, no-store",
      "X-Content-Type-Options": "nosniff",
    },
  });
}

/** A 400 that says what was wrong with the query, in a sentence. */
export function badQuery(message: string): Response {
  return Response.json({ error: message }, { status: 400 });
}

export const signInRequired = () => Response.json({ error: "Sign-in required" }, { status: 401 });
export const accountNotFound = () => Response.json({ error: "Account not found" }, { status: 404 });

/**
 * The query's parameters as single values (`repeatable` ones joined by commas); a name outside
 * `allowed`, or given twice when not repeatable, is an error
 * naming the allowed ones (a mistyped filter must not silently export everything).
 */
export function readQuery(
  url: URL,
  allowed: readonly string[],
  repeatable: readonly string[] = [],
): { ok: true; params: Record<string, string> } | { ok: false; response: Response } {
  const params: Record<string, string> = {};
  for (const [name, value] of url.searchParams) {
    if (!allowed.includes(name)) {
      return { ok: false, response: badQuery(`Unknown filter “${name.slice(0, 40)}”. Allowed: ${allowed.join(", ") || "none"}.`) };
    }
    if (name in params && repeatable.includes(name)) {
      params[name] += `,${value}`;
      continue;
    }
    if (name in params) return { ok: false, response: badQuery(`Filter “${name}” is given more than once.`) };
    if (value.length > 500) return { ok: false, response: badQuery(`Filter “${name}” is too long (500 characters at most).`) };
    params[name] = value;
  }
  return { ok: true, params };
}
