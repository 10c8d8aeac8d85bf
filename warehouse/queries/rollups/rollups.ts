// The rollup tables as data: what each holds, its grain, the SELECT that computes it from raw events
// (used by jobs to write it and by readers as the raw-events fallback), and which days an event can
// change, so incremental refreshes recompute exactly the affected days.
import type { Org } from '../../orgs.ts';
import type { SqlFragment } from '../../sql.ts';
import type { RollupScope } from './scan-events.ts';
import { selectActivityDaily, selectActivityHourly, selectActivityStage } from './select-activity-daily.ts';
import { selectAdoptionPeople } from './select-adoption-people.ts';
import { selectApprovalDaily } from './select-approval-daily.ts';
import { selectDocWeekly } from './select-doc-weekly.ts';
import { selectGroupWeekly } from './select-group-weekly.ts';
import { selectHeadcountDaily } from './select-headcount-daily.ts';
import { selectMeetingDaily } from './select-meeting-daily.ts';
import { selectMessageDaily, selectMessageStage, selectResponseDaily, selectResponseKindDaily } from './select-message-stage.ts';
import { selectTaskDaily } from './select-task-daily.ts';

export const ROLLUP_TABLES = [
  'activity_daily',
  'activity_hourly',
  'headcount_daily',
  'response_daily',
  'message_daily',
  'response_kind_daily',
  'group_weekly',
  'approval_daily',
  'task_daily',
  'meeting_daily',
  'doc_weekly',
  'adoption_people',
] as const;
export type RollupTable = (typeof ROLLUP_TABLES)[number];

/** `day`: one version per local day; `week`: per Monday; `all`: one version for the whole org. */
export type RollupGrain = 'day' | 'week' | 'all';

/** The day an `all`-grain rollup registers its version under. */
export const WHOLE_ORG_DAY = '1970-01-01';

export interface RollupDefinition {
  table: RollupTable;
  grain: RollupGrain;
  /** Columns in insert order, without `version`. */
  columns: readonly string[];
  select(scope: RollupScope): SqlFragment;
  /** An event on local day X can change this rollup's days X − back … X + forward. */
  affects: { back: number; forward: number };
  /** Largest range computed in one statement (bounds memory of the joins). */
  chunkDays: number;
  /**
   * Where the job inserts, when not the table itself: a Null table whose materialized views fill this
   * rollup and `alsoFills` from one SELECT (its own columns), so a shared scan is made once.
   */
  stage?: { table: 'response_stage' | 'activity_stage'; columns: readonly string[]; select(scope: RollupScope): SqlFragment };
  /** Rollups the same insert fills, whose versions are registered with this one's. */
  alsoFills?: readonly RollupTable[];
  /** Filled by another rollup's job (see alsoFills): no job of its own. */
  filledBy?: RollupTable;
}

const wholeOrg = (select: (org: Org) => SqlFragment) => (scope: RollupScope) => select(scope.org);

