// The behaviour model: walks the organisation day by day, draws each person's own activity, schedules
// its consequences (reads, replies, decisions, completions) on a time-ordered calendar queue, and streams the
// events out in time order with bounded memory. docs/simulations.md describes the model.
import type { Channel, EventInput, EventType } from '../contracts/events.ts';
import { departmentOn, type Organisation, type SimDepartment, type SimPerson } from './build-organisation.ts';
import { Random, UuidSource } from './random.ts';
import type { EffectsRecorder } from './true-effects.ts';
import { MS_PER_DAY, weekdayOf } from './zone-clock.ts';

/** No consequence is scheduled later than this after its cause (ground truth relies on it). */
export const FOLLOW_UP_HORIZON_DAYS = 30;
const HORIZON_MS = FOLLOW_UP_HORIZON_DAYS * MS_PER_DAY;
const MINUTE = 60_000;
const HOUR = 3_600_000;

type Attrs = Record<string, string | number | boolean>;
/** A scheduled event; it gets its id when emitted in time order, and becomes an EventInput or a line. */
export class Pending {
  id = '';
  constructor(
    readonly t: number,
    readonly type: EventType,
    readonly actor: SimPerson,
    readonly conversation: string | undefined,
    readonly object: string,
    readonly parent: string | undefined,
    readonly channel: Channel,
    readonly attrs: Attrs | undefined,
  ) {}
}

const BUCKET_MS = 15 * 60_000;
const RING = 4096;
const INDEX_BITS = 2 ** 21;

type Bucket = Pending[];

/**
 * A calendar queue of 15-minute buckets. Every UTC offset is a multiple of 15 minutes, so each day
 * boundary we flush at is a bucket boundary: a bucket is sorted once, when it is emitted. Events are
 * appended in scheduling order, so sorting on (time, position) keeps equal times in that order; the
 * pair is packed into one number so the typed array sorts natively. The ring covers 42 days.
 */
class PendingQueue {
  private readonly buckets: Bucket[] = Array.from({ length: RING }, () => []);
  /** The first bucket not yet emitted. */
  private cursor: number;

  constructor(start: number) {
    this.cursor = Math.floor(start / BUCKET_MS);
  }

  push(item: Pending): void {
    const index = Math.floor(item.t / BUCKET_MS);
    if (index < this.cursor || index - this.cursor >= RING) throw new Error('event scheduled outside the queue window');
    const bucket = this.buckets[index % RING] as Bucket;
    if (bucket.length >= INDEX_BITS) throw new Error('too many events in one 15-minute bucket');
    bucket.push(item);
  }

  /** The next bucket before `boundary` (a multiple of 15 minutes) with events, sorted; undefined when none is left. */
  takeBefore(boundary: number): { bucket: Bucket; order: Float64Array } | undefined {
    const last = Math.floor(boundary / BUCKET_MS);
    for (; this.cursor < last; this.cursor++) {
      const slot = this.cursor % RING;
      const bucket = this.buckets[slot] as Bucket;
      if (bucket.length === 0) continue;
      this.buckets[slot] = [];
      this.cursor++;
      const base = (this.cursor - 1) * BUCKET_MS;
      const order = new Float64Array(bucket.length);
      for (let i = 0; i < order.length; i++) order[i] = ((bucket[i] as Pending).t - base) * INDEX_BITS + i;
      order.sort();
      return { bucket, order };
    }
    return undefined;
  }
}

/**
 * Streams a simulated organisation's events in time order, a bucket at a time, each event with its
 * id assigned. `generateEvents` and the NDJSON writers are both built on it, so they agree exactly.
 */
export function* generateEventBatches(model: Organisation, seed: number, assignIds = true, effects?: EffectsRecorder): Generator<Pending[], void, undefined> {
  const sim = new Simulation(model, seed, effects);
  const queue = sim.queue;
  const uuids = sim.uuids;
  for (let d = 0; d < model.days; d++) {
    sim.simulateDay(d);
    const boundary = d + 1 < model.days ? sim.earliestStartOf(d + 1) : sim.endMs;
    for (let next = queue.takeBefore(boundary); next !== undefined; next = queue.takeBefore(boundary)) {
      const { bucket, order } = next;
      const sorted: Pending[] = new Array<Pending>(order.length);
      for (let k = 0; k < order.length; k++) {
        const p = bucket[(order[k] as number) % INDEX_BITS] as Pending;
        if (assignIds) p.id = uuids.next();
        sorted[k] = p;
      }
      yield sorted;
    }
  }
}

/** Streams a simulated organisation's events in time order. */
export function* generateEvents(model: Organisation, seed: number, effects?: EffectsRecorder): Generator<EventInput, void, undefined> {
  const org = model.org;
  for (const batch of generateEventBatches(model, seed, true, effects)) {
    for (let i = 0; i < batch.length; i++) yield toEvent(batch[i] as Pending, org);
  }
}

export function toEvent(p: Pending, org: string): EventInput {
  // Built field by field so the key order (and so the serialised bytes) is fixed.
  const e: Record<string, unknown> = { id: p.id, type: p.type, time: p.actor.clock.format(p.t), org, actor: p.actor.id };
  if (p.conversation !== undefined) e.conversation = p.conversation;
  e.object = p.object;
  if (p.parent !== undefined) e.parent = p.parent;
  e.channel = p.channel;
  e.source = 'simulation';
  // A copy: the simulator shares attrs objects between its pending events.
  if (p.attrs !== undefined) e.attrs = { ...p.attrs };
  return e as EventInput;
}

/** The event ids in emission order: the source `generateEventBatches` assigns them from. */
export function eventUuids(model: Organisation, seed: number): UuidSource {
  return new UuidSource(seed, `${model.scenario.name}/${model.org}`);
}

function ascii(text: string): Uint8Array {
  return Uint8Array.from(text, (ch) => ch.charCodeAt(0));
}

function writeBytes(bytes: Uint8Array, out: Uint8Array, pos: number): number {
  const n = bytes.length;
  if (n > 24) out.set(bytes, pos);
  else for (let k = 0; k < n; k++) out[pos + k] = bytes[k] as number;
  return pos + n;
}

