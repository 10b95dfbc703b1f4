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
