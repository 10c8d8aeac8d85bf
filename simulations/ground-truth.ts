// Ground truth: the true values of the key metrics, computed by plain TypeScript from the event stream
// and the directory — independently of Waypoint's SQL — so the pipeline can be checked against them.
// Definitions are written out in docs/simulations.md ("Ground truth"); keep the two in step.
import type { DirectoryInput } from '../contracts/directory.ts';
import type { EventInput } from '../contracts/events.ts';
import { FOLLOW_UP_HORIZON_DAYS } from './generate-events.ts';
import type { TrueEffects } from './true-effects.ts';
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
  urgentAckLatency: LatencyRow[];
  /** `within8Hours`: decisions at most 8 × 3600 s after the request (a threshold is steadier than a median where the cycles split into same-day and next-morning). */
  approvalCycle: { week: string; kind: string; medianSec: number; count: number; within8Hours: number }[];
  approvalCycleByKind: { kind: string; medianSec: number; count: number }[];
  alertToAction: { week: string; medianSec: number; count: number }[];
  taskCompletion: { week: string; department: string; created: number; completedWithin7Days: number; rate: number }[];
  meetingHours: { week: string; department: string; hours: number; headcount: number; hoursPerPerson: number | null }[];
  meetingLength: { week: string; meetings: number; averageMinutes: number }[];
  urgentReach: { week: string; notices: number; recipients: number; readWithin15Min: number; reach: number | null }[];
  /** The rollout's true effect on the pilot cohort over its window (simulations/true-effects.ts); absent from a bare builder's finish(). */
  effects?: TrueEffects;
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
  urgentAckLatency: 'readLatency restricted to messages with attrs.urgent (metric urgent_ack_latency)',
  alertToAction: 'for each message.sent M, the first approval.requested with parent = M.object; requested.time - M.time; bucketed by the week of the request (sensor alert to procurement request)',
  meetingLength: 'distinct meetings (meeting.held objects) by the week of the meeting; averageMinutes = mean attrs.durationSec / 60 over those meetings (the first event of each)',
  approvalCycle: 'approval.decided.time - approval.requested.time for the same object (the first decision), bucketed by the week of the decision and attrs.kind; within8Hours counts those <= 8 x 3600 s; approvalCycleByKind over the whole run',
  taskCompletion: "tasks (task.created) created in a week, by the creator's department on the creation day; completedWithin7Days counts those whose first task.completed is <= 7 x 86400 s after creation; rate = completed / created",
  meetingHours: "sum of meeting.held attrs.durationSec / 3600 per attendee event, by the week and the attendee's department on the meeting day; headcount = people employed (licensed or not) in the department on the week's Monday; hoursPerPerson = hours / headcount",
  urgentReach: 'for message.sent with attrs.urgent, distinct readers != sender whose first read is <= 900 s after the notice, divided by attrs.recipients; summed per week of the notice',
  automatedAndEmail: 'all metrics except activeUsers include automated and email events; approvals and tasks on any channel',
};

interface Version {
  from: number;
  department: string;
  /** Index of `department` in the builder's interned list. */
  dept: number;
  hired: number;
  left: number;
  licensed: boolean;
}

/** A person seen in the directory or as an actor; the department lookup is cached per day. */
interface Person {
  index: number;
  versions: Version[];
  cacheDay: number;
  cacheDept: number;
  lastActiveDay: number;
}

const HORIZON_MS = (FOLLOW_UP_HORIZON_DAYS + 2) * MS_PER_DAY;
const NO_WEEK = -2147483648;
const QUARTER_HOUR_MS = 15 * 60_000;
const REPLIED = 1;
const ACTIONED = 2;

/** A growable list of latencies (seconds); the median is taken once, at the end. */
class Series {
  values = new Float64Array(8);
  count = 0;

  push(value: number): void {
    if (this.count === this.values.length) {
      const bigger = new Float64Array(this.values.length * 2);
      bigger.set(this.values);
      this.values = bigger;
    }
    this.values[this.count++] = value;
  }

  countAtMost(limit: number): number {
    let n = 0;
    for (let i = 0; i < this.count; i++) if ((this.values[i] as number) <= limit) n++;
    return n;
  }

  /** Upper median: sorted[floor(n / 2)]. */
  median(): number {
    const sorted = this.values.subarray(0, this.count).sort();
    return sorted[Math.floor(this.count / 2)] ?? Number.NaN;
  }
}

function seriesIn<K>(map: Map<K, Series>, key: K): Series {
  let series = map.get(key);
  if (!series) map.set(key, (series = new Series()));
  return series;
}

