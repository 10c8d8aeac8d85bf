// Ground truth: the true values of the key metrics, computed by plain TypeScript from the event stream
// and the directory — independently of Waypoint's SQL — so the pipeline can be checked against them.
// Definitions are written out in docs/simulations.md ("Ground truth"); keep the two in step.
import type { DirectoryInput } from '../contracts/directory.ts';
import type { EventInput } from '../contracts/events.ts';
import { FOLLOW_UP_HORIZON_DAYS } from './generate-events.ts';
import { dateOfDayNumber, dayNumberOf, mondayOf, MS_PER_DAY, ZoneClock } from './zone-clock.ts';

export interface LatencyRow {
  week: string;
  department: string;
  medianSec: number;
  count: number;
}

export interface GroundTruth {
  org: string;
  timezone: string;
  scenario: string;
  seed: number;
  /** First and last simulated day (org-local, inclusive). */
  from: string;
  to: string;
  definitions: Record<string, string>;
  totals: { events: number; automated: number; email: number; byType: Record<string, number>; byChannel: Record<string, number> };
  eventsPerDay: { day: string; events: number }[];
  activeUsers: { day: string; department: string; active: number; licensedHeadcount: number; activeRate: number | null }[];
  replyLatency: LatencyRow[];
  crossTeamReplyLatency: LatencyRow[];
  readLatency: LatencyRow[];
  approvalCycle: { week: string; kind: string; medianSec: number; count: number }[];
  approvalCycleByKind: { kind: string; medianSec: number; count: number }[];
  taskCompletion: { week: string; department: string; created: number; completedWithin7Days: number; rate: number }[];
  meetingHours: { week: string; department: string; hours: number; headcount: number; hoursPerPerson: number | null }[];
  urgentReach: { week: string; notices: number; recipients: number; readWithin15Min: number; reach: number | null }[];
}

export const GROUND_TRUTH_DEFINITIONS: Record<string, string> = {
  day: 'calendar day in the organisation timezone; a week starts on Monday and is named by that Monday',
  median: 'upper median: sorted[floor(n / 2)] (0-based) of the values, which is ClickHouse quantileExact(0.5); latencies are whole seconds',
  department: "an event is attributed to its actor's department on the event's day: the directory version with the latest validFrom <= day",
  activity: 'an event counts as activity unless attrs.automated is true or channel is email',
  activeUsers: 'distinct actors with >= 1 activity event that day, per department; activeRate = active / licensed people employed that day in the department (hiredAt <= day and (no leftAt or leftAt > day)), null when 0',
  replyLatency: 'for each message.sent M, the first message.sent R with parent = M.object and R.actor != M.actor; R.time - M.time; bucketed by the week of R and the replier department on the day of R',
  crossTeamReplyLatency: "replyLatency restricted to replies where the replier's department (day of R) differs from the sender's department (day of M)",
  readLatency: 'for each message.sent M and each reader != M.actor, the first message.read with object = M.object by that reader; read.time - M.time; bucketed by the week of the read and the reader department on that day',
  approvalCycle: 'approval.decided.time - approval.requested.time for the same object (the first decision), bucketed by the week of the decision and attrs.kind; approvalCycleByKind over the whole run',
  taskCompletion: "tasks (task.created) created in a week, by the creator's department on the creation day; completedWithin7Days counts those whose first task.completed is <= 7 x 86400 s after creation; rate = completed / created",
  meetingHours: "sum of meeting.held attrs.durationSec / 3600 per attendee event, by the week and the attendee's department on the meeting day; headcount = people employed (licensed or not) in the department on the week's Monday; hoursPerPerson = hours / headcount",
  urgentReach: 'for message.sent with attrs.urgent, distinct readers != sender whose first read is <= 900 s after the notice, divided by attrs.recipients; summed per week of the notice',
  automatedAndEmail: 'all metrics except activeUsers include automated and email events; approvals and tasks on any channel',
};

interface Version {
  from: number;
  department: string;
  hired: number;
  left: number;
  licensed: boolean;
}

interface MessageState {
  t: number;
  actor: string;
  department: string | undefined;
  replied: boolean;
  readers: Set<string> | undefined;
  urgentWeek: number;
}

const HORIZON_MS = (FOLLOW_UP_HORIZON_DAYS + 2) * MS_PER_DAY;