/** Simulated ids and attrs are ASCII without characters JSON escapes, so a byte per char is exact. */
function writeAscii(text: string, out: Uint8Array, pos: number): number {
  for (let k = 0; k < text.length; k++) out[pos + k] = text.charCodeAt(k);
  return pos + text.length;
}

function writeNumber(value: number, out: Uint8Array, pos: number): number {
  if (!Number.isSafeInteger(value) || value < 0) return writeAscii(JSON.stringify(value), out, pos);
  if (value === 0) {
    out[pos] = 48;
    return pos + 1;
  }
  let digits = 0;
  for (let v = value; v >= 1; v = Math.floor(v / 10)) digits++;
  for (let k = digits - 1, v = value; k >= 0; k--, v = Math.floor(v / 10)) out[pos + k] = 48 + (v % 10);
  return pos + digits;
}

const BYTES_ID = ascii('{"id":"');
const BYTES_TIME = ascii('","time":"');
const BYTES_CONVERSATION = ascii(',"conversation":"');
const BYTES_OBJECT = ascii(',"object":"');
const BYTES_PARENT = ascii(',"parent":"');
const BYTES_TRUE = ascii('true');
const BYTES_FALSE = ascii('false');

/** The longest line the encoder may write; callers keep this much room free. */
export const MAX_LINE_BYTES = 4096;

/**
 * Writes events as NDJSON straight into a byte buffer — no string per line, so nothing for the
 * collector of young objects to copy — byte-identical to JSON.stringify(toEvent(p, org)) + '\n' with
 * the ids of `uuids` (simulated ids, org and attrs never need escaping).
 */
export class NdjsonEncoder {
  private readonly actorBytes: (Uint8Array | undefined)[] = [];
  private readonly typeBytes = new Map<string, Uint8Array>();
  private readonly channelBytes = new Map<string, Uint8Array>();
  /** `,"attrs":{"key":` for the first attribute and `,"key":` for the others. */
  private readonly firstKeyBytes = new Map<string, Uint8Array>();
  private readonly keyBytes = new Map<string, Uint8Array>();
  private readonly orgPart: string;

  constructor(
    org: string,
    private readonly uuids: UuidSource,
  ) {
    this.orgPart = orgLinePart(org);
  }

  /** Writes one event (its id drawn now, in emission order) at `pos`; returns the position after its newline. */
  write(p: Pending, out: Uint8Array, pos: number): number {
    pos = writeBytes(BYTES_ID, out, pos);
    pos = this.uuids.writeNext(out, pos);
    let typeBytes = this.typeBytes.get(p.type);
    if (typeBytes === undefined) this.typeBytes.set(p.type, (typeBytes = ascii(`","type":"${p.type}`)));
    pos = writeBytes(typeBytes, out, pos);
    pos = writeBytes(BYTES_TIME, out, pos);
    pos = p.actor.clock.writeTime(p.t, out, pos);
    let actor = this.actorBytes[p.actor.index];
    if (actor === undefined) this.actorBytes[p.actor.index] = actor = ascii(`${this.orgPart}${p.actor.id}"`);
    pos = writeBytes(actor, out, pos);
    if (p.conversation !== undefined) {
      pos = writeBytes(BYTES_CONVERSATION, out, pos);
      pos = writeAscii(p.conversation, out, pos);
      out[pos++] = 34;
    }
    pos = writeBytes(BYTES_OBJECT, out, pos);
    pos = writeAscii(p.object, out, pos);
    out[pos++] = 34;
    if (p.parent !== undefined) {
      pos = writeBytes(BYTES_PARENT, out, pos);
      pos = writeAscii(p.parent, out, pos);
      out[pos++] = 34;
    }
    let channel = this.channelBytes.get(p.channel);
    if (channel === undefined) this.channelBytes.set(p.channel, (channel = ascii(`,"channel":"${p.channel}","source":"simulation"`)));
    pos = writeBytes(channel, out, pos);
    const attrs = p.attrs;
    if (attrs !== undefined) {
      let first = true;
      for (const key in attrs) {
        const value = attrs[key] as string | number | boolean;
        const keys = first ? this.firstKeyBytes : this.keyBytes;
        let keyBytes = keys.get(key);
        if (keyBytes === undefined) keys.set(key, (keyBytes = ascii(`${first ? ',"attrs":{"' : ',"'}${key}":`)));
        pos = writeBytes(keyBytes, out, pos);
        if (typeof value === 'string') {
          out[pos++] = 34;
          pos = writeAscii(value, out, pos);
          out[pos++] = 34;
        } else if (typeof value === 'number') pos = writeNumber(value, out, pos);
        else pos = writeBytes(value ? BYTES_TRUE : BYTES_FALSE, out, pos);
        first = false;
      }
      if (first) pos = writeAscii(',"attrs":{', out, pos);
      out[pos++] = 125;
    }
    out[pos] = 125;
    out[pos + 1] = 10;
    return pos + 2;
  }
}

/** The constant piece between time and actor in every line of an organisation. */
export function orgLinePart(org: string): string {
  return '","org":' + JSON.stringify(org) + ',"actor":"';
}

class Simulation {
  readonly queue: PendingQueue;
  readonly endMs: number;
  private readonly random: Random;
  readonly uuids: UuidSource;
  private readonly s: Organisation['scenario'];
  private readonly b: Organisation['scenario']['behaviour'];
  private counter = 0;
  private readonly workStart: number;
  private readonly workEnd: number;
  private readonly createdGroups = new Set<string>();
  private readonly directConversations = new Map<number, string>();
  private readonly plainMessageAttrs: Attrs[] = [];
  private readonly approvalCumulative: number[];
  private readonly meanAttendees: number;
  // Per-day state.
  private day = 0;
  /** Nothing is scheduled beyond the horizon from the start of the day being simulated. */
  private limitMs = 0;
  private employed: SimPerson[] = [];
  private activated: SimPerson[] = [];
  private staffByDept: SimPerson[][] = [];
  private activatedByDept: SimPerson[][] = [];
  private burstByDept: number[] = [];
  /** Cross-department reply slow-down by replier department today (bursts), e-mail and chat. */
  private burstReplyEmail: number[] = [];
  private burstReplyIm: number[] = [];
  /**
   * Potential outcomes for the true rollout effect, when asked for. Recording draws nothing from the
   * behaviour stream: the untreated side reuses each treated draw, and automated decisions (which
   * draw no delay) get theirs from `untreatedRandom`, so the events are the same with or without it.
   */
  private readonly effects: EffectsRecorder | undefined;
  private readonly untreatedRandom: Random | undefined;
  /** The untreated (e-mail) reply delay of the last replyDelay() draw, when recording effects. */
  private untreatedDelay = Number.NaN;

