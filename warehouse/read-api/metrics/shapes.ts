// The two shapes most metrics of the catalogue take — a percentile of durations and a ratio of two
// sums — each one readSimple query over one rollup, so a metric states only its text, its rollup and
// what it keeps. Metrics of any other shape (joins with headcount, week-over-week baselines) write
// their own read.
import { sql, type SqlFragment } from '../../sql.ts';
import type { RollupTable } from '../../queries/rollups/rollups.ts';
import { quantileLevel, ratio, readSimple, type Grouping, type MetricSpec, type SimpleQuery, type Unit } from '../metric-spec.ts';

export const PERIODS = ['day', 'week', 'month', 'department'] as const;

export interface MetricText {
  id: string;
  unit: Unit;
  definition: string;
}

interface Source {
  table: RollupTable;
  /** Rows the metric keeps (a condition on the rollup's columns). */
  where?: SqlFragment;
  groupings?: readonly Grouping[];
  /** A further key per point (see SimpleQuery.extra). */
  extra?: SimpleQuery['extra'];
}

/**
 * People behind a group: the merged people sets, and on response_kind_daily (which stores each
 * row's count) the cheap bounds readSimple uses to merge sets only for groups that straddle k.
 */
function peopleOf(table: RollupTable): Pick<SimpleQuery, 'people' | 'peopleBounds'> {
  const people = sql`uniqExactMerge(people)`;
  return table === 'response_kind_daily' ? { people, peopleBounds: { atLeast: sql`max(people_n)`, atMost: sql`sum(people_n)` } } : { people };
}

function simple(text: MetricText, source: Source, percentile: boolean, query: (ctx: Parameters<MetricSpec['read']>[0]) => Pick<SimpleQuery, 'value' | 'n'>): MetricSpec {
  return {
    ...text,
    tables: [source.table],
    groupings: source.groupings ?? PERIODS,
    percentile,
    peopleLevel: true,
    read: (ctx) =>
      readSimple(ctx, {
        table: source.table,
        ...query(ctx),
        ...peopleOf(source.table),
        ...(source.where ? { where: source.where } : {}),
        ...(source.extra ? { extra: source.extra } : {}),
      }),
  };
}

/** p50/p90 (the request's `stat`) of a quantileExact state column; n = Σ `count`. */
export function percentileMetric(text: MetricText, source: Source & { column: SqlFragment; count: SqlFragment }): MetricSpec {
  return simple(text, source, true, (ctx) => ({ value: sql`quantileExactMerge(${quantileLevel(ctx.stat)})(${source.column})`, n: sql`sum(${source.count})` }));
}

/** Σ numerator ÷ Σ denominator (NULL when the denominator is 0); n = the denominator. */
export function ratioMetric(text: MetricText, source: Source & { numerator: SqlFragment; denominator: SqlFragment }): MetricSpec {
  return simple(text, source, false, () => ({ value: ratio(source.numerator, source.denominator), n: source.denominator }));
}
