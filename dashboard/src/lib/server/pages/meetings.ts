// Meetings & collaboration page: meeting hours per person per week and average meeting length,
// document co-editing, group-chat activity, and the department network (interactions between
// departments, each department's silo index). Reads meeting_daily, doc_weekly, message_daily,
// group_weekly, headcount_daily and response_kind_daily ('interaction' rows: every reply across people).
import { z } from 'zod';
import { sql } from '$warehouse/sql.ts';
import { addDays, type DayRange } from '$lib/date-range.ts';
import { mondayOf, type Granularity } from '$lib/periods.ts';
import { label, type PageView } from '$lib/view.ts';
import type { PageContext } from '../page-load.ts';
import { isShownBySmallRows, smallRowsPeople, smallRowsPeopleFields } from '../people-bounds.ts';
import { pageK } from '../privacy.ts';
import { periodOf } from '../periods-sql.ts';
import { dayRange, inDepartments, liveRows } from '../rollup-sql.ts';
import { align, change, departmentNamer, ratio, trendOf } from './common.ts';

const meetingRow = z.object({ p: z.string(), attendeeSeconds: z.coerce.number(), meetings: z.coerce.number(), meetingSeconds: z.coerce.number() });
const headRow = z.object({ p: z.string(), personDays: z.coerce.number() });
const docRow = z.object({ p: z.string(), docs: z.coerce.number(), coedited: z.coerce.number(), people: z.coerce.number() });
const groupRow = z.object({ p: z.string(), groupMessages: z.coerce.number(), conversations: z.coerce.number() });
type GroupRow = z.infer<typeof groupRow>;
const messageRow = z.object({ p: z.string(), groupMessages: z.coerce.number() });
const weekRow = z.object({ p: z.string(), conversations: z.coerce.number() });
const edgeRow = z.object({ department: z.string(), counterpart: z.string(), n: z.coerce.number(), ...smallRowsPeopleFields });
const sumRow = z.object({ attendeeSeconds: z.coerce.number(), meetings: z.coerce.number(), meetingSeconds: z.coerce.number(), personDays: z.coerce.number() });

async function summary(ctx: PageContext, range: DayRange) {
  const org = ctx.org.id;
  const deps = inDepartments(ctx.scope.departments);
  const rows = await ctx.warehouse.query(
    sql`SELECT m.attendeeSeconds AS attendeeSeconds, m.meetings AS meetings, m.meetingSeconds AS meetingSeconds, h.personDays AS personDays FROM
          (SELECT 1 AS k, sum(attendee_seconds) AS attendeeSeconds, sum(meetings) AS meetings, sum(meeting_seconds) AS meetingSeconds
           FROM meeting_daily WHERE org = ${org} AND ${dayRange(range)} AND ${liveRows('meeting_daily', org, range)}${deps}) AS m
        ANY LEFT JOIN
          (SELECT 1 AS k, sum(licensed) AS personDays
           FROM headcount_daily WHERE org = ${org} AND ${dayRange(range)} AND ${liveRows('headcount_daily', org, range)}${deps}) AS h
        USING k`,
    sumRow,
    { org },
  );
  return summaryOf(rows[0]);
}

function summaryOf(r: z.infer<typeof sumRow> | undefined) {
  return {
    hoursPerPersonWeek: r && r.personDays > 0 ? (r.attendeeSeconds / 3600 / r.personDays) * 7 : null,
    averageLength: r ? ratio(r.meetingSeconds, r.meetings) : null,
  };
}

/** The range's totals from its periods' rows (the periods cover the range: sums add up). */
function totalOf(meetings: readonly z.infer<typeof meetingRow>[], heads: readonly { personDays: number }[]): z.infer<typeof sumRow> {
  const add = (values: number[]) => values.reduce((a, b) => a + b, 0);
  return {
    attendeeSeconds: add(meetings.map((m) => m.attendeeSeconds)),
    meetings: add(meetings.map((m) => m.meetings)),
    meetingSeconds: add(meetings.map((m) => m.meetingSeconds)),
    personDays: add(heads.map((h) => h.personDays)),
  };
}

/**
 * Group messages and distinct group conversations per trend period. Merging a set of conversations
 * per day dominated the year view, so the conversations of each whole week (Monday–Sunday) in the
 * range come from group_weekly's count for that week — the same conversations, counted once per
 * week — and only the partial weeks at either end, or day buckets, merge message_daily's sets.
 * group_weekly counts one department's or the whole organisation's conversations, not a set of
 * departments' (a conversation shared by two would count twice), so a scope of several departments
 * merges message_daily throughout. Messages and which periods have rows still come from message_daily.
 */
