// How JS values are written into JSONEachRow rows (the insert side of the literal formatter).

/** `YYYY-MM-DD hh:mm:ss` in UTC, the form a DateTime('UTC') column takes. */
export function formatDateTime(date: Date | number): string {
  return new Date(date).toISOString().slice(0, 19).replace('T', ' ');
}
