// k-anonymity for the pages: a figure about people is shown only when it covers at least k people
// (default 5); smaller groups are suppressed — left out of charts, and shown in tables and CSV as
// "fewer than k people" — never rounded or blurred.
export const DEFAULT_K = 5;

export type Guarded<T> = { suppressed: false; value: T } | { suppressed: true };

export function guard<T>(people: number, value: T, k = DEFAULT_K): Guarded<T> {
  return people >= k ? { suppressed: false, value } : { suppressed: true };
}

export function isShown(people: number, k = DEFAULT_K): boolean {
  return people >= k;
}