async function loadGroupActivity(ctx: PageContext, range: DayRange, granularity: Granularity): Promise<GroupRow[]> {
  const org = ctx.org.id;
  const departments = ctx.scope.departments;
  const deps = inDepartments(departments);
  const period = periodOf(granularity);
  const mergeDays = (r: DayRange) =>
    ctx.warehouse.query(
      sql`SELECT ${period} AS p, sum(group_messages) AS groupMessages, uniqExactMerge(conversations) AS conversations
          FROM message_daily WHERE org = ${org} AND ${dayRange(r)} AND ${liveRows('message_daily', org, r)}${deps} GROUP BY p ORDER BY p`,
      groupRow,
      { org },
    );
  const firstMonday = mondayOf(range.from) === range.from ? range.from : addDays(mondayOf(range.from), 7);
  const lastSunday = addDays(mondayOf(addDays(range.to, 1)), -1);
  if (granularity !== 'week' || firstMonday > lastSunday || (departments !== undefined && departments.length !== 1)) return mergeDays(range);

  const weeks = { from: firstMonday, to: lastSunday };
  const rows = departments === undefined ? sql`whole = 1` : sql`whole = 0 AND department = ${departments[0]!}`;
  const noRows: GroupRow[] = [];
  const [messages, head, tail, weekly] = await Promise.all([
    ctx.warehouse.query(
      sql`SELECT ${period} AS p, sum(group_messages) AS groupMessages
          FROM message_daily WHERE org = ${org} AND ${dayRange(range)} AND ${liveRows('message_daily', org, range)}${deps} GROUP BY p ORDER BY p`,
      messageRow,
      { org },
    ),
    range.from < firstMonday ? mergeDays({ from: range.from, to: addDays(firstMonday, -1) }) : noRows,
    lastSunday < range.to ? mergeDays({ from: addDays(lastSunday, 1), to: range.to }) : noRows,
    ctx.warehouse.query(
      sql`SELECT toString(day) AS p, sum(groups) AS conversations
          FROM group_weekly WHERE org = ${org} AND ${rows} AND ${dayRange(weeks)}
            AND ${liveRows('group_weekly', org, weeks)}
          GROUP BY p`,
      weekRow,
      { org },
    ),
  ]);
  const conversations = new Map([...weekly, ...head, ...tail].map((r) => [r.p, r.conversations]));
  return messages.map((m) => ({ ...m, conversations: conversations.get(m.p) ?? 0 }));
}

