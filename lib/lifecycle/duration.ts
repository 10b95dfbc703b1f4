/** How long an account has been at its stage, in words ("3 days", "2 months", "less than an hour"). Pure: client-safe. */
export function timeInStage(since: Date | string, now = new Date()): string {
  const ms = Math.max(0, now.getTime() - new Date(since).getTime());
  const hours = Math.floor(ms / 3_600_000);
  const days = Math.floor(ms / 86_400_000);
  const plural = (n: number, unit: string) => `${n} ${unit}${n === 1 ? "" : "s"}`;
  if (hours < 1) return "less than an hour";
  if (days < 1) return plural(hours, "hour");
  if (days < 60) return plural(days, "day");
  if (days < 730) return plural(Math.floor(days / 30.44), "month");
  return plural(Math.floor(days / 365.25), "year");
}
