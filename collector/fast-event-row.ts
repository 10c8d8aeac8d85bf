// The hot path for the common, valid event: checks it against the contract by hand and writes its
// JSONEachRow line in one pass, skipping zod, the intermediate Event and EventRow objects, and the
// Date round trips. It only ever says "valid, here is the row" or "not sure" (undefined): anything
// unusual or invalid goes to the zod path, so rejections and their messages come from zod alone.
// tests/unit/collector/fast-event-row.test.ts holds it to zod + toEventRow + serializeEventRow on
// valid and mutated events; keep it in step with contracts/events.ts.
import { APPROVAL_KINDS, CHANNELS, EARLIEST_EVENT_TIME, EVENT_TYPES, MAX_FUTURE_SKEW_MS, SOURCES } from '../contracts/events.ts';

// The same patterns as the contract (idSchema's length and character class; zod's z.uuid()).
// None of these characters needs escaping in JSON, which is why the row below is concatenated raw.
const ID = /^[A-Za-z0-9._:@-]{1,128}$/;
const ORG = /^[a-z0-9][a-z0-9_-]{0,63}$/;
const UUID = /^([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[1-8][0-9a-fA-F]{3}-[89abAB][0-9a-fA-F]{3}-[0-9a-fA-F]{12}|00000000-0000-0000-0000-000000000000|ffffffff-ffff-ffff-ffff-ffffffffffff)$/;

const TYPE_SET: ReadonlySet<string> = new Set(EVENT_TYPES);
const CHANNEL_SET: ReadonlySet<string> = new Set(CHANNELS);
const SOURCE_SET: ReadonlySet<string> = new Set(SOURCES);
const KIND_SET: ReadonlySet<string> = new Set(APPROVAL_KINDS);

/** Whether the fast path can serve events for this organisation id (it must itself be a valid org id). */
export function fastPathServes(org: string): boolean {
  return ORG.test(org);
}

const digit = (s: string, i: number): number => {
  const c = s.charCodeAt(i) - 48;
  return c >= 0 && c <= 9 ? c : -1;
};
const two = (s: string, i: number): number => {
  const a = digit(s, i);
  const b = digit(s, i + 1);
  return a < 0 || b < 0 ? -1 : a * 10 + b;
};

/** Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil). */
function daysFromCivil(y: number, m: number, d: number): number {
  y -= m <= 2 ? 1 : 0;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

function daysInMonth(y: number, m: number): number {
  if (m === 2) return y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0) ? 29 : 28;
  return m === 4 || m === 6 || m === 9 || m === 11 ? 30 : 31;
}

/**
 * Epoch milliseconds of an RFC 3339 time, as Date.parse reads it (fraction truncated to ms), or -1
 * when the string is anything but a plainly valid time — leap seconds, 24:00, odd offsets and all
 * malformed input go to zod, which knows how to word the rejection.
 */
export function parseEventTime(s: string): number {
  const n = s.length;
  if (n < 20 || n > 35) return -1;
  if (s.charCodeAt(4) !== 45 || s.charCodeAt(7) !== 45 || s.charCodeAt(10) !== 84 || s.charCodeAt(13) !== 58 || s.charCodeAt(16) !== 58) return -1;
  const y = two(s, 0) * 100 + two(s, 2);
  const mo = two(s, 5);
  const d = two(s, 8);
  const h = two(s, 11);
  const mi = two(s, 14);
  const se = two(s, 17);
  if (two(s, 0) < 0 || two(s, 2) < 0 || mo < 1 || mo > 12 || d < 1 || d > daysInMonth(y, mo) || h < 0 || h > 23 || mi < 0 || mi > 59 || se < 0 || se > 59) return -1;
  let i = 19;
  let ms = 0;
  if (s.charCodeAt(i) === 46) {
    i += 1;
    const start = i;
    while (i < n && digit(s, i) >= 0) {
      if (i - start < 3) ms = ms * 10 + digit(s, i);
      i += 1;
    }
    const digits = i - start;
    if (digits < 1 || digits > 9) return -1;
    if (digits === 1) ms *= 100;
    else if (digits === 2) ms *= 10;
  }
  let offsetMin = 0;
  const z = s.charCodeAt(i);
  if (z === 90) {
    if (i + 1 !== n) return -1;
  } else if (z === 43 || z === 45) {
    if (i + 6 !== n || s.charCodeAt(i + 3) !== 58) return -1;
    const oh = two(s, i + 1);
    const om = two(s, i + 4);
    if (oh < 0 || oh > 23 || om < 0 || om > 59) return -1;
    offsetMin = (z === 43 ? 1 : -1) * (oh * 60 + om);
  } else return -1;
  return ((daysFromCivil(y, mo, d) * 24 + h) * 60 + mi - offsetMin) * 60_000 + se * 1000 + ms;
}

const pad2 = (v: number): string => (v < 10 ? '0' : '') + v;

/** `YYYY-MM-DD hh:mm:ss` (UTC) of epoch milliseconds ≥ 0 — formatDateTime without a Date. */
export function formatUtcSeconds(epochMs: number): string {
  const secs = Math.floor(epochMs / 1000);
  const days = Math.floor(secs / 86_400);
  const rest = secs - days * 86_400;
  // H. Hinnant's civil_from_days.
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  const y = yoe + era * 400 + (m <= 2 ? 1 : 0);
  const h = Math.floor(rest / 3600);
  const mi = Math.floor((rest - h * 3600) / 60);
  return `${y}-${pad2(m)}-${pad2(d)} ${pad2(h)}:${pad2(mi)}:${pad2(rest % 60)}`;
}

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && Object.getPrototypeOf(v) === Object.prototype;

const optionalId = (v: unknown): boolean => v === undefined || (typeof v === 'string' && ID.test(v));
const intIn = (v: unknown, min: number, max: number): v is number => typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max;

function ownKeyCount(o: Record<string, unknown>): number {
  let n = 0;
  // JSON.parse output has no inherited enumerable keys (the prototype is checked above).
  for (const _ in o) n += 1;
  return n;
}

/** The attrs columns of a row, from `attrs` checked against the event type's strict schema. */
interface AttrColumns {
  urgent: number;
  recipients: number;
  kind: string;
  outcome: string;
  amount: number;
  durationSec: number;
  attendees: number;
  automated: number;
}

const scratch: AttrColumns = { urgent: 0, recipients: 0, kind: '', outcome: '', amount: 0, durationSec: 0, attendees: 0, automated: 0 };

/** Fills `scratch` from attrs; false when attrs is anything the fast path does not vouch for. */
function readAttrs(type: string, attrs: unknown): boolean {
  scratch.urgent = 0;
  scratch.recipients = 0;
  scratch.kind = '';
  scratch.outcome = '';
  scratch.amount = 0;
  scratch.durationSec = 0;
  scratch.attendees = 0;
  scratch.automated = 0;
  if (attrs === undefined) {
    // These types require attrs (kind, outcome, durationSec): zod words the rejection.
    return type !== 'approval.requested' && type !== 'approval.decided' && type !== 'meeting.held';
  }
  if (!isPlainObject(attrs)) return false;
  let known = 0;
  const automated = attrs.automated;
  if (automated !== undefined) {
    if (typeof automated !== 'boolean') return false;
    scratch.automated = automated ? 1 : 0;
    known += 1;
  }
  switch (type) {
    case 'message.sent': {
      const { urgent, recipients } = attrs;
      if (urgent !== undefined) {
        if (typeof urgent !== 'boolean') return false;
        scratch.urgent = urgent ? 1 : 0;
        known += 1;
      }
      if (recipients !== undefined) {
        if (!intIn(recipients, 0, 1_000_000)) return false;
        scratch.recipients = recipients;
        known += 1;
      }
      break;
    }
    case 'task.created':
      if (attrs.dueDays !== undefined) {
        if (!intIn(attrs.dueDays, 0, 3650)) return false;
        known += 1;
      }
      break;
    case 'group.created':
      if (attrs.members !== undefined) {
        if (!intIn(attrs.members, 0, 1_000_000)) return false;
        known += 1;
      }
      break;
    case 'approval.requested': {
      const { kind, amount } = attrs;
      if (typeof kind !== 'string' || !KIND_SET.has(kind)) return false;
      scratch.kind = kind;
      known += 1;
      if (amount !== undefined) {
        if (typeof amount !== 'number' || !Number.isFinite(amount) || amount < 0 || amount > 1e12) return false;
        scratch.amount = amount;
        known += 1;
      }
      break;
    }
    case 'approval.decided': {
      const { kind, outcome } = attrs;
      if (typeof kind !== 'string' || !KIND_SET.has(kind) || (outcome !== 'approved' && outcome !== 'rejected')) return false;
      scratch.kind = kind;
      scratch.outcome = outcome;
      known += 2;
      break;
    }
    case 'meeting.held': {
      const { durationSec, attendees } = attrs;
      if (!intIn(durationSec, 0, 24 * 3600)) return false;
      scratch.durationSec = durationSec;
      known += 1;
      if (attendees !== undefined) {
        if (!intIn(attendees, 1, 100_000)) return false;
        scratch.attendees = attendees;
        known += 1;
      }
      break;
    }
    case 'message.read':
    case 'message.reacted':
    case 'task.assigned':
    case 'task.completed':
    case 'doc.edited':
    case 'member.activated':
      break;
    default:
      return false;
  }
  // Strict: any key beyond the ones read is unknown (or undefined-valued, which JSON cannot carry).
  return ownKeyCount(attrs) === known;
}

/**
 * The JSONEachRow line (same text as serializeEventRow(toEventRow(eventSchema.parse(item), …))) of a
 * valid event of `org`, or undefined when the item is not plainly valid — then zod decides.
 * `receivedAt` is the already formatted received_at column.
 */
export function fastEventRow(item: unknown, org: string, receivedAt: string): string | undefined {
  if (!isPlainObject(item)) return undefined;
  const { id, type, time, actor, conversation, object, parent, channel, source, attrs } = item;
  if (item.org !== org || typeof type !== 'string' || !TYPE_SET.has(type)) return undefined;
  if (typeof id !== 'string' || !UUID.test(id)) return undefined;
  if (typeof actor !== 'string' || !ID.test(actor) || typeof object !== 'string' || !ID.test(object)) return undefined;
  if (!optionalId(conversation) || !optionalId(parent)) return undefined;
  if (typeof channel !== 'string' || !CHANNEL_SET.has(channel) || typeof source !== 'string' || !SOURCE_SET.has(source)) return undefined;
  if (typeof time !== 'string') return undefined;
  const ms = parseEventTime(time);
  if (ms < EARLIEST_EVENT_TIME || ms > Date.now() + MAX_FUTURE_SKEW_MS) return undefined;
  if (!readAttrs(type, attrs)) return undefined;
  const present = 8 + (conversation === undefined ? 0 : 1) + (parent === undefined ? 0 : 1) + (attrs === undefined ? 0 : 1);
  if (ownKeyCount(item) !== present) return undefined;
  const a = scratch;
  return (
    `{"id":"${id}","org":"${org}","type":"${type}","time":"${formatUtcSeconds(ms)}","time_ms":${ms % 1000},"actor":"${actor}",` +
    `"conversation":"${conversation ?? ''}","object":"${object}","parent":"${parent ?? ''}","channel":"${channel}",` +
    `"source":"${source}","urgent":${a.urgent},"recipients":${a.recipients},"kind":"${a.kind}","outcome":"${a.outcome}",` +
    `"amount":${a.amount},"duration_sec":${a.durationSec},"attendees":${a.attendees},"automated":${a.automated},` +
    `"received_at":"${receivedAt}"}\n`
  );
}
