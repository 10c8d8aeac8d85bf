// The shared first step of every rollup: an organisation's events over a window of days, with the
// actor's department and licence on the event's local day. Windows are widened by a day on each side
// because the table is keyed by UTC date. A re-sent event (same id) collapses only when parts merge;
// rollups that count events read FINAL (`collapseDuplicates`), the others aggregate in ways a
// duplicate cannot change (distinct counts, min/max, grouping by object) and skip its cost.
import type { EventType } from '../../../contracts/events.ts';
import type { Org } from '../../orgs.ts';
import { day, joinSql, sql, timezone, type SqlFragment } from '../../sql.ts';
import { addDays } from './calendar.ts';
import { peopleHistory, versionIndexOn } from '../people-history.ts';

/** What a rollup is computed for: one organisation, an inclusive range of its local days. */
export interface RollupScope {
  org: Org;
  from: string;
  to: string;
  /** The distinct personal timezones in the directory (for after-hours); see listZones. */
  zones: readonly string[];
}

export interface ScanOptions {
  types?: readonly EventType[];
  /** Extra local days scanned before `from` and after `to` (for replies, reads, decisions). */
  before?: number;
  after?: number;
  /** Only a person's own use of the platform: not automated, not legacy e-mail. */
  activityOnly?: boolean;
  /** Read FINAL so each event id appears once (3–4× the scan's cost on 18.16). */
  collapseDuplicates?: boolean;
}

/**
 * Subquery columns: id, type, time, actor, conversation, object, parent, channel, urgent, recipients,
 * kind, duration_sec, automated, d (local Date), department ('' = not in the directory that day),
 * licensed_on_day (UInt8: licensed and employed on d), zone (personal timezone or '').
 */
export function scanEvents(scope: RollupScope, options: ScanOptions = {}): SqlFragment {
  const tz = timezone(scope.org.timezone);
  const first = addDays(scope.from, -((options.before ?? 0) + 1));
  const last = addDays(scope.to, (options.after ?? 0) + 1);
  const filters: SqlFragment[] = [];
  // `type IN (…)` (not has()) so the primary key (org, toDate(time), type, id) prunes granules.
  if (options.types) filters.push(sql`AND type IN (${joinSql(options.types.map((t) => sql`${t}`), ', ')})`);
  if (options.activityOnly) filters.push(sql`AND automated = 0 AND channel != 'email'`);
  return sql`
    SELECT id, type, time, actor, conversation, object, parent, channel, urgent, recipients, kind, duration_sec, automated, d,
      arrayElement(deps, idx) AS department,
      -- ifNull: with Nullable hire/leave dates the condition is Nullable on a current server, and so would be the rollup's state type.
      toUInt8(ifNull(idx > 0 AND arrayElement(lics, idx) = 1 AND (hired IS NULL OR hired <= d) AND (left IS NULL OR left > d), 0)) AS licensed_on_day,
      zone
    FROM (
      SELECT id, type, time, actor, conversation, object, parent, channel, urgent, recipients, kind, duration_sec, automated, d,
        vfs, deps, lics, hired, left, zone, ${versionIndexOn(sql`d`)} AS idx
      FROM (
        SELECT id, type, time, actor, conversation, object, parent, channel, urgent, recipients, kind, duration_sec, automated,
          toDate(time, ${tz}) AS d, actor AS person
        FROM events ${options.collapseDuplicates ? sql`FINAL` : sql``}
        WHERE org = ${scope.org.id} AND toDate(time) >= ${day(first)} AND toDate(time) <= ${day(last)} ${joinSql(filters, ' ')}
      ) AS t_events
      ANY LEFT JOIN (${peopleHistory(scope.org.id)}) AS t_history USING person
    )`;
}

/**
 * dow·10000 + hour·100 + minute of `time` in the actor's own timezone (the organisation's when the
 * directory has none): Monday 09:30 is 10930, Sunday 23:59 is 72359.
 */
export function localWeekMinute(scope: RollupScope): SqlFragment {
  const at = (zone: string) => {
    const tz = timezone(zone);
    return sql`(toDayOfWeek(toDate(time, ${tz})) * 10000 + toHour(time, ${tz}) * 100 + toMinute(time, ${tz}))`;
  };
  const zones = scope.zones.filter((z) => z !== scope.org.timezone);
  if (zones.length === 0) return at(scope.org.timezone);
  const branches = zones.map((z) => sql`zone = ${z}, ${at(z)}`);
  return sql`multiIf(${joinSql(branches, ', ')}, ${at(scope.org.timezone)})`;
}

/** The inclusive day range as SQL: d >= from AND d <= to for a Date expression. */
export function inRange(column: SqlFragment, from: string, to: string): SqlFragment {
  return sql`${column} >= ${day(from)} AND ${column} <= ${day(to)}`;
}

/** Whole seconds from `start` to `end`, never negative (a response stamped before its message counts as 0). */
export function secondsBetween(start: SqlFragment, end: SqlFragment): SqlFragment {
  return sql`toFloat64(greatest(toInt64(${end}) - toInt64(${start}), 0))`;
}