  constructor(
    private readonly m: Organisation,
    seed: number,
    effects?: EffectsRecorder,
  ) {
    this.effects = effects;
    this.untreatedRandom = effects ? new Random(seed, `untreated/${m.scenario.name}/${m.org}`) : undefined;
    this.s = m.scenario;
    this.b = m.scenario.behaviour;
    this.random = new Random(seed, `behaviour/${m.scenario.name}/${m.org}`);
    this.uuids = new UuidSource(seed, `${m.scenario.name}/${m.org}`);
    this.endMs = m.orgClock.midnight(m.startDay + m.days);
    this.queue = new PendingQueue(this.earliestStartOf(0));
    this.workStart = this.s.workforce.workStartHour * HOUR;
    this.workEnd = this.s.workforce.workEndHour * HOUR;
    let acc = 0;
    this.approvalCumulative = this.b.approvals.kinds.map((k) => (acc += k.share));
    this.meanAttendees = (this.b.meetings.attendees.min + this.b.meetings.attendees.max) / 2;
    for (const p of m.people) p.stateDay = -1;
  }

  /** The earliest instant any person's local day `d` can start (the easternmost midnight). */
  earliestStartOf(d: number): number {
    let min = Number.POSITIVE_INFINITY;
    for (const clock of this.m.clocks) min = Math.min(min, clock.midnight(this.m.startDay + d));
    return min;
  }

  // ---- scheduling ------------------------------------------------------------------------------

  private isWorkday(dayNumber: number): boolean {
    return weekdayOf(dayNumber) < 5 && !this.m.holidays.has(dayNumber);
  }

  private simDayOf(t: number): number {
    return this.m.orgClock.localDay(t) - this.m.startDay;
  }

  /** Queues an event if its actor is employed on its org-local day and it falls inside the study. */
  private schedule(
    t: number,
    type: EventType,
    actor: SimPerson,
    object: string,
    channel: Channel,
    conversation?: string,
    parent?: string,
    attrs?: Attrs,
  ): boolean {
    if (!(t < this.endMs) || t >= this.limitMs) return false;
    const d = this.simDayOf(t);
    if (d < actor.hiredDay || d >= actor.leftDay || d < 0) return false;
    this.queue.push(new Pending(t, type, actor, conversation, object, parent, channel, attrs));
    if (this.effects !== undefined && channel !== 'email' && !(attrs !== undefined && attrs.automated === true)) {
      const day = this.effects.cohortDay(actor, t);
      if (day >= 0) this.effects.markActive(actor, day, false);
    }
    return true;
  }

  private nextId(prefix: string): string {
    return prefix + (this.counter++).toString(36);
  }

  /**
   * `t` plus `delay` of working time in the person's own timezone and calendar (weekends and holidays
   * skipped). `extended` widens the day for chat (an hour earlier, four later) and lets after-hours
   * people answer at once. NaN when it would exceed the follow-up horizon.
   */
  private later(person: SimPerson, t: number, delay: number, extended: boolean): number {
    const result = this.toWholeSecondAfter(t, extended && this.random.chance(person.afterHours) ? t + delay : this.workingTime(person, t, delay, extended));
    return result - t > HORIZON_MS ? Number.NaN : result;
  }

  /** As `later` on the working-hours calendar (the e-mail world: no chat hours), without the horizon: the untreated side of an effect. */
  private untreatedLater(person: SimPerson, t: number, delay: number): number {
    return this.toWholeSecondAfter(t, this.workingTime(person, t, delay, false));
  }

  private toWholeSecondAfter(t: number, instant: number): number {
    const result = Math.ceil(instant / 1000) * 1000;
    return result <= t ? t + 1000 : result;
  }

  /** The instant `delay` of working time after `t` (NaN beyond 60 calendar days). */
  private workingTime(person: SimPerson, t: number, delay: number, extended: boolean): number {
    const clock = person.clock;
    const start = extended ? this.workStart - HOUR : this.workStart;
    const end = extended ? Math.min(24 * HOUR, this.workEnd + 4 * HOUR) : this.workEnd;
    let day = clock.localDay(t);
    let tod = clock.localTimeOfDay(t);
    let remaining = delay;
    for (let guard = 0; guard < 60; guard++) {
      if (this.isWorkday(day)) {
        if (tod < start) tod = start;
        if (tod < end) {
          const available = end - tod;
          if (remaining <= available) return clock.instantOf(day, tod + remaining);
          remaining -= available;
        }
      }
      day++;
      tod = 0;
    }
    return Number.NaN;
  }

  /** A time on the person's local day for their own (spontaneous) activity. */
  private ownTime(person: SimPerson, dayNumber: number, workday: boolean): number {
    const r = this.random;
    let tod: number;
    if (!workday) tod = 9 * HOUR + r.next() * 13 * HOUR;
    else if (r.chance(person.afterHours)) tod = this.workEnd + r.next() * (24 * HOUR - this.workEnd);
    else tod = this.workStart + r.next() * (this.workEnd - this.workStart);
    return person.clock.instantOf(dayNumber, Math.floor(tod / 1000) * 1000);
  }

  // ---- the day ---------------------------------------------------------------------------------

