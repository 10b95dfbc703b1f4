import { parse } from "csv-parse/browser/esm/sync";

/*
 * CSV import, the part both the browser and the server run: reading the file with csv-parse (the
 * browser build, so the whole file never travels in one request), the fields of each kind, the
 * automatic column mapping by header name, and turning a row into an API item. The server then
 * validates the items with the API's zod schemas and writes them with the API's code.
 */

export type ImportKind = "accounts" | "contacts" | "usage" | "assignments" | "stages";

export type ImportField = { key: string; label: string; required: boolean; aliases: string[] };

export const IMPORT_KINDS: Record<ImportKind, { label: string; fields: ImportField[]; chunk: number }> = {
  accounts: {
    label: "Accounts",
    // Up to the API's batch limit at once, so a parent later in the file is found.
    chunk: 1000,
    fields: [
      { key: "externalId", label: "External id", required: true, aliases: ["external id", "externalid", "id", "account id", "crm id"] },
      { key: "name", label: "Name", required: true, aliases: ["name", "account", "account name"] },
      { key: "type", label: "Type key", required: true, aliases: ["type", "account type", "type key"] },
      { key: "parentExternalId", label: "Parent external id", required: false, aliases: ["parent", "parent id", "parent external id", "parentexternalid"] },
    ],
  },
  contacts: {
    label: "Contacts",
    chunk: 500,
    fields: [
      { key: "externalId", label: "External id", required: true, aliases: ["external id", "externalid", "id", "contact id"] },
      { key: "name", label: "Name", required: true, aliases: ["name", "full name", "contact", "contact name"] },
      { key: "email", label: "Email", required: false, aliases: ["email", "e-mail", "email address"] },
      { key: "title", label: "Title", required: false, aliases: ["title", "job title"] },
      { key: "phone", label: "Phone", required: false, aliases: ["phone", "telephone", "phone number"] },
      { key: "accountExternalId", label: "Account external id", required: false, aliases: ["account", "account id", "account external id", "accountexternalid"] },
      { key: "role", label: "Role at the account", required: false, aliases: ["role"] },
      { key: "isKey", label: "Key contact", required: false, aliases: ["key contact", "is key", "iskey", "key"] },
    ],
  },
  usage: {
    label: "Usage events",
    chunk: 2000,
    fields: [
      { key: "accountExternalId", label: "Account external id", required: true, aliases: ["account", "account id", "account external id", "accountexternalid"] },
      { key: "module", label: "Module key", required: true, aliases: ["module", "module key"] },
      { key: "activity", label: "Activity key", required: true, aliases: ["activity", "activity key", "event"] },
      { key: "occurredAt", label: "Occurred at", required: true, aliases: ["occurred at", "occurredat", "timestamp", "time", "date"] },
      { key: "userExternalId", label: "User (contact) external id", required: false, aliases: ["user", "user id", "contact", "user external id", "userexternalid"] },
      { key: "count", label: "Count", required: false, aliases: ["count", "events", "quantity"] },
    ],
  },
  assignments: {
    label: "Assignments",
    chunk: 500,
    fields: [
      { key: "accountExternalId", label: "Account external id", required: true, aliases: ["account", "account id", "account external id", "accountexternalid"] },
      { key: "userEmail", label: "User email", required: true, aliases: ["user", "email", "user email", "useremail", "assignee"] },
      { key: "role", label: "Role", required: true, aliases: ["role", "assignment role"] },
      { key: "action", label: "Action (assign or unassign)", required: false, aliases: ["action"] },
    ],
  },
  // Lifecycles (issue 16, lifecycle helper)
  stages: {
    label: "Lifecycle stage changes",
    chunk: 500,
    fields: [
      { key: "accountExternalId", label: "Account external id", required: true, aliases: ["account", "account id", "account external id", "accountexternalid"] },
      { key: "lifecycle", label: "Lifecycle key", required: true, aliases: ["lifecycle", "lifecycle key"] },
      { key: "stage", label: "Stage key", required: true, aliases: ["stage", "stage key", "to", "to stage"] },
      { key: "note", label: "Note", required: false, aliases: ["note", "comment", "reason"] },
      { key: "changedAt", label: "Changed at", required: false, aliases: ["changed at", "changedat", "date", "when", "timestamp"] },
    ],
  },
};

export function isImportKind(value: unknown): value is ImportKind {
  return value === "accounts" || value === "contacts" || value === "usage" || value === "assignments" || value === "stages";
}

/** A data row with the file line it starts on (1 is the header). */
export type CsvRow = { line: number; values: string[] };
export type ParsedCsv = { ok: true; headers: string[]; rows: CsvRow[] } | { ok: false; error: string };

const normal = (text: string) => text.trim().toLowerCase().replace(/[_\-.]+/g, " ").replace(/\s+/g, " ");