export async function loadMeetingsView(ctx: PageContext): Promise<PageView> {
  const org = ctx.org.id;
  const range = ctx.scope.filters.range;
  const deps = inDepartments(ctx.scope.departments);
  const trend = trendOf(range);
  const period = periodOf(trend.granularity);
  // Documents are counted per week: widen to whole weeks so the first and last week are complete.
  const weeks = { from: mondayOf(range.from), to: range.to };
  const name = departmentNamer(ctx);
  // The range's own totals are the trend rows' sums; only a comparison range is read on its own.
  const [before, meetings, heads, docs, groups, edges] = await Promise.all([
    ctx.scope.comparison ? summary(ctx, ctx.scope.comparison) : undefined,
    ctx.warehouse.query(
      sql`SELECT ${period} AS p, sum(attendee_seconds) AS attendeeSeconds, sum(meetings) AS meetings, sum(meeting_seconds) AS meetingSeconds
          FROM meeting_daily WHERE org = ${org} AND ${dayRange(range)} AND ${liveRows('meeting_daily', org, range)}${deps} GROUP BY p ORDER BY p`,
      meetingRow,
      { org },
    ),
    ctx.warehouse.query(
      sql`SELECT ${period} AS p, sum(licensed) AS personDays
          FROM headcount_daily WHERE org = ${org} AND ${dayRange(range)} AND ${liveRows('headcount_daily', org, range)}${deps} GROUP BY p ORDER BY p`,
      headRow,
      { org },
    ),
    ctx.warehouse.query(
      sql`SELECT toString(day) AS p, uniqExactMerge(docs) AS docs, uniqExactMerge(coedited) AS coedited, uniqExactMerge(people) AS people
          FROM doc_weekly WHERE org = ${org} AND ${dayRange(weeks)} AND ${liveRows('doc_weekly', org, weeks)}${deps} GROUP BY p ORDER BY p`,
      docRow,
      { org },
    ),
    loadGroupActivity(ctx, range, trend.granularity),
    // Interactions per (department, counterpart), with enough of their people for the k-check: a pair
    // with a day of k people is shown, the others merge their (then all) sets — one pass, not bounds
    // then a second pass, because reading the UInt64 sets costs more than merging the small ones, and
    // a year leaves dozens of pairs undecided (people-bounds.ts). response_kind_daily holds
    // response_daily's rows ordered by kind first, so only the 'interaction' rows are read.
    ctx.warehouse.query(
      sql`SELECT department, counterpart, sum(n) AS n, ${smallRowsPeople()}
          FROM response_kind_daily WHERE org = ${org} AND kind = 'interaction' AND ${dayRange(range)} AND ${liveRows('response_kind_daily', org, range)}${deps}
          GROUP BY department, counterpart
          ORDER BY department, counterpart`,
      edgeRow,
      { org },
    ),
  ]);
  const now = summaryOf(totalOf(meetings, heads));
  const personDays = new Map(heads.map((h) => [h.p, h.personDays]));
  const hoursPerPersonWeek = align(trend, meetings, (r) => {
    const pd = personDays.get(r.p) ?? 0;
    return pd > 0 ? (r.attendeeSeconds / 3600 / pd) * 7 : null;
  });
  const weekTrend = { granularity: 'week' as const, periods: docs.map((d) => d.p) };

  // Network: interactions per department pair (both directions summed), silo index = inside ÷ all.
  const inside = new Map<string, number>();
  const total = new Map<string, number>();
  const pairs = new Map<string, number>();
  for (const e of edges) {
    if (!e.department || !e.counterpart) continue;
    total.set(e.department, (total.get(e.department) ?? 0) + e.n);
    if (e.department === e.counterpart) {
      inside.set(e.department, (inside.get(e.department) ?? 0) + e.n);
      continue;
    }
    total.set(e.counterpart, (total.get(e.counterpart) ?? 0) + e.n);
    // Pairs whose responders are fewer than k people stay out of the picture.
    if (!isShownBySmallRows(e)) continue;
    const key = [e.department, e.counterpart].sort().join('\u0000');
    pairs.set(key, (pairs.get(key) ?? 0) + e.n);
  }
  const nodes = [...total.entries()].map(([id, weight]) => ({ id, name: name(id), weight, silo: ratio(inside.get(id) ?? 0, weight) }));
  const links = [...pairs.entries()].map(([key, weight]) => {
    const [source, target] = key.split('\u0000') as [string, string];
    return { source, target, weight };
  });
  const emptyMeetings = { title: label('meet.noMeetings'), hint: label('empty.runJobs') };

  return {
    notices: [],
    tiles: [
      { id: 'meeting-hours', label: label('meet.hoursPerPersonWeek'), value: now.hoursPerPersonWeek, unit: 'hours', change: change(now.hoursPerPersonWeek, before?.hoursPerPersonWeek), higherIsBetter: false },
      { id: 'meeting-length', label: label('meet.averageLength'), value: now.averageLength, unit: 'seconds', change: change(now.averageLength, before?.averageLength), higherIsBetter: false },
      { id: 'coedited', label: label('meet.coeditedShare'), value: ratio(docs.reduce((s, d) => s + d.coedited, 0), docs.reduce((s, d) => s + d.docs, 0)), unit: 'percent', hint: label('meet.coeditedHint') },
      { id: 'silo', label: label('meet.siloIndex'), value: ratio([...inside.values()].reduce((s, v) => s + v, 0), [...total.values()].reduce((s, v) => s + v, 0) - 0), unit: 'percent', hint: label('meet.siloHint') },
    ],
    panels: [
      {
        kind: 'trend',
        id: 'meeting-hours',
        title: label('meet.hoursTitle'),
        subtitle: label('meet.hoursSubtitle'),
        unit: 'hours',
        min: 0,
        ...trend,
        series: [{ name: label('meet.hoursPerPersonWeek'), values: hoursPerPersonWeek, kind: 'area' }],
        empty: emptyMeetings,
      },
      {
        kind: 'trend',
        id: 'meeting-length',
        title: label('meet.lengthTitle'),
        unit: 'seconds',
        min: 0,
        ...trend,
        series: [{ name: label('meet.averageLength'), values: align(trend, meetings, (r) => ratio(r.meetingSeconds, r.meetings)), kind: 'bar' }],
        empty: emptyMeetings,
      },
      {
        kind: 'trend',
        id: 'doc-coediting',
        title: label('meet.docsTitle'),
        subtitle: label('meet.docsSubtitle'),
        unit: 'count',
        ...weekTrend,
        series: [
          { name: label('meet.docsEdited'), values: docs.map((d) => d.docs), kind: 'bar' },
          { name: label('meet.docsCoedited'), values: docs.map((d) => d.coedited), kind: 'bar' },
        ],
        empty: { title: label('meet.noDocs'), hint: label('empty.runJobs') },
      },
      {
        kind: 'trend',
        id: 'group-activity',
        title: label('meet.groupTitle'),
        subtitle: label('meet.groupSubtitle'),
        unit: 'count',
        ...trend,
        series: [
          { name: label('meet.groupMessages'), values: align(trend, groups, (r) => r.groupMessages), kind: 'bar' },
          { name: label('meet.activeGroups'), values: align(trend, groups, (r) => r.conversations) },
        ],
        empty: { title: label('empty.noMessages'), hint: label('empty.runJobs') },
      },
      {
        kind: 'network',
        id: 'department-network',
        title: label('meet.networkTitle'),
        subtitle: label('meet.networkSubtitle'),
        unit: 'count',
        wide: true,
        nodes,
        edges: links,
        note: label('meet.networkNote', { k: pageK() }),
        empty: { title: label('empty.noMessages'), hint: label('empty.runJobs') },
      },
    ],
  };
}
