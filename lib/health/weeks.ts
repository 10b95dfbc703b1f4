/** ISO weeks as `YYYY-MM-DD` strings of their Monday (UTC). */
const DAY = 86_400_000;

export function isoDay(date: Date): string {
  return date.toISOString().slice(0, 10);
}

export function mondayOfDay(day: string): string {
  const d = new Date(`${day}T00:00:00Z`);
  return isoDay(new Date(d.getTime() - ((d.getUTCDay() + 6) % 7) * DAY));
}

export function addDaysTo(day: string, days: number): string {
  return isoDay(new Date(Date.parse(`${day}T00:00:00Z`) + days * DAY));
}

export function today(now: Date = new Date()): string {
  return isoDay(now);
}
