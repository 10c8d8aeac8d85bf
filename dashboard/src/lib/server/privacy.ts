// k-anonymity for the pages: a figure about people is shown only when it covers at least k people;
// smaller groups are suppressed — left out of charts, and shown in tables and CSV as "fewer than k
// people" — never rounded or blurred. k is WAYPOINT_K_ANONYMITY (at least 5), the same k the read
// and rollout APIs apply: the dashboard sets it once at start (server/context.ts); until then 5.
export const DEFAULT_K = 5;

let configuredK = DEFAULT_K;

/** Sets the pages' k (WAYPOINT_K_ANONYMITY); never below DEFAULT_K. */
export function setPageK(k: number): void {
  if (!Number.isInteger(k) || k < DEFAULT_K) throw new Error(`k-anonymity must be a whole number of at least ${DEFAULT_K}, got ${k}`);
  configuredK = k;
}

/** The k every page applies. */
export function pageK(): number {
  return configuredK;
}

export type Guarded<T> = { suppressed: false; value: T } | { suppressed: true };

export function guard<T>(people: number, value: T, k = pageK()): Guarded<T> {
  return people >= k ? { suppressed: false, value } : { suppressed: true };
}

export function isShown(people: number, k = pageK()): boolean {
  return people >= k;
}