/** Reads a whole CSV file (comma, semicolon or tab separated); says clearly what is wrong with it. */
export function parseCsv(text: string): ParsedCsv {
  // One kind of line ending, so line numbers stay right in files that mix them.
  const body = text.replace(/^\uFEFF/, "").replace(/\r\n?/g, "\n");
  if (!body.trim()) return { ok: false, error: "The file is empty." };
  if (body.includes("\u0000")) return { ok: false, error: "This is not a CSV file (it holds binary data). Export the sheet as CSV and try again." };
  const firstLine = body.slice(0, body.search(/\r?\n|$/));
  const delimiter = [",", ";", "\t"].sort((a, b) => firstLine.split(b).length - firstLine.split(a).length)[0];
  let records: { record: string[]; info: { lines: number } }[];
  try {
    records = parse(body, { delimiter, info: true, relax_column_count: true, skip_empty_lines: true, trim: true, bom: true }) as unknown as typeof records;
  } catch (error) {
    const message = (error as Error).message.replace(/^Invalid Record Length: /, "");
    return { ok: false, error: `This file could not be read as CSV: ${message}` };
  }
  if (!records.length) return { ok: false, error: "The file is empty." };
  const headers = records[0].record.map((h) => h.trim());
  if (headers.every((h) => !h)) return { ok: false, error: "The first line should name the columns, but it is empty." };
  const rows = records.slice(1).map(({ record, info }) => ({
    // info.lines is where the record ends; quoted fields may span lines.
    line: info.lines - record.reduce((n, field) => n + (field.match(/\n/g)?.length ?? 0), 0),
    values: record,
  }));
  if (!rows.length) return { ok: false, error: "The file has a header line but no rows to import." };
  return { ok: true, headers, rows };
}

/** Field key → column index (or -1), matched by header name. */
export type ColumnMapping = Record<string, number>;

export function autoMap(kind: ImportKind, headers: string[]): ColumnMapping {
  const names = headers.map(normal);
  const mapping: ColumnMapping = {};
  const taken = new Set<number>();
  for (const field of IMPORT_KINDS[kind].fields) {
    const candidates = [normal(field.key.replace(/([A-Z])/g, " $1")), normal(field.label), ...field.aliases.map(normal)];
    const index = names.findIndex((name, i) => !taken.has(i) && candidates.includes(name));
    mapping[field.key] = index;
    if (index >= 0) taken.add(index);
  }
  return mapping;
}

/** The required fields no column is mapped to ("" when none). */
export function missingColumns(kind: ImportKind, mapping: ColumnMapping): string[] {
  return IMPORT_KINDS[kind].fields.filter((f) => f.required && !(mapping[f.key] >= 0)).map((f) => f.label);
}

/** One row as an item of the API's request body (empty cells are left out). */
export function rowToItem(kind: ImportKind, values: Record<string, string>): Record<string, unknown> {
  const get = (key: string) => {
    const v = values[key]?.trim();
    return v ? v : undefined;
  };
  if (kind === "accounts") {
    return { externalId: get("externalId"), name: get("name"), type: get("type"), parentExternalId: get("parentExternalId") ?? null };
  }
  if (kind === "contacts") {
    const account = get("accountExternalId");
    const isKey = get("isKey");
    return {
      externalId: get("externalId"),
      name: get("name"),
      email: get("email") ?? null,
      title: get("title") ?? null,
      phone: get("phone") ?? null,
      ...(account ? { accounts: [{ accountExternalId: account, role: get("role") ?? "Contact", isKey: isKey ? /^(true|yes|y|1|x)$/i.test(isKey) : false }] } : {}),
    };
  }
  if (kind === "assignments") {
    const action = get("action")?.toLowerCase();
    return { accountExternalId: get("accountExternalId"), userEmail: get("userEmail"), role: get("role"), ...(action ? { action } : {}) };
  }
  if (kind === "stages") {
    const when = get("changedAt");
    return { accountExternalId: get("accountExternalId"), lifecycle: get("lifecycle"), stage: get("stage"), note: get("note") ?? null, ...(when ? { changedAt: asInstant(when) } : {}) };
  }
  const count = get("count");
  const at = get("occurredAt");
  return {
    accountExternalId: get("accountExternalId"),
    module: get("module"),
    activity: get("activity"),
    // A bare date means midnight UTC; a date-time without a zone is taken as UTC.
    occurredAt: at && asInstant(at),
    userExternalId: get("userExternalId") ?? null,
    ...(count !== undefined ? { count: /^\d+$/.test(count) ? Number(count) : count } : {}),
  };
}

/** A bare date means midnight UTC; a date-time without a zone is taken as UTC. */
function asInstant(at: string): string {
  if (/^\d{4}-\d{2}-\d{2}$/.test(at)) return `${at}T00:00:00Z`;
  if (/^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/.test(at)) return `${at.replace(" ", "T")}Z`;
  return at;
}