export const ROLLUPS: Record<RollupTable, RollupDefinition> = {
  activity_daily: {
    table: 'activity_daily',
    grain: 'day',
    columns: ['org', 'day', 'department', 'people', 'licensed_people', 'events', 'after_hours', 'weekend'],
    select: selectActivityDaily,
    affects: { back: 0, forward: 0 },
    chunkDays: 62,
    stage: {
      table: 'activity_stage',
      columns: ['org', 'day', 'department_key', 'weekday_key', 'hour_key', 'people', 'licensed_people', 'events', 'after_hours', 'weekend'],
      select: selectActivityStage,
    },
    alsoFills: ['activity_hourly'],
  },
  activity_hourly: {
    table: 'activity_hourly',
    grain: 'day',
    columns: ['org', 'day', 'department', 'weekday', 'hour', 'people', 'people_n', 'events'],
    select: selectActivityHourly,
    affects: { back: 0, forward: 0 },
    chunkDays: 62,
    filledBy: 'activity_daily',
  },
  headcount_daily: {
    table: 'headcount_daily',
    grain: 'day',
    columns: ['org', 'day', 'department', 'licensed', 'employed'],
    select: selectHeadcountDaily,
    affects: { back: 0, forward: 0 },
    chunkDays: 366,
  },
  response_daily: {
    table: 'response_daily',
    grain: 'day',
    columns: ['org', 'day', 'department', 'counterpart', 'kind', 'urgent', 'people', 'n', 'latency'],
    select: selectResponseDaily,
    // A message on X changes its own row and responses on X − 1 … X + 30; a response on X changes
    // its message's row (X − 31 … X + 1) and can displace a later first reply up to X + 31.
    affects: { back: 31, forward: 31 },
    // Long chunks: each one also reads the month of messages before it, so fewer chunks read less twice.
    chunkDays: 183,
    stage: {
      table: 'response_stage',
      columns: [
        'org', 'day', 'department', 'counterpart', 'kind', 'urgent', 'people', 'n', 'latency', 'latency_s', 'latency_buckets',
        'conversations', 'group_messages', 'replied', 'read', 'read_unreplied', 'recipients', 'reached_15m',
      ],
      select: selectMessageStage,
    },
    alsoFills: ['message_daily', 'response_kind_daily'],
  },
  message_daily: {
    table: 'message_daily',
    grain: 'day',
    columns: ['org', 'day', 'department', 'urgent', 'people', 'conversations', 'messages', 'group_messages', 'replied', 'read', 'read_unreplied', 'recipients', 'reached_15m'],
    select: selectMessageDaily,
    affects: { back: 31, forward: 31 },
    chunkDays: 183,
    filledBy: 'response_daily',
  },
  response_kind_daily: {
    table: 'response_kind_daily',
    grain: 'day',
    columns: ['org', 'kind', 'urgent', 'day', 'department', 'counterpart', 'people', 'people_n', 'n', 'latency', 'latency_buckets'],
    select: selectResponseKindDaily,
    affects: { back: 31, forward: 31 },
    chunkDays: 183,
    filledBy: 'response_daily',
  },
  group_weekly: {
    table: 'group_weekly',
    grain: 'week',
    columns: ['org', 'day', 'whole', 'department', 'people', 'messages', 'groups'],
    select: selectGroupWeekly,
    affects: { back: 0, forward: 0 },
    chunkDays: 182,
  },
  approval_daily: {
    table: 'approval_daily',
    grain: 'day',
    columns: ['org', 'day', 'department', 'kind', 'people', 'n', 'automated', 'cycle'],
    select: selectApprovalDaily,
    affects: { back: 0, forward: 31 },
    chunkDays: 366,
  },
  task_daily: {
    table: 'task_daily',
    grain: 'day',
    columns: ['org', 'day', 'department', 'people', 'created', 'completed_7d', 'completed', 'cycle'],
    select: selectTaskDaily,
    affects: { back: 8, forward: 31 },
    chunkDays: 366,
  },
  meeting_daily: {
    table: 'meeting_daily',
    grain: 'day',
    columns: ['org', 'day', 'department', 'people', 'attendee_seconds', 'meetings', 'meeting_seconds'],
    select: selectMeetingDaily,
    affects: { back: 1, forward: 1 },
    chunkDays: 92,
  },
  doc_weekly: {
    table: 'doc_weekly',
    grain: 'week',
    columns: ['org', 'day', 'department', 'people', 'docs', 'coedited'],
    select: selectDocWeekly,
    affects: { back: 0, forward: 0 },
    chunkDays: 91,
  },
  adoption_people: {
    table: 'adoption_people',
    grain: 'all',
    columns: ['org', 'person', 'department', 'wave', 'invited', 'wave_start', 'activated', 'weekly_active', 'habitual'],
    select: wholeOrg(selectAdoptionPeople),
    affects: { back: 0, forward: 0 },
    chunkDays: 0,
  },
};