  simulateDay(d: number): void {
    const m = this.m;
    const r = this.random;
    this.day = d;
    this.limitMs = this.earliestStartOf(d) + HORIZON_MS;
    const dayNumber = m.startDay + d;
    const workday = this.isWorkday(dayNumber);
    this.prepareDay(d);

    // Wave starts: each department of the wave gets its group, created by its head.
    m.waveStarts.forEach((start, w) => {
      if (start !== d) return;
      for (const dept of m.departments) {
        const head = this.staffByDept[dept.index]?.[0];
        if (dept.wave !== w || !head || !head.isHead) continue;
        const group = `g-${dept.id}`;
        this.createdGroups.add(group);
        const t = head.clock.instantOf(dayNumber, 9 * HOUR + r.int(3600) * 1000);
        this.schedule(t, 'group.created', head, group, 'im', group, undefined, { members: this.staffByDept[dept.index]?.length ?? 0 });
      }
    });

    for (const p of this.employed) this.simulatePerson(p, d, dayNumber, workday);
    if (workday) {
      this.urgentNotices(d, dayNumber);
      if (d >= this.s.phases.integrationDay) this.automatedNotices(d, dayNumber);
      this.sensorAlerts(d, dayNumber);
    }
    if (this.s.automation.handover && d >= this.s.phases.integrationDay) this.handovers(d, dayNumber);
  }

  private prepareDay(d: number): void {
    const m = this.m;
    const nDepts = m.departments.length;
    this.employed = [];
    this.activated = [];
    this.staffByDept = Array.from({ length: nDepts }, () => []);
    this.activatedByDept = Array.from({ length: nDepts }, () => []);
    this.burstByDept = new Array<number>(nDepts).fill(1);
    this.burstReplyEmail = new Array<number>(nDepts).fill(1);
    this.burstReplyIm = new Array<number>(nDepts).fill(1);
    for (const burst of this.s.bursts) {
      if (d < burst.fromDay || d > burst.toDay) continue;
      m.departments.forEach((dept, i) => {
        if (burst.departments.length > 0 && !burst.departments.includes(dept.id)) return;
        this.burstByDept[i] = (this.burstByDept[i] ?? 1) * burst.factor;
        this.burstReplyEmail[i] = (this.burstReplyEmail[i] ?? 1) * burst.replyFactor.email;
        this.burstReplyIm[i] = (this.burstReplyIm[i] ?? 1) * burst.replyFactor.im;
      });
    }
    for (const p of m.people) {
      if (d < p.hiredDay || d >= p.leftDay) continue;
      const dept = departmentOn(p, d);
      this.employed.push(p);
      (this.staffByDept[dept] as SimPerson[]).push(p);
      if (p.activationDay <= d) {
        this.activated.push(p);
        (this.activatedByDept[dept] as SimPerson[]).push(p);
      }
      p.activeToday = p.activationDay <= d && this.random.chance(this.dailyUse(p, d, dept));
      if (p.activationDay === d) p.activeToday = true;
      p.stateDay = d;
    }
  }

  /** Probability that an activated person works on the platform today. */
  private dailyUse(p: SimPerson, d: number, deptIndex: number): number {
    const a = this.s.adoption;
    const dept = this.m.departments[deptIndex] as SimDepartment;
    if (p.ambassador) return 0.97;
    const since = d - p.activationDay;
    let prob = a.dailyActive.plateau - (a.dailyActive.plateau - a.dailyActive.initial) * Math.exp(-since / a.rampDays);
    prob *= 1 - dept.resistance;
    const regressing = dept.regression !== undefined && d >= dept.regression.fromDay;
    if (regressing) prob *= dept.regression?.factor ?? 1;
    if (dept.hasAmbassadors) prob += a.ambassadorBoost;
    if (d >= this.s.phases.optimisationDay && (dept.resistance > 0 || regressing)) prob += (a.dailyActive.plateau - prob) * a.nudgeLift;
    return Math.max(0, Math.min(1, prob));
  }

  private simulatePerson(p: SimPerson, d: number, dayNumber: number, workday: boolean): void {
    const r = this.random;
    const b = this.b;
    const deptIndex = departmentOn(p, d);
    const dept = this.m.departments[deptIndex] as SimDepartment;
    const mult = b.volume * p.activity * (workday ? 1 : this.s.workforce.weekendActivity) * (this.burstByDept[deptIndex] ?? 1);
    const platform = p.activeToday;

    if (p.activationDay === d) {
      this.schedule(this.ownTime(p, dayNumber, true), 'member.activated', p, p.id, 'im');
    }

    const messages = r.poisson(b.messagesPerDay * mult);
    for (let k = 0; k < messages; k++) this.spontaneousMessage(p, dept, this.ownTime(p, dayNumber, workday), platform);

    const approvals = r.poisson((b.approvals.perPersonWeek / 5) * mult);
    for (let k = 0; k < approvals; k++) {
      const kind = r.pickCumulative(this.approvalCumulative);
      this.requestApproval(p, this.ownTime(p, dayNumber, workday), kind, platform, undefined);
    }

    const meetings = r.poisson((b.meetings.perPersonWeek / 5 / this.meanAttendees) * mult);
    for (let k = 0; k < meetings; k++) this.meeting(p, dept, dayNumber, workday, platform);

    if (!platform) return;
    const tasks = r.poisson((b.tasks.perPersonWeek / 5) * mult);
    for (let k = 0; k < tasks; k++) this.createTask(p, dept, this.ownTime(p, dayNumber, workday), d);

    const edits = r.poisson((b.docs.editsPerPersonWeek / 5) * mult);
    for (let k = 0; k < edits; k++) this.editDoc(p, dept, this.ownTime(p, dayNumber, workday));

    // Ambassadors post the week's best practice to their department group on Fridays.
    if (p.ambassador && weekdayOf(dayNumber) === 4 && workday) {
      const members = this.sample(this.activatedByDept[deptIndex] as SimPerson[], 25, p);
      if (members.length > 0) {
        const t = p.clock.instantOf(dayNumber, 16 * HOUR + r.int(3600) * 1000);
        this.postMessage(p, t, members, 'im', `g-${dept.id}`, undefined, 0, false);
      }
    }
  }