function bump<K>(map: Map<K, number>, key: K, by = 1): void {
  map.set(key, (map.get(key) ?? 0) + by);
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

/**
 * The messages of the last 32 days as columns in a ring (messages arrive in time order, so the oldest
 * is always at the head): millions of them would otherwise be long-lived objects for the GC to trace.
 */
class MessageTable {
  readonly index = new Map<string, number>();
  private capacity = 1 << 12;
  private mask = this.capacity - 1;
  private head = 0;
  private tail = 0;
  t = new Float64Array(this.capacity);
  actor = new Int32Array(this.capacity);
  dept = new Int32Array(this.capacity);
  flags = new Uint8Array(this.capacity);
  urgentWeek = new Int32Array(this.capacity);
  /** The first reader (-1: none yet); further readers in `more`. */
  reader = new Int32Array(this.capacity);
  more: (number[] | undefined)[] = new Array<number[] | undefined>(this.capacity);
  objects: (string | undefined)[] = new Array<string | undefined>(this.capacity);

  slotOf(object: string): number {
    const seq = this.index.get(object);
    return seq === undefined ? -1 : seq & this.mask;
  }

  add(object: string, t: number, actor: number, dept: number, urgentWeek: number): void {
    if (this.tail - this.head === this.capacity) this.grow();
    const seq = this.tail++;
    const slot = seq & this.mask;
    this.t[slot] = t;
    this.actor[slot] = actor;
    this.dept[slot] = dept;
    this.flags[slot] = 0;
    this.urgentWeek[slot] = urgentWeek;
    this.reader[slot] = -1;
    this.more[slot] = undefined;
    this.objects[slot] = object;
    this.index.set(object, seq);
  }

  /** True the first time `person` reads the message in `slot`. */
  firstRead(slot: number, person: number): boolean {
    const first = this.reader[slot] as number;
    if (first === -1) {
      this.reader[slot] = person;
      return true;
    }
    if (first === person) return false;
    const more = this.more[slot];
    if (more === undefined) {
      this.more[slot] = [person];
      return true;
    }
    if (more.includes(person)) return false;
    more.push(person);
    return true;
  }

  expire(before: number): void {
    while (this.head < this.tail) {
      const slot = this.head & this.mask;
      if ((this.t[slot] as number) >= before) break;
      const object = this.objects[slot] as string;
      if (this.index.get(object) === this.head) this.index.delete(object);
      this.objects[slot] = undefined;
      this.more[slot] = undefined;
      this.head++;
    }
  }

  private grow(): void {
    const capacity = this.capacity * 2;
    const mask = capacity - 1;
    const t = new Float64Array(capacity);
    const actor = new Int32Array(capacity);
    const dept = new Int32Array(capacity);
    const flags = new Uint8Array(capacity);
    const urgentWeek = new Int32Array(capacity);
    const reader = new Int32Array(capacity);
    const more = new Array<number[] | undefined>(capacity);
    const objects = new Array<string | undefined>(capacity);
    for (let seq = this.head; seq < this.tail; seq++) {
      const from = seq & this.mask;
      const to = seq & mask;
      t[to] = this.t[from] as number;
      actor[to] = this.actor[from] as number;
      dept[to] = this.dept[from] as number;
      flags[to] = this.flags[from] as number;
      urgentWeek[to] = this.urgentWeek[from] as number;
      reader[to] = this.reader[from] as number;
      more[to] = this.more[from];
      objects[to] = this.objects[from];
    }
    Object.assign(this, { capacity, mask, t, actor, dept, flags, urgentWeek, reader, more, objects });
  }
}

/** Feed every event in time order with `add`, then call `finish`. */
export class GroundTruthBuilder {
  private readonly clock: ZoneClock;
  private readonly fromDay: number;
  private readonly toDay: number;
  private readonly people = new Map<string, Person>();
  private readonly versions = new Map<string, Version[]>();
  /** Departments as the directory lists them (rows per day/week are made for these). */
  private readonly departments: string[];
  /** Every department name seen, interned: keys are week × stride + index. */
  private readonly deptNames: string[] = [];
  private readonly deptIndex = new Map<string, number>();
  private readonly stride: number;
  private lastT = Number.NEGATIVE_INFINITY;
  private expireAt = Number.NEGATIVE_INFINITY;
  private lastDayT = Number.NaN;
  private lastDay = 0;
  private lastDayEnd = Number.NEGATIVE_INFINITY;

  private events = 0;
  private automated = 0;
  private email = 0;
  private readonly byType = new Map<string, number>();
  private readonly byChannel = new Map<string, number>();
  private readonly perDay = new Map<number, number>();
  /** Active users per day, by interned department. */
  private readonly activeCounts = new Map<number, Int32Array>();
  private readonly messages = new MessageTable();
  private readonly reply = new Map<number, Series>();
  private readonly crossReply = new Map<number, Series>();
  private readonly read = new Map<number, Series>();
  private readonly urgentAck = new Map<number, Series>();
  private readonly alertToAction = new Map<number, Series>();
  private readonly approvals = new Map<string, number>();
  private readonly approvalQueue = new ExpiryQueue();
  private readonly approvalCycle = new Map<string, Map<number, Series>>();
  private readonly tasks = new Map<string, { t: number; key: number; done: boolean }>();
  private readonly taskQueue = new ExpiryQueue();
  private readonly tasksCreated = new Map<number, number>();
  private readonly tasksDone = new Map<number, number>();
  private readonly meetingSeconds = new Map<number, number>();
  private readonly meetingWeeks = new Map<number, { meetings: number; seconds: number }>();
  private meetingsWeek = NO_WEEK;
  private readonly meetingsSeen = new Set<string>();
  private readonly urgent = new Map<number, { notices: number; recipients: number; within15: number }>();

  constructor(
    private readonly meta: { org: string; timezone: string; scenario: string; seed: number; from: string; to: string },
    directory: DirectoryInput,
  ) {
    this.fromDay = dayNumberOf(meta.from);
    this.toDay = dayNumberOf(meta.to);
    this.clock = new ZoneClock(meta.timezone, (this.fromDay - 7) * MS_PER_DAY, (this.toDay + 7) * MS_PER_DAY);
    this.departments = (directory.departments ?? []).map((d) => d.id);
    for (const id of this.departments) this.intern(id);
    for (const p of directory.people ?? []) {
      const hired = p.hiredAt ? dayNumberOf(p.hiredAt) : Number.NEGATIVE_INFINITY;
      const version: Version = {
        from: p.validFrom ? dayNumberOf(p.validFrom) : p.hiredAt ? hired : 0,
        department: p.department,
        dept: this.intern(p.department),
        hired,
        left: p.leftAt ? dayNumberOf(p.leftAt) : Number.POSITIVE_INFINITY,
        licensed: p.licensed ?? true,
      };
      const list = this.versions.get(p.id);
      if (list) list.push(version);
      else this.versions.set(p.id, [version]);
    }
    for (const [id, list] of this.versions) {
      list.sort((a, b) => a.from - b.from);
      this.people.set(id, { index: this.people.size, versions: list, cacheDay: Number.NaN, cacheDept: -1, lastActiveDay: Number.NaN });
    }
    this.stride = this.deptNames.length + 1;
  }

  private intern(department: string): number {
    let i = this.deptIndex.get(department);
    if (i === undefined) {
      i = this.deptNames.length;
      this.deptNames.push(department);
      this.deptIndex.set(department, i);
    }
    return i;
  }

  private personOf(actor: string): Person {
    let person = this.people.get(actor);
    if (!person) {
      // Not in the directory: no department, but still a distinct actor (for "someone else" rules).
      person = { index: this.people.size, versions: [], cacheDay: Number.NaN, cacheDept: -1, lastActiveDay: Number.NaN };
      this.people.set(actor, person);
    }
    return person;
  }

  /** Interned department of the person's version on `day`, or -1. */
  private deptOn(person: Person, day: number): number {
    if (person.cacheDay === day) return person.cacheDept;
    let dept = -1;
    for (const v of person.versions) if (v.from <= day) dept = v.dept;
    person.cacheDay = day;
    person.cacheDept = dept;
    return dept;
  }

  private localDay(t: number): number {
    if (t >= this.lastDayT && t < this.lastDayEnd) return this.lastDay;
    const day = this.clock.localDay(t);
    this.lastDayT = t;
    this.lastDay = day;
    // Offsets are whole quarter hours, so the local day cannot change before the next quarter hour.
    this.lastDayEnd = t - (t % QUARTER_HOUR_MS) + QUARTER_HOUR_MS;
    return day;
  }

  add(e: EventInput): void {
    this.record(Date.parse(e.time), e.type, e.actor, e.object, e.parent, e.channel, e.attrs as Record<string, unknown> | undefined);
  }

  /** The same as `add`, from the event's fields (the time as epoch milliseconds). */
  record(t: number, type: string, actor: string, object: string, parent: string | undefined, channel: string, attrsOrNone: Record<string, unknown> | undefined): void {
    if (t < this.lastT) throw new Error(`ground truth needs events in time order (${type} ${object} came after a later event)`);
    this.lastT = t;
    if (t >= this.expireAt) this.expire(t);
    const day = this.localDay(t);
    const week = mondayOf(day);
    const attrs = attrsOrNone;
    const automated = attrs !== undefined && attrs.automated === true;
    const person = this.personOf(actor);
    const dept = this.deptOn(person, day);
    const key = week * this.stride + dept;

    this.events++;
    bump(this.byType, type);
    bump(this.byChannel, channel);
    bump(this.perDay, day);
    if (automated) this.automated++;
    if (channel === 'email') this.email++;
    // The org-local day never goes back (events come in time order), so one mark per person suffices.
    if (!automated && channel !== 'email' && dept >= 0 && person.lastActiveDay !== day) {
      person.lastActiveDay = day;
      let counts = this.activeCounts.get(day);
      if (!counts) this.activeCounts.set(day, (counts = new Int32Array(this.deptNames.length)));
      counts[dept] = (counts[dept] as number) + 1;
    }

    const messages = this.messages;
    switch (type) {
      case 'message.sent': {
        const urgent = attrs !== undefined && attrs.urgent === true;
        messages.add(object, t, person.index, dept, urgent ? week : NO_WEEK);
        if (urgent) {
          const recipients = typeof attrs.recipients === 'number' ? attrs.recipients : 0;
          const u = this.urgent.get(week) ?? { notices: 0, recipients: 0, within15: 0 };
          u.notices++;
          u.recipients += recipients;
          this.urgent.set(week, u);
        }
        if (parent !== undefined && dept >= 0) {
          const slot = messages.slotOf(parent);
          if (slot >= 0 && ((messages.flags[slot] as number) & REPLIED) === 0 && messages.actor[slot] !== person.index) {
            messages.flags[slot] = (messages.flags[slot] as number) | REPLIED;
            const latency = (t - (messages.t[slot] as number)) / 1000;
            seriesIn(this.reply, key).push(latency);
            const senderDept = messages.dept[slot] as number;
            if (senderDept >= 0 && senderDept !== dept) seriesIn(this.crossReply, key).push(latency);
          }
        }
        break;
      }
      case 'message.read': {
        const slot = messages.slotOf(object);
        if (slot < 0 || messages.actor[slot] === person.index) break;
        if (!messages.firstRead(slot, person.index)) break;
        const latency = (t - (messages.t[slot] as number)) / 1000;
        const urgentWeek = messages.urgentWeek[slot] as number;
        if (dept >= 0) {
          seriesIn(this.read, key).push(latency);
          if (urgentWeek !== NO_WEEK) seriesIn(this.urgentAck, key).push(latency);
        }
        if (urgentWeek !== NO_WEEK && latency <= 900) {
          const u = this.urgent.get(urgentWeek);
          if (u) u.within15++;
        }
        break;
      }
      case 'approval.requested':
        if (!this.approvals.has(object)) {
          this.approvals.set(object, t);
          this.approvalQueue.add(t, object);
        }
        if (parent !== undefined) {
          const slot = messages.slotOf(parent);
          if (slot >= 0 && ((messages.flags[slot] as number) & ACTIONED) === 0) {
            messages.flags[slot] = (messages.flags[slot] as number) | ACTIONED;
            seriesIn(this.alertToAction, week).push((t - (messages.t[slot] as number)) / 1000);
          }
        }
        break;
      case 'approval.decided': {
        const requested = this.approvals.get(object);
        if (requested === undefined) break;
        this.approvals.delete(object);
        const kind = String(attrs?.kind);
        let byWeek = this.approvalCycle.get(kind);
        if (!byWeek) this.approvalCycle.set(kind, (byWeek = new Map()));
        seriesIn(byWeek, week).push((t - requested) / 1000);
        break;
      }
      case 'task.created': {
        if (this.tasks.has(object) || dept < 0) break;
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
      case 'meeting.held': {
        const seconds = attrs?.durationSec;
        if (typeof seconds !== 'number') break;
        if (dept >= 0) bump(this.meetingSeconds, key, seconds);
        // Every attendee's event of a meeting has the meeting's time, so a meeting lies in one week.
        if (week !== this.meetingsWeek) {
          this.meetingsWeek = week;
          this.meetingsSeen.clear();
        }
        if (!this.meetingsSeen.has(object)) {
          this.meetingsSeen.add(object);
          const w = this.meetingWeeks.get(week) ?? { meetings: 0, seconds: 0 };
          w.meetings++;
          w.seconds += seconds;
          this.meetingWeeks.set(week, w);
        }
        break;
      }
      default:
        break;
    }
  }

  /** Drops state that no later event can refer to (the simulator never schedules beyond the horizon). */
  private expire(now: number): void {
    const before = now - HORIZON_MS;
    this.messages.expire(before);
    this.approvalQueue.expire(before, (k) => this.approvals.delete(k));
    this.taskQueue.expire(before, (k) => this.tasks.delete(k));
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
    const stride = this.stride;
    const byWeekThen = <T extends { week: string }>(other: (a: T, b: T) => number) => (a: T, b: T) => (a.week < b.week ? -1 : a.week > b.week ? 1 : other(a, b));
    const byDepartment = byWeekThen<{ week: string; department: string }>((a, b) => (a.department < b.department ? -1 : a.department > b.department ? 1 : 0));
    const latencyRows = (map: Map<number, Series>): LatencyRow[] =>
      [...map.entries()]
        .map(([key, series]) => {
          const week = Math.floor(key / stride);
          return { week: date(week), department: this.deptNames[key - week * stride] as string, medianSec: series.median(), count: series.count };
        })
        .sort(byDepartment);

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
      const counts = this.activeCounts.get(day);
      for (const department of this.departments) {
        const active = counts?.[this.deptIndex.get(department) as number] ?? 0;
        const licensedHeadcount = licensed.get(department) ?? 0;
        if (active === 0 && licensedHeadcount === 0) continue;
        activeUsers.push({ day: date(day), department, active, licensedHeadcount, activeRate: licensedHeadcount > 0 ? active / licensedHeadcount : null });
      }
    }

    const approvalCycle: GroundTruth['approvalCycle'] = [];
    const approvalCycleByKind: GroundTruth['approvalCycleByKind'] = [];
    for (const [kind, byWeek] of this.approvalCycle) {
      const all = new Series();
      for (const [week, series] of byWeek) {
        approvalCycle.push({ week: date(week), kind, medianSec: series.median(), count: series.count, within8Hours: series.countAtMost(8 * 3600) });
        for (let i = 0; i < series.count; i++) all.push(series.values[i] as number);
      }
      approvalCycleByKind.push({ kind, medianSec: all.median(), count: all.count });
    }
    approvalCycle.sort(byWeekThen<(typeof approvalCycle)[number]>((a, b) => (a.kind < b.kind ? -1 : 1)));
    approvalCycleByKind.sort((a, b) => (a.kind < b.kind ? -1 : 1));

    const taskCompletion = [...this.tasksCreated.entries()]
      .map(([key, created]) => {
        const week = Math.floor(key / stride);
        const completedWithin7Days = this.tasksDone.get(key) ?? 0;
        return { week: date(week), department: this.deptNames[key - week * stride] as string, created, completedWithin7Days, rate: completedWithin7Days / created };
      })
      .sort(byDepartment);

    const meetingHours: GroundTruth['meetingHours'] = [];
    for (let week = mondayOf(this.fromDay); week <= this.toDay; week += 7) {
      countDay(week);
      const employed = employedByDay.get(week) as Map<string, number>;
      for (const department of this.departments) {
        const seconds = this.meetingSeconds.get(week * stride + (this.deptIndex.get(department) as number)) ?? 0;
        const headcount = employed.get(department) ?? 0;
        if (seconds === 0 && headcount === 0) continue;
        const hours = seconds / 3600;
        meetingHours.push({ week: date(week), department, hours, headcount, hoursPerPerson: headcount > 0 ? hours / headcount : null });
      }
    }
    const meetingLength = [...this.meetingWeeks.entries()]
      .sort((a, b) => a[0] - b[0])
      .map(([week, w]) => ({ week: date(week), meetings: w.meetings, averageMinutes: w.seconds / 60 / w.meetings }));

    const weekSeries = (map: Map<number, Series>) =>
      [...map.entries()].sort((a, b) => a[0] - b[0]).map(([week, series]) => ({ week: date(week), medianSec: series.median(), count: series.count }));

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
      urgentAckLatency: latencyRows(this.urgentAck),
      approvalCycle,
      approvalCycleByKind,
      alertToAction: weekSeries(this.alertToAction),
      taskCompletion,
      meetingHours,
      meetingLength,
      urgentReach,
    };
  }

  /** Exposed for tests: headcount as the active-rate denominator uses it. */
  licensedHeadcount(department: string, date: string): number {
    return this.headcount(department, dayNumberOf(date), true);
  }
}
