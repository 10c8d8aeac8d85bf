// Deciding k-anonymity without merging every people set: a rollup row's own distinct people
// (`people_n`) bound a group's people from both sides — at least the largest row's, at most the rows'
// sum — so only groups whose bounds straddle k need their sets merged. Rows written before people_n
// was filled hold 0: their count is unknown, the sum is then no upper bound and the sets decide.
import { z } from 'zod';
import { sql, type SqlFragment } from '$warehouse/sql.ts';
import { isShown, pageK } from './privacy.ts';

/** A group's people bounds, as the PEOPLE_BOUNDS columns read them. */
export interface PeopleBounds {
  peopleAtLeast: number;
  /** null when some row's count is unknown (people_n = 0). */
  peopleAtMost: number | null;
}

/** SELECT-list columns: the bounds over a group's rows (of a table with `people_n`). */
export const PEOPLE_BOUNDS: SqlFragment = sql`max(people_n) AS peopleAtLeast, if(min(people_n) = 0, NULL, sum(people_n)) AS peopleAtMost`;

/** zod fields reading the PEOPLE_BOUNDS columns (sums are 64-bit: JSON strings). */
export const peopleBoundsFields = { peopleAtLeast: z.coerce.number(), peopleAtMost: z.coerce.number().nullable() };

export type PeopleVerdict = 'shown' | 'hidden' | 'undecided';

/** Which side of k the bounds put a group on, or 'undecided' when they straddle it. */
export function judgePeople(bounds: PeopleBounds, k = pageK()): PeopleVerdict {
  if (isShown(bounds.peopleAtLeast, k)) return 'shown';
  if (bounds.peopleAtMost !== null && !isShown(bounds.peopleAtMost, k)) return 'hidden';
  return 'undecided';
}

/**
 * Each group with whether it is shown. `countExactly` is called once, and only when the bounds leave
 * some groups undecided, with those groups; it returns their exact people by `key` (a group missing
 * from its answer has no people).
 */
export async function decideShown<T extends PeopleBounds>(
  groups: readonly T[],
  key: (group: T) => string,
  countExactly: (undecided: readonly T[]) => Promise<ReadonlyMap<string, number>>,
  k = pageK(),
): Promise<(T & { shown: boolean })[]> {
  const verdicts = groups.map((g) => judgePeople(g, k));
  const undecided = groups.filter((_, i) => verdicts[i] === 'undecided');
  const exact = undecided.length > 0 ? await countExactly(undecided) : new Map<string, number>();
  return groups.map((g, i) => ({ ...g, shown: verdicts[i] === 'shown' || (verdicts[i] === 'undecided' && isShown(exact.get(key(g)) ?? 0, k)) }));
}

/**
 * The one-pass form, for sets that are cheap to read but costly to merge (UInt64 hashes): the largest
 * row's people, and the merged people of the rows with fewer than k each — all of a group's rows
 * whenever the largest has fewer than k (unknown rows, 0, included), so that merge is then exact.
 */
export function smallRowsPeople(k = pageK()): SqlFragment {
  return sql`max(people_n) AS peopleAtLeast, uniqExactMergeIf(people, people_n < ${k}) AS smallRowsPeople`;
}

/** zod fields reading the smallRowsPeople columns. */
export const smallRowsPeopleFields = { peopleAtLeast: z.coerce.number(), smallRowsPeople: z.coerce.number() };

/** Shown when one row alone has k people, or else when the group's (then exact) merged people do. */
export function isShownBySmallRows(group: { peopleAtLeast: number; smallRowsPeople: number }, k = pageK()): boolean {
  return isShown(group.peopleAtLeast, k) || isShown(group.smallRowsPeople, k);
}