  // ---- messages --------------------------------------------------------------------------------

  /** Up to k distinct people from `pool`, never `exclude`. */
  private sample(pool: SimPerson[], k: number, exclude: SimPerson | undefined): SimPerson[] {
    const r = this.random;
    const out: SimPerson[] = [];
    // A small sample from a big pool needs no scan for `exclude` (it is drawn and skipped): with
    // 3k < n and n ≥ 2, at least n − 1 > k people are available whether or not it is in the pool.
    const sparse = k * 3 < pool.length && pool.length >= 2;
    if (!sparse) {
      const available = pool.length - (exclude !== undefined && pool.includes(exclude) ? 1 : 0);
      if (available <= 0) return [];
      if (k >= available) return pool.filter((x) => x !== exclude);
    }
    if (sparse) {
      while (out.length < k) {
        const x = pool[r.int(pool.length)] as SimPerson;
        if (x !== exclude && !out.includes(x)) out.push(x);
      }
      return out;
    }
    const copy = pool.filter((x) => x !== exclude);
    for (let i = 0; i < k; i++) {
      const j = i + r.int(copy.length - i);
      const tmp = copy[i] as SimPerson;
      copy[i] = copy[j] as SimPerson;
      copy[j] = tmp;
      out.push(copy[i] as SimPerson);
    }
    return out;
  }

  private otherDepartment(dept: SimDepartment): number {
    const r = this.random;
    if (dept.partners.length > 0 && r.chance(0.7)) return r.pick(dept.partners);
    for (let tries = 0; tries < 8; tries++) {
      const other = r.int(this.m.departments.length);
      if (other !== dept.index && (this.staffByDept[other]?.length ?? 0) > 0) return other;
    }
    return dept.index;
  }

  private spontaneousMessage(p: SimPerson, dept: SimDepartment, t: number, platform: boolean): void {
    const r = this.random;
    const b = this.b;
    const cross = r.chance(b.crossDepartmentShare);
    const target = cross ? this.otherDepartment(dept) : dept.index;
    if (platform && r.chance(b.groupShare)) {
      const size = b.groupRecipients.min + r.int(b.groupRecipients.max - b.groupRecipients.min + 1);
      let pool = this.activatedByDept[target] as SimPerson[];
      let conversation = `g-${(this.m.departments[target] as SimDepartment).id}`;
      if (target !== dept.index) {
        const ids = [dept.id, (this.m.departments[target] as SimDepartment).id].sort();
        conversation = `g-${ids[0]}-${ids[1]}`;
        pool = [...(this.activatedByDept[dept.index] as SimPerson[]), ...pool];
      }
      const recipients = this.sample(pool, size, p);
      if (recipients.length === 0) return;
      if (!this.createdGroups.has(conversation)) {
        this.createdGroups.add(conversation);
        this.schedule(t, 'group.created', p, conversation, 'im', conversation, undefined, { members: pool.length });
      }
      this.postMessage(p, t, recipients, 'im', conversation, undefined, 0, false);
      return;
    }
    if (!platform && r.chance(b.groupShare)) {
      // A distribution-list e-mail.
      const size = b.groupRecipients.min + r.int(b.groupRecipients.max - b.groupRecipients.min + 1);
      const recipients = this.sample(this.staffByDept[target] as SimPerson[], size, p);
      if (recipients.length > 0) this.postMessage(p, t, recipients, 'email', undefined, undefined, 0, false);
      return;
    }
    const staff = this.staffByDept[target] as SimPerson[];
    const recipient = this.sample(staff, 1, p)[0];
    if (!recipient) return;
    const im = platform && recipient.activationDay <= this.day;
    let conversation: string | undefined;
    if (im) conversation = this.directConversation(p, recipient);
    this.postMessage(p, t, [recipient], im ? 'im' : 'email', conversation, undefined, 0, false);
  }

  /** A reply delay drawn for the channel; records the e-mail delay of the same draw when recording effects. */
  /**
   * `dm-A-B` (lower person index first), one string per pair for the whole run: a pair chats again
   * and again, and building the id each time left a concatenated string per message to flatten.
   */
  private directConversation(a: SimPerson, b: SimPerson): string {
    const lo = a.index < b.index ? a : b;
    const hi = lo === a ? b : a;
    const key = lo.index * 2 ** 20 + hi.index;
    let id = this.directConversations.get(key);
    if (id === undefined) this.directConversations.set(key, (id = `dm-${lo.id}-${hi.id}`));
    return id;
  }

  private replyDelay(sender: SimPerson, replier: SimPerson, email: boolean): number {
    const median = this.replyMedian(sender, replier, email);
    // The same arithmetic as Random.logNormal, so the draw is unchanged, with the spread kept for the untreated side.
    const spread = Math.exp(this.b.replySigma * this.random.normal());
    if (this.effects !== undefined) this.untreatedDelay = this.replyMedian(sender, replier, true) * spread;
    return median * spread;
  }

  private replyMedian(sender: SimPerson, replier: SimPerson, email: boolean): number {
    const b = this.b;
    let median = (email ? b.replyMinutes.email : b.replyMinutes.im) * replier.responsiveness * MINUTE;
    const from = departmentOn(sender, this.day);
    const to = departmentOn(replier, this.day);
    if (from !== to) {
      median *= email ? b.crossTeamFactor.email : b.crossTeamFactor.im;
      median *= (email ? this.burstReplyEmail[to] : this.burstReplyIm[to]) ?? 1;
      const a = (this.m.departments[from] as SimDepartment).id;
      const c = (this.m.departments[to] as SimDepartment).id;
      for (const pair of b.pairFactors) {
        if ((pair.a === a && pair.b === c) || (pair.a === c && pair.b === a)) median *= email ? pair.email : pair.im;
      }
    }
    return median;
  }