function upperMedian(values: number[]): number {
  const sorted = Float64Array.from(values).sort();
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

function bump(map: Map<string, number>, key: string, by = 1): void {
  map.set(key, (map.get(key) ?? 0) + by);
}

function pushTo(map: Map<string, number[]>, key: string, value: number): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/** A queue of keys in time order, so state older than the follow-up horizon can be dropped. */
class ExpiryQueue {
  private times: number[] = [];
  private keys: string[] = [];
  private head = 0;

  add(t: number, key: string): void {
    this.times.push(t);
    this.keys.push(key);
  }

  expire(before: number, drop: (key: string) => void): void {
    while (this.head < this.times.length && (this.times[this.head] as number) < before) {
      drop(this.keys[this.head] as string);
      this.head++;
    }
    if (this.head > 65536 && this.head * 2 > this.times.length) {
      this.times = this.times.slice(this.head);
      this.keys = this.keys.slice(this.head);
      this.head = 0;
    }
  }
}

/** Feed every event in time order with `add`, then call `finish`. */
export class GroundTruthBuilder {
  private readonly clock: ZoneClock;
  private readonly fromDay: number;
  private readonly toDay: number;
  private readonly versions = new Map<string, Version[]>();
  private readonly departments: string[];
  private lastT = Number.NEGATIVE_INFINITY;
  private expireAt = Number.NEGATIVE_INFINITY;

  private events = 0;
  private automated = 0;
  private email = 0;
  private readonly byType = new Map<string, number>();
  private readonly byChannel = new Map<string, number>();
  private readonly perDay = new Map<number, number>();
  private readonly active = new Map<number, Map<string, Set<string>>>();
  /** Days that can no longer change, reduced to counts to keep memory bounded. */
  private readonly activeCounts = new Map<number, Map<string, number>>();
  private readonly messages = new Map<string, MessageState>();
  private readonly messageQueue = new ExpiryQueue();
  private readonly reply = new Map<string, number[]>();
  private readonly crossReply = new Map<string, number[]>();
  private readonly read = new Map<string, number[]>();
  private readonly approvals = new Map<string, { t: number }>();
  private readonly approvalQueue = new ExpiryQueue();
  private readonly approvalCycle = new Map<string, number[]>();
  private readonly tasks = new Map<string, { t: number; key: string; done: boolean }>();
  private readonly taskQueue = new ExpiryQueue();
  private readonly tasksCreated = new Map<string, number>();
  private readonly tasksDone = new Map<string, number>();
  private readonly meetingSeconds = new Map<string, number>();
  private readonly urgent = new Map<number, { notices: number; recipients: number; within15: number }>();

  constructor(
    private readonly meta: { org: string; timezone: string; scenario: string; seed: number; from: string; to: string },
    directory: DirectoryInput,
  ) {
    this.fromDay = dayNumberOf(meta.from);
    this.toDay = dayNumberOf(meta.to);
    this.clock = new ZoneClock(meta.timezone, (this.fromDay - 7) * MS_PER_DAY, (this.toDay + 7) * MS_PER_DAY);
    this.departments = (directory.departments ?? []).map((d) => d.id);
    for (const p of directory.people ?? []) {
      const hired = p.hiredAt ? dayNumberOf(p.hiredAt) : Number.NEGATIVE_INFINITY;
      const version: Version = {
        from: p.validFrom ? dayNumberOf(p.validFrom) : p.hiredAt ? hired : 0,
        department: p.department,
        hired,
        left: p.leftAt ? dayNumberOf(p.leftAt) : Number.POSITIVE_INFINITY,
        licensed: p.licensed ?? true,
      };
      const list = this.versions.get(p.id);
      if (list) list.push(version);
      else this.versions.set(p.id, [version]);
    }
    for (const list of this.versions.values()) list.sort((a, b) => a.from - b.from);
  }

  private versionOn(person: string, day: number): Version | undefined {
    const list = this.versions.get(person);
    if (!list) return undefined;
    let found: Version | undefined;
    for (const v of list) if (v.from <= day) found = v;
    return found;
  }

  private departmentOn(person: string, day: number): string | undefined {
    return this.versionOn(person, day)?.department;
  }

  add(e: EventInput): void {
    this.record(Date.parse(e.time), e.type, e.actor, e.object, e.parent, e.channel, e.attrs as Record<string, unknown> | undefined);
  }

  /** The same as `add`, from the event's fields (the time as epoch milliseconds). */
  record(t: number, type: string, actor: string, object: string, parent: string | undefined, channel: string, attrsOrNone: Record<string, unknown> | undefined): void {
    if (t < this.lastT) throw new Error(`ground truth needs events in time order (${type} ${object} came after a later event)`);
    this.lastT = t;
    if (t >= this.expireAt) this.expire(t);
    const day = this.clock.localDay(t);
    const week = mondayOf(day);
    const attrs = attrsOrNone ?? {};
    const automated = attrs.automated === true;
    const department = this.departmentOn(actor, day);

    this.events++;
    bump(this.byType, type);
    bump(this.byChannel, channel);
    this.perDay.set(day, (this.perDay.get(day) ?? 0) + 1);
    if (automated) this.automated++;
    if (channel === 'email') this.email++;
    if (!automated && channel !== 'email' && department !== undefined) {
      if (this.activeCounts.has(day)) throw new Error(`ground truth needs events in time order (${type} ${object} is days late)`);
      let byDept = this.active.get(day);
      if (!byDept) this.active.set(day, (byDept = new Map()));
      let actors = byDept.get(department);
      if (!actors) byDept.set(department, (actors = new Set()));
      actors.add(actor);
    }

    switch (type) {
      case 'message.sent': {
        const urgent = attrs.urgent === true;
        const recipients = typeof attrs.recipients === 'number' ? attrs.recipients : 0;
        this.messages.set(object, {
          t,
          actor: actor,
          department,
          replied: false,
          readers: undefined,
          urgentWeek: urgent ? week : Number.NaN,
        });
        this.messageQueue.add(t, object);
        if (urgent) {
          const u = this.urgent.get(week) ?? { notices: 0, recipients: 0, within15: 0 };
          u.notices++;
          u.recipients += recipients;
          this.urgent.set(week, u);
        }
        if (parent !== undefined) {
          const m = this.messages.get(parent);
          if (m && !m.replied && m.actor !== actor && department !== undefined) {
            m.replied = true;
            const latency = (t - m.t) / 1000;
            const key = `${week}|${department}`;
            pushTo(this.reply, key, latency);
            if (m.department !== undefined && m.department !== department) pushTo(this.crossReply, key, latency);
          }
        }
        break;
      }
      case 'message.read': {
        const m = this.messages.get(object);
        if (!m || m.actor === actor) break;
        if (!m.readers) m.readers = new Set();
        if (m.readers.has(actor)) break;
        m.readers.add(actor);
        const latency = (t - m.t) / 1000;
        if (department !== undefined) pushTo(this.read, `${week}|${department}`, latency);
        if (!Number.isNaN(m.urgentWeek) && latency <= 900) {
          const u = this.urgent.get(m.urgentWeek);
          if (u) u.within15++;
        }
        break;
      }
      case 'approval.requested':
        if (!this.approvals.has(object)) {
          this.approvals.set(object, { t });
          this.approvalQueue.add(t, object);
        }
        break;
      case 'approval.decided': {
        const request = this.approvals.get(object);
        if (!request) break;
        this.approvals.delete(object);
        pushTo(this.approvalCycle, `${week}|${String(attrs.kind)}`, (t - request.t) / 1000);
        break;
      }
      case 'task.created': {
        if (this.tasks.has(object) || department === undefined) break;
        const key = `${week}|${department}`;
        this.tasks.set(object, { t, key, done: false });
        this.taskQueue.add(t, object);
        bump(this.tasksCreated, key);
        break;
      }
      case 'task.completed': {
        const task = this.tasks.get(object);
        if (!task || task.done) break;
        task.done = true;
        if (t - task.t <= 7 * MS_PER_DAY) bump(this.tasksDone, task.key);
        break;
      }
      case 'meeting.held':
        if (department !== undefined && typeof attrs.durationSec === 'number') bump(this.meetingSeconds, `${week}|${department}`, attrs.durationSec);
        break;
      default:
        break;
    }
  }

  /** Drops state that no later event can refer to (the simulator never schedules beyond the horizon). */
  private expire(now: number): void {
    const before = now - HORIZON_MS;
    this.messageQueue.expire(before, (k) => this.messages.delete(k));
    this.approvalQueue.expire(before, (k) => this.approvals.delete(k));
    this.taskQueue.expire(before, (k) => this.tasks.delete(k));
    const today = this.clock.localDay(now);
    for (const [day, byDept] of this.active) {
      if (day >= today - 1) continue;
      this.activeCounts.set(day, new Map([...byDept].map(([dept, actors]) => [dept, actors.size])));
      this.active.delete(day);
    }
    this.expireAt = now + MS_PER_DAY;
  }

  private headcount(department: string, day: number, licensedOnly: boolean): number {
    let n = 0;
    for (const list of this.versions.values()) {
      let v: Version | undefined;
      for (const x of list) if (x.from <= day) v = x;
      if (!v || v.department !== department) continue;
      if (v.hired <= day && v.left > day && (!licensedOnly || v.licensed)) n++;
    }
    return n;
  }

  finish(): GroundTruth {
    const date = dateOfDayNumber;
    const splitKey = (key: string): [number, string] => {
      const bar = key.indexOf('|');
      return [Number(key.slice(0, bar)), key.slice(bar + 1)];
    };
    const latencyRows = (map: Map<string, number[]>): LatencyRow[] =>
      [...map.entries()]
        .map(([key, values]) => {
          const [week, department] = splitKey(key);
          return { week: date(week), department, medianSec: upperMedian(values), count: values.length };
        })
        .sort((a, b) => (a.week < b.week ? -1 : a.week > b.week ? 1 : a.department < b.department ? -1 : a.department > b.department ? 1 : 0));

    // Headcounts per department and day, in one pass over the directory per day.
    const licensedByDay = new Map<number, Map<string, number>>();
    const employedByDay = new Map<number, Map<string, number>>();
    const countDay = (day: number) => {
      if (licensedByDay.has(day)) return;
      const licensed = new Map<string, number>();
      const employed = new Map<string, number>();
      for (const list of this.versions.values()) {
        let v: Version | undefined;
        for (const x of list) if (x.from <= day) v = x;
        if (!v || !(v.hired <= day && v.left > day)) continue;
        bump(employed, v.department);
        if (v.licensed) bump(licensed, v.department);
      }
      licensedByDay.set(day, licensed);
      employedByDay.set(day, employed);
    };

    const activeUsers: GroundTruth['activeUsers'] = [];
    for (let day = this.fromDay; day <= this.toDay; day++) {
      countDay(day);
      const licensed = licensedByDay.get(day) as Map<string, number>;
      const actives = this.active.get(day);
      const counted = this.activeCounts.get(day);
      for (const department of this.departments) {
        const active = actives?.get(department)?.size ?? counted?.get(department) ?? 0;
        const licensedHeadcount = licensed.get(department) ?? 0;
        if (active === 0 && licensedHeadcount === 0) continue;
        activeUsers.push({ day: date(day), department, active, licensedHeadcount, activeRate: licensedHeadcount > 0 ? active / licensedHeadcount : null });
      }
    }

    const approvalCycle = [...this.approvalCycle.entries()]
      .map(([key, values]) => {
        const [week, kind] = splitKey(key);
        return { week: date(week), kind, medianSec: upperMedian(values), count: values.length };
      })
      .sort((a, b) => (a.week < b.week ? -1 : a.week > b.week ? 1 : a.kind < b.kind ? -1 : 1));
    const byKind = new Map<string, number[]>();
    for (const [key, values] of this.approvalCycle) {
      const kind = splitKey(key)[1];
      const list = byKind.get(kind) ?? [];
      for (const v of values) list.push(v);
      byKind.set(kind, list);
    }
    const approvalCycleByKind = [...byKind.entries()]
      .map(([kind, values]) => ({ kind, medianSec: upperMedian(values), count: values.length }))
      .sort((a, b) => (a.kind < b.kind ? -1 : 1));

    const taskCompletion = [...this.tasksCreated.entries()]
      .map(([key, created]) => {
        const [week, department] = splitKey(key);
        const completedWithin7Days = this.tasksDone.get(key) ?? 0;
        return { week: date(week), department, created, completedWithin7Days, rate: completedWithin7Days / created };
      })
      .sort((a, b) => (a.week < b.week ? -1 : a.week > b.week ? 1 : a.department < b.department ? -1 : 1));

    const meetingHours: GroundTruth['meetingHours'] = [];
    for (let week = mondayOf(this.fromDay); week <= this.toDay; week += 7) {
      countDay(week);
      const employed = employedByDay.get(week) as Map<string, number>;
      for (const department of this.departments) {
        const seconds = this.meetingSeconds.get(`${week}|${department}`) ?? 0;
        const headcount = employed.get(department) ?? 0;
        if (seconds === 0 && headcount === 0) continue;
        const hours = seconds / 3600;
        meetingHours.push({ week: date(week), department, hours, headcount, hoursPerPerson: headcount > 0 ? hours / headcount : null });
      }
    }

    const urgentReach = [...this.urgent.entries()]
      .sort((a, b) => a[0] - b[0])
      .map(([week, u]) => ({ week: date(week), notices: u.notices, recipients: u.recipients, readWithin15Min: u.within15, reach: u.recipients > 0 ? u.within15 / u.recipients : null }));

    const sortedRecord = (map: Map<string, number>) => Object.fromEntries([...map.entries()].sort((a, b) => (a[0] < b[0] ? -1 : 1)));
    return {
      ...this.meta,
      definitions: GROUND_TRUTH_DEFINITIONS,
      totals: { events: this.events, automated: this.automated, email: this.email, byType: sortedRecord(this.byType), byChannel: sortedRecord(this.byChannel) },
      eventsPerDay: [...this.perDay.entries()].sort((a, b) => a[0] - b[0]).map(([day, events]) => ({ day: date(day), events })),
      activeUsers,
      replyLatency: latencyRows(this.reply),
      crossTeamReplyLatency: latencyRows(this.crossReply),
      readLatency: latencyRows(this.read),
      approvalCycle,
      approvalCycleByKind,
      taskCompletion,
      meetingHours,
      urgentReach,
    };
  }

  /** Exposed for tests: headcount as the active-rate denominator uses it. */
  licensedHeadcount(department: string, date: string): number {
    return this.headcount(department, dayNumberOf(date), true);
  }
}
