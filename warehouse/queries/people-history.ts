// The directory as of any day: one row per person with their versions as parallel arrays sorted by
// valid_from, so "the department on day D" is an array lookup (18.16 has no ASOF JOIN).
import { sql, type SqlFragment } from '../sql.ts';

/**
 * Subquery with columns: person, vfs (Array(Date)), deps (Array(String)), lics (Array(UInt8)),
 * hired (Nullable(Date)), left (Nullable(Date)) — hire and leave dates from the latest version —
 * and zone (String): the person's own timezone from the latest version, '' when the directory has none.
 */
export function peopleHistory(org: string): SqlFragment {
  return sql`
    SELECT
      id AS person,
      arraySort(groupArray(valid_from)) AS vfs,
      arraySort((d, v) -> v, groupArray(department), groupArray(valid_from)) AS deps,
      arraySort((l, v) -> v, groupArray(licensed), groupArray(valid_from)) AS lics,
      argMax(hired_at, valid_from) AS hired,
      argMax(left_at, valid_from) AS left,
      argMax(timezone, valid_from) AS zone
    FROM people FINAL
    WHERE org = ${org}
    GROUP BY id`;
}

/**
 * 1-based index of the version valid on `dayColumn` (0 when the person has no version yet). The day
 * is passed into the lambda as an array rather than captured: 18.16 prunes subquery columns that are
 * referenced only inside a lambda, which fails with "Unknown identifier".
 */
export function versionIndexOn(dayColumn: SqlFragment): SqlFragment {
  return sql`length(arrayFilter((v, on) -> v <= on, vfs, replicate(${dayColumn}, vfs)))`;
}
