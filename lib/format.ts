const dateFormat = new Intl.DateTimeFormat("en-GB", { day: "numeric", month: "short", year: "numeric", timeZone: "UTC" });
const numberFormat = new Intl.NumberFormat("en-US");
const currencyFormat = new Intl.NumberFormat("en-US", { style: "currency", currency: "USD", maximumFractionDigits: 0 });

/** Accepts a Date, an ISO timestamp or a `YYYY-MM-DD` date. */
export function formatDate(value: Date | string | null | undefined): string {
  if (!value) return "—";
  const date = value instanceof Date ? value : new Date(value.length === 10 ? `${value}T00:00:00Z` : value);
  return Number.isNaN(date.getTime()) ? String(value) : dateFormat.format(date);
}

export function formatCurrency(value: number | string | null | undefined): string {
  if (value === null || value === undefined || value === "") return "—";
  const n = Number(value);
  return Number.isFinite(n) ? currencyFormat.format(n) : String(value);
}

export function formatNumber(value: number | string | null | undefined): string {
  if (value === null || value === undefined || value === "") return "—";
  const n = Number(value);
  return Number.isFinite(n) ? numberFormat.format(n) : String(value);
}

/** An attribute value as text, by its data type. */
export function formatAttribute(dataType: string, value: unknown): string {
  if (value === null || value === undefined || value === "") return "—";
  switch (dataType) {
    case "currency":
      return formatCurrency(value as number);
    case "number":
      return formatNumber(value as number);
    case "date":
      return formatDate(String(value));
    case "boolean":
      return value ? "Yes" : "No";
    default:
      return typeof value === "string" ? value : JSON.stringify(value);
  }
}

export function isOverdue(dueDate: string | null, today = new Date()): boolean {
  return Boolean(dueDate && dueDate < today.toISOString().slice(0, 10));
}

const BYTE_UNITS = ["B", "KB", "MB", "GB"] as const;

/** A byte count as 1.2 MB; "—" when unknown (links have no size). */
export function formatBytes(bytes: number | null | undefined): string {
  if (bytes === null || bytes === undefined || !Number.isFinite(bytes)) return "—";
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < BYTE_UNITS.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${unit === 0 ? formatNumber(value) : value.toFixed(value < 10 ? 1 : 0)} ${BYTE_UNITS[unit]}`;
}

/** A size limit always in megabytes ("50 MB", "0.5 MB"): limits are set and read in MB. */
export function formatMegabytes(bytes: number): string {
  const mb = bytes / (1024 * 1024);
  return `${mb >= 10 ? Math.round(mb) : mb.toFixed(1)} MB`;
}

const relative = new Intl.RelativeTimeFormat("en", { numeric: "auto" });

/** "3 days ago" relative to `now`, coarse enough to stay true for the life of a rendered page. */
export function relativeTime(at: Date | string, now = new Date()): string {
  const date = at instanceof Date ? at : new Date(at);
  const seconds = (date.getTime() - now.getTime()) / 1000;
  const abs = Math.abs(seconds);
  if (abs < 60) return "just now";
  if (abs < 3600) return relative.format(Math.round(seconds / 60), "minute");
  if (abs < 86_400) return relative.format(Math.round(seconds / 3600), "hour");
  if (abs < 30 * 86_400) return relative.format(Math.round(seconds / 86_400), "day");
  if (abs < 365 * 86_400) return relative.format(Math.round(seconds / (30 * 86_400)), "month");
  return relative.format(Math.round(seconds / (365 * 86_400)), "year");
}

/** Net Promoter Score (−100…100) from answer counts: 9–10 promoters, 0–6 detractors; null with no answers. */
export function npsScore({ responses, promoters, detractors }: { responses: number; promoters: number; detractors: number }): number | null {
  return responses ? Math.round(((promoters - detractors) / responses) * 100) : null;
}
