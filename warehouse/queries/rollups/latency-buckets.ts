// The bands of reply and read latency that response_kind_daily counts per row (latency_buckets), for
// the Responsiveness page's distribution: a sum of arrays over any range, where exact percentiles of
// a year would merge every latency of it. Bands are [previous bound, bound) in whole seconds; the
// last band is open-ended. Changing the bounds changes what the rollup holds: it needs a migration
// that asks for a rebuild (job_rebuilds), as 052 did.
import { joinSql, sql, type SqlFragment } from '../../sql.ts';

/** Upper bounds (seconds, exclusive): 1 min, 5 min, 15 min, 1 h, 4 h, 1 day, 3 days; then 3 days and more. */
export const LATENCY_BUCKET_BOUNDS = [60, 300, 900, 3_600, 14_400, 86_400, 259_200] as const;

/** Number of bands: one per bound, plus the open-ended last one. */
export const LATENCY_BUCKET_COUNT = LATENCY_BUCKET_BOUNDS.length + 1;

/** `[countIf(when AND band 0), …]`: the row's latencies per band, as Array(UInt64). */
export function countLatencyBuckets(latency: SqlFragment, when: SqlFragment): SqlFragment {
  const lower = [0, ...LATENCY_BUCKET_BOUNDS];
  const bands = lower.map((from, i) => {
    const to = LATENCY_BUCKET_BOUNDS[i];
    const inBand = to === undefined ? sql`${latency} >= ${from}` : sql`${latency} >= ${from} AND ${latency} < ${to}`;
    return sql`countIf(${when} AND ${inBand})`;
  });
  return sql`[${joinSql(bands, ', ')}]`;
}