  /**
   * One message.sent and its consequences: reads (with receipts), reactions, and possibly a reply,
   * which is itself a message with `parent` = this message (up to three turns).
   * Conversation defaults to an e-mail thread named after the first message.
   */
  private postMessage(
    sender: SimPerson,
    t: number,
    recipients: SimPerson[],
    channel: Channel,
    conversation: string | undefined,
    parent: string | undefined,
    depth: number,
    urgent: boolean,
    automated = false,
  ): string | undefined {
    const r = this.random;
    const b = this.b;
    const object = this.nextId('m');
    const thread = conversation ?? `em-${object}`;
    const attrs = this.messageAttrs(recipients.length, urgent, automated);
    if (!this.schedule(t, 'message.sent', sender, object, channel, thread, parent, attrs)) return undefined;
    const email = channel === 'email';
    const readMinutes = urgent ? (email ? b.urgent.readMinutes.email : b.urgent.readMinutes.im) : email ? b.readMinutes.email : b.readMinutes.im;
    const readTimes: number[] = [];
    // Untreated read times of an urgent notice's readers (recording effects only): its acknowledgements follow them.
    const untreatedReads: number[] | undefined = urgent && this.effects !== undefined ? [] : undefined;
    for (const reader of recipients) {
      let readT = Number.NaN;
      let untreatedReadT = Number.NaN;
      const reads = email ? r.chance(b.readProbability * b.emailReceiptShare) : !reader.neverReads && reader.activationDay <= this.day && r.chance(b.readProbability);
      if (reads) {
        const spread = Math.exp(b.readSigma * r.normal());
        readT = this.later(reader, t, readMinutes * reader.responsiveness * MINUTE * spread, !email);
        if (untreatedReads !== undefined) untreatedReadT = this.untreatedLater(reader, t, b.urgent.readMinutes.email * reader.responsiveness * MINUTE * spread);
        if (!this.schedule(readT, 'message.read', reader, object, channel, thread)) readT = Number.NaN;
        else {
          if (untreatedReads !== undefined) this.recordUrgentRead(reader, t, readT, untreatedReadT);
          if (!email && r.chance(b.reactionProbability)) this.schedule(readT + 1000 * (5 + r.int(120)), 'message.reacted', reader, object, channel, thread);
        }
      }
      readTimes.push(readT);
      untreatedReads?.push(untreatedReadT);
    }
    if (automated || depth >= 3) return object;

    // Who answers: the recipient of a direct message, one member of a group, an acknowledgement of a notice.
    let replier: SimPerson | undefined;
    let readT = Number.NaN;
    let untreatedReadT = Number.NaN;
    const chanceOfReply = urgent ? b.urgent.ackProbability : depth > 0 ? b.followUpProbability : recipients.length === 1 ? b.replyProbability.direct : b.replyProbability.group;
    if (urgent) {
      const i = r.int(recipients.length);
      if (!Number.isNaN(readTimes[i] as number) && r.chance(chanceOfReply)) {
        replier = recipients[i];
        readT = readTimes[i] as number;
        untreatedReadT = untreatedReads?.[i] ?? Number.NaN;
      }
    } else if (r.chance(chanceOfReply)) {
      const i = r.int(recipients.length);
      replier = recipients[i];
      readT = readTimes[i] as number;
    }
    if (!replier) return object;
    if (!email && Number.isNaN(readT) && (replier.neverReads || replier.activationDay > this.day)) return object;
    let replyT = urgent ? readT + 1000 * (10 + r.int(300)) : this.later(replier, t, this.replyDelay(sender, replier, email), !email);
    if (Number.isNaN(replyT)) return object;
    // Without the rollout: an acknowledgement follows the untreated read by the same pause; a reply takes the e-mail delay of the same draw.
    const untreatedReplyT = this.effects === undefined ? Number.NaN : urgent ? untreatedReadT + (replyT - readT) : this.untreatedLater(replier, t, this.untreatedDelay);
    if (!email) {
      if (Number.isNaN(readT)) {
        // Replying in chat means having read it: the read comes just before the reply.
        readT = Math.max(t + 1000, replyT - 1000 * (5 + r.int(60)));
        if (!this.schedule(readT, 'message.read', replier, object, channel, thread)) return object;
      }
      if (replyT <= readT) replyT = readT + 1000 * (5 + r.int(60));
    }
    if (this.postMessage(replier, replyT, [sender], channel, thread, object, depth + 1, false) !== undefined && this.effects !== undefined) {
      this.recordReply(sender, replier, t, replyT, untreatedReplyT);
    }
    return object;
  }

  /**
   * `{automated?, urgent?, recipients}` of a message. Plain messages share one object per recipient
   * count: every event is held until its time comes, so each object saved is one the young-generation
   * GC no longer copies. Nothing mutates event attrs (toEvent hands out a copy).
   */
  private messageAttrs(recipients: number, urgent: boolean, automated: boolean): Attrs {
    if (!urgent && !automated) {
      let shared = this.plainMessageAttrs[recipients];
      if (shared === undefined) this.plainMessageAttrs[recipients] = shared = { recipients };
      return shared;
    }
    const attrs: Attrs = {};
    if (automated) attrs.automated = true;
    if (urgent) attrs.urgent = true;
    attrs.recipients = recipients;
    return attrs;
  }

  // ---- potential outcomes (true effects) -------------------------------------------------------

  /** A reader's first read of an urgent notice sent at `t`: as generated (`readT`) and without the rollout. */
  private recordUrgentRead(reader: SimPerson, t: number, readT: number, untreatedReadT: number): void {
    const effects = this.effects as EffectsRecorder;
    const day = effects.cohortDay(reader, readT);
    if (day < 0) return;
    if (Number.isNaN(untreatedReadT)) effects.dropped++;
    else effects.urgentRead.add(day, (readT - t) / 1000, (untreatedReadT - t) / 1000);
  }

  private recordReply(sender: SimPerson, replier: SimPerson, t: number, replyT: number, untreatedReplyT: number): void {
    const effects = this.effects as EffectsRecorder;
    const day = effects.cohortDay(replier, replyT);
    if (day < 0) return;
    if (Number.isNaN(untreatedReplyT)) {
      effects.dropped++;
      return;
    }
    const y1 = (replyT - t) / 1000;
    const y0 = (untreatedReplyT - t) / 1000;
    effects.reply.add(day, y1, y0);
    if (departmentOn(replier, day) !== departmentOn(sender, this.simDayOf(t))) effects.crossTeamReply.add(day, y1, y0);
  }

