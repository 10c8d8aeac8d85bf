// Calendar-day arithmetic on `YYYY-MM-DD` strings (UTC noon-free: dates only), shared by jobs and readers.

export function addDays(dayText: string, n: number): string {
  const d = new Date(`${dayText}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}

/** Inclusive list of days from..to (empty when from > to). */
export function daysBetween(from: string, to: string): string[] {
  const days: string[] = [];
  for (let d = from; d <= to; d = addDays(d, 1)) days.push(d);
  return days;
}

/** Whole days from `from` to `to` (negative when to < from). */
export function dayDiff(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

/** The Monday on or before a day (weeks start Monday). */
export function mondayOf(dayText: string): string {
  const dow = new Date(`${dayText}T00:00:00Z`).getUTCDay(); // 0 = Sunday
  return addDays(dayText, -((dow + 6) % 7));
}

/** The calendar day of an instant in an IANA timezone. */
export function dayInTimezone(instant: number, timeZone: string): string {
  // en-CA formats as YYYY-MM-DD.
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(instant);
}