  private urgentNotices(d: number, dayNumber: number): void {
    const r = this.random;
    const u = this.b.urgent;
    const count = r.poisson(u.perWeek / 5);
    for (let k = 0; k < count; k++) {
      const senders = this.employed.filter((p) => (p.isHead || p.level === 'M1') && this.m.departments[departmentOn(p, d)]?.sendsUrgentNotices);
      const sender = senders.length > 0 ? r.pick(senders) : r.pick(this.employed.filter((p) => p.isHead).concat(this.employed.slice(0, 1)));
      const im = sender.activationDay <= d;
      const recipients = this.sample(im ? this.activated : this.employed, u.recipients, sender);
      if (recipients.length === 0) continue;
      const t = sender.clock.instantOf(dayNumber, this.workStart + r.next() * (this.workEnd - this.workStart - HOUR));
      this.postMessage(sender, Math.floor(t / 1000) * 1000, recipients, im ? 'im' : 'email', undefined, undefined, 0, true);
    }
  }

  /** Workflow notices (budget alerts and the like), on behalf of a person, read by their manager. */
  private automatedNotices(d: number, dayNumber: number): void {
    const r = this.random;
    const count = r.poisson((this.s.automation.noticesPer100 * this.activated.length) / 100);
    for (let k = 0; k < count && this.activated.length > 0; k++) {
      const subject = r.pick(this.activated);
      const manager = subject.manager >= 0 ? this.m.people[subject.manager] : undefined;
      const readers = manager && manager.activationDay <= d && d < manager.leftDay ? [manager] : [];
      const t = this.ownTime(subject, dayNumber, true);
      this.postMessage(subject, t, readers.length > 0 ? readers : [subject], 'workflow', `wf-${subject.id}`, undefined, 0, false, true);
    }
  }

  /** Sensor alerts to departments that act on them by raising a procurement approval. */
  private sensorAlerts(d: number, dayNumber: number): void {
    const r = this.random;
    const alerts = this.s.automation.alerts;
    if (alerts.perDay <= 0) return;
    const procurement = this.b.approvals.kinds.findIndex((k) => k.kind === 'procurement');
    const integrated = d >= this.s.phases.integrationDay;
    for (const dept of this.m.departments) {
      if (!dept.receivesAlerts) continue;
      const staff = this.staffByDept[dept.index] as SimPerson[];
      const head = staff.find((p) => p.isHead) ?? staff[0];
      if (!head) continue;
      const count = r.poisson(alerts.perDay);
      for (let k = 0; k < count; k++) {
        const channel: Channel = integrated ? 'workflow' : 'email';
        const pool = integrated ? (this.activatedByDept[dept.index] as SimPerson[]) : staff;
        const recipients = this.sample(pool, 6, head);
        if (recipients.length === 0) continue;
        const t = Math.floor(this.ownTime(head, dayNumber, true) / 1000) * 1000;
        const alert = this.postMessage(head, t, recipients, channel, `alerts-${dept.id}`, undefined, 0, true, true);
        if (alert === undefined || procurement < 0) continue;
        const actor = r.pick(recipients);
        const onPlatform = integrated && actor.activationDay <= d;
        const hours = onPlatform ? alerts.actionHours.platform : alerts.actionHours.email;
        const actT = this.later(actor, t, r.logNormal(hours * HOUR, 0.5), onPlatform);
        if (!Number.isNaN(actT)) this.requestApproval(actor, actT, procurement, onPlatform, alert);
      }
    }
  }

  /** Offboarding: on a leaver's last day the workflow hands their work over to the manager. */
  private handovers(d: number, dayNumber: number): void {
    for (const p of this.employed) {
      if (p.leftDay !== d + 1 || p.manager < 0) continue;
      const manager = this.m.people[p.manager] as SimPerson;
      if (d < manager.hiredDay || d >= manager.leftDay) continue;
      const task = this.nextId('t');
      const t = manager.clock.instantOf(dayNumber, 10 * HOUR);
      this.schedule(t, 'task.created', manager, task, 'workflow', undefined, undefined, { automated: true, dueDays: 5 });
      this.schedule(t + 1000, 'task.assigned', manager, task, 'workflow', undefined, undefined, { automated: true });
      const done = this.later(manager, t, this.random.logNormal(6 * HOUR, 0.6), false);
      if (!Number.isNaN(done) && this.schedule(done, 'task.completed', manager, task, 'workflow') && this.effects !== undefined) {
        // The one activity no activation gates: it happens with or without the cohort's rollout.
        const day = this.effects.cohortDay(manager, done);
        if (day >= 0) this.effects.markActive(manager, day, true);
      }
    }
  }

  // ---- work items ------------------------------------------------------------------------------

  private maturity(p: SimPerson): number {
    if (p.activationDay > this.day) return 0;
    return 1 - Math.exp(-(this.day - p.activationDay) / this.s.adoption.rampDays);
  }

  private createTask(creator: SimPerson, dept: SimDepartment, t: number, d: number): void {
    const r = this.random;
    const tasks = this.b.tasks;
    const target = r.chance(0.8) ? dept.index : this.otherDepartment(dept);
    const assignee = this.sample(this.activatedByDept[target] as SimPerson[], 1, creator)[0] ?? creator;
    const task = this.nextId('t');
    if (!this.schedule(t, 'task.created', creator, task, 'workflow', undefined, undefined, { dueDays: 1 + r.int(7) })) return;
    if (assignee !== creator) {
      const at = this.later(assignee, t, r.logNormal(20 * MINUTE, 1), true);
      if (!Number.isNaN(at)) this.schedule(at, 'task.assigned', assignee, task, 'workflow');
    }
    const within = tasks.within7Days.initial + (tasks.within7Days.adopted - tasks.within7Days.initial) * this.maturity(assignee);
    let done = Number.NaN;
    if (r.chance(within)) done = t + Math.min(6.9, r.logNormal(tasks.medianDays, 0.7)) * MS_PER_DAY;
    else if (r.chance(0.5)) done = t + (7.2 + r.next() * 20) * MS_PER_DAY;
    if (!Number.isNaN(done)) this.schedule(Math.floor(done / 1000) * 1000, 'task.completed', assignee, task, 'workflow');
    void d;
  }

  private requestApproval(requester: SimPerson, t: number, kindIndex: number, platform: boolean, parent: string | undefined): void {
    const r = this.random;
    const kind = this.b.approvals.kinds[kindIndex];
    if (!kind) return;
    const d = this.day;
    let approver = requester.manager >= 0 ? (this.m.people[requester.manager] as SimPerson) : undefined;
    if (!approver || d < approver.hiredDay || d >= approver.leftDay) {
      approver = this.staffByDept[departmentOn(requester, d)]?.[0];
    }
    if (!approver || approver === requester) {
      const heads = this.employed.filter((p) => p.isHead && p !== requester);
      if (heads.length === 0) return;
      approver = r.pick(heads);
    }
    const automated = platform && d >= this.s.phases.integrationDay && kind.automatable && r.chance(this.s.automation.approvalShare);
    const channel: Channel = platform ? 'workflow' : 'email';
    const object = this.nextId('a');
    const requested: Attrs = {};
    if (automated) requested.automated = true;
    requested.kind = kind.kind;
    if (kind.amount !== undefined) requested.amount = Math.round(r.logNormal(kind.amount, 0.8));
    if (!this.schedule(t, 'approval.requested', requester, object, channel, undefined, parent, requested)) return;
    const rejected = r.chance(automated ? this.b.approvals.rejectShare / 3 : this.b.approvals.rejectShare);
    const decided: Attrs = {};
    if (automated) decided.automated = true;
    decided.kind = kind.kind;
    decided.outcome = rejected ? 'rejected' : 'approved';
    // The same arithmetic as Random.logNormal, with the spread kept for the untreated side.
    const spread = automated ? Number.NaN : Math.exp(0.6 * r.normal());
    const decideT = automated ? t + 1000 * (60 + r.int(540)) : this.later(approver, t, (platform ? kind.hours.platform : kind.hours.email) * Math.sqrt(approver.responsiveness) * HOUR * spread, false);
    if (Number.isNaN(decideT) || !this.schedule(decideT, 'approval.decided', approver, object, channel, undefined, undefined, decided)) return;
    const effects = this.effects;
    if (effects === undefined) return;
    // By the decision's day and the requester's department on the request day (metric approval_cycle).
    const day = effects.windowDay(decideT);
    if (day < 0 || !effects.inCohort(requester, this.simDayOf(t))) return;
    const untreatedSpread = automated ? Math.exp(0.6 * (this.untreatedRandom as Random).normal()) : spread;
    const untreatedT = this.untreatedLater(approver, t, kind.hours.email * Math.sqrt(approver.responsiveness) * HOUR * untreatedSpread);
    if (Number.isNaN(untreatedT)) effects.dropped++;
    else effects.addApproval(day, kind.kind, (decideT - t) / 1000, (untreatedT - t) / 1000);
  }

  private meeting(organiser: SimPerson, dept: SimDepartment, dayNumber: number, workday: boolean, platform: boolean): void {
    const r = this.random;
    const mt = this.b.meetings;
    const size = mt.attendees.min + r.int(mt.attendees.max - mt.attendees.min + 1);
    const byDept = platform ? this.activatedByDept : this.staffByDept;
    let pool = byDept[dept.index] as SimPerson[];
    if (r.chance(0.3)) pool = pool.concat(byDept[this.otherDepartment(dept)] as SimPerson[]);
    const others = this.sample(pool, size - 1, organiser);
    if (others.length === 0) return;
    const startTod = workday ? this.workStart + r.int(Math.max(1, (this.workEnd - this.workStart) / (30 * MINUTE) - 1)) * 30 * MINUTE : 10 * HOUR;
    const t = organiser.clock.instantOf(dayNumber, startTod);
    // The same arithmetic as Random.logNormal, with the spread kept for the untreated (e-mail calendar) length.
    const spread = Math.exp(0.35 * r.normal());
    const minutes = Math.min(240, Math.max(10, Math.round(((platform ? mt.minutes.platform : mt.minutes.email) * spread) / 5) * 5));
    const object = this.nextId('mt');
    const attendees = others.length + 1;
    const channel: Channel = platform ? 'meeting' : 'email';
    const effects = this.effects;
    const untreatedMinutes = effects === undefined ? 0 : Math.min(240, Math.max(10, Math.round((mt.minutes.email * spread) / 5) * 5));
    // One attrs object for all attendees' events (nothing mutates it; see messageAttrs).
    const attrs: Attrs = { durationSec: minutes * 60, attendees };
    for (let i = -1; i < others.length; i++) {
      const a = i < 0 ? organiser : (others[i] as SimPerson);
      if (!this.schedule(t, 'meeting.held', a, object, channel, undefined, undefined, attrs) || effects === undefined) continue;
      if (effects.cohortDay(a, t) >= 0) effects.addMeeting(minutes * 60, untreatedMinutes * 60);
    }
  }

  private editDoc(p: SimPerson, dept: SimDepartment, t: number): void {
    const r = this.random;
    const staff = this.activatedByDept[dept.index] as SimPerson[];
    const doc = `doc-${dept.id}-${r.int(Math.max(3, staff.length >> 1))}`;
    if (!this.schedule(t, 'doc.edited', p, doc, 'doc')) return;
    if (r.chance(this.b.docs.coEditProbability)) {
      const other = this.sample(staff, 1, p)[0];
      if (!other) return;
      const at = this.later(other, t, r.logNormal(3 * HOUR, 1), true);
      if (!Number.isNaN(at)) this.schedule(at, 'doc.edited', other, doc, 'doc');
    }
  }
}
