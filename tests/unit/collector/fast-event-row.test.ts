// The hand-written fast path must never change a decision: for valid events it writes exactly the row
// the zod path writes, and for anything else (mutated, malformed, out of range) it defers to zod.
import { describe, expect, it } from 'vitest';
import { EVENT_TYPES, type Event } from '../../../contracts/events.ts';
import { fastEventRow, formatUtcSeconds, parseEventTime } from '../../../collector/fast-event-row.ts';
import { BatchBuilder, serializeEventRow } from '../../../collector/batch-builder.ts';
import { validateEvent, isRejection } from '../../../collector/validate-events.ts';
import { toEventRow } from '../../../warehouse/events.ts';
import { formatDateTime } from '../../../warehouse/row-values.ts';
import { realisticEvent } from '../../../bench/ingest-batches.ts';

const RECEIVED_AT = Date.parse('2024-05-02T03:04:05.678Z');

/** A small deterministic PRNG (mulberry32), so a failure reproduces from its seed. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const pick = <T>(r: () => number, items: readonly T[]): T => items[Math.floor(r() * items.length)]!;

/** Valid events of every type with every optional field sometimes present, odd-but-valid times included. */
function validEvent(r: () => number, i: number): Record<string, unknown> {
  const hex = () => Math.floor(r() * 16).toString(16);
  const uuid = () => {
    const h = (n: number) => Array.from({ length: n }, hex).join('');
    const v = pick(r, ['1', '4', '7', '8']);
    return `${h(8)}-${h(4)}-${v}${h(3)}-${pick(r, ['8', '9', 'a', 'B'])}${h(3)}-${h(12)}`;
  };
  const ms = Date.parse('2000-01-01T00:00:00Z') + Math.floor(r() * (Date.now() - Date.parse('2000-01-01T00:00:00Z')));
  const offsetMin = pick(r, [0, 0, 480, -300, 330, 345, -720, 840, 59]);
  const local = new Date(ms + offsetMin * 60_000).toISOString().slice(0, 19);
  const fraction = pick(r, ['', '.5', '.12', '.123', '.1234', '.123456789', '.000']);
  const sign = offsetMin < 0 ? '-' : '+';
  const abs = Math.abs(offsetMin);
  const offset = offsetMin === 0 ? pick(r, ['Z', '+00:00', '-00:00']) : `${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
  const base = realisticEvent('acme', i, Date.parse('2024-05-01T00:00:00Z')) as Record<string, unknown>;
  const event: Record<string, unknown> = { ...base, id: uuid(), time: `${local}${fraction}${offset}` };
  if (r() < 0.3) delete event.conversation;
  if (r() < 0.2) event.parent = pick(r, ['x', 'a.b_c:d@e-f', 'Z'.repeat(128)]);
  const type = pick(r, EVENT_TYPES);
  event.type = type;
  const attrsByType: Record<string, () => Record<string, unknown> | undefined> = {
    'message.sent': () => pick(r, [undefined, {}, { recipients: 0 }, { recipients: 1_000_000, urgent: false }, { urgent: true, automated: true }]),
    'task.created': () => pick(r, [undefined, { dueDays: 3650 }, { dueDays: 0, automated: false }]),
    'group.created': () => pick(r, [undefined, { members: 12 }, {}]),
    'approval.requested': () => pick(r, [{ kind: 'procurement' }, { kind: 'other', amount: 0 }, { kind: 'budget', amount: 1e12 }, { kind: 'expense', amount: 12.5, automated: true }, { kind: 'leave', amount: -0 }]),
    'approval.decided': () => pick(r, [{ kind: 'hiring', outcome: 'approved' }, { kind: 'contract', outcome: 'rejected', automated: false }]),
    'meeting.held': () => pick(r, [{ durationSec: 0 }, { durationSec: 86_400, attendees: 1 }, { durationSec: 1800, attendees: 100_000 }]),
  };
  const attrs = (attrsByType[type] ?? (() => pick(r, [undefined, {}, { automated: true }])))();
  if (attrs === undefined) delete event.attrs;
  else event.attrs = attrs;
  return event;
}

const BAD_VALUES: unknown[] = [
  undefined, null, 0, -1, 1.5, 1e13, '', ' ', 'x', 'a b', 'é', '"', '\\', true, false, [], {}, ['x'], { a: 1 },
  '2024-02-30T10:00:00Z', '2024-13-01T10:00:00Z', '2023-02-29T10:00:00Z', '2024-02-29T10:00:00Z', '2024-05-01T24:00:00Z', '2024-05-01T23:60:00Z',
  '2024-05-01T23:59:60Z', '2024-05-01T10:00:00+24:00', '2024-05-01T10:00:00+23:60', '2024-05-01T10:00:00', '2024-05-01 10:00:00Z', '2024-05-01t10:00:00z',
  '2024-05-01T10:00:00.Z', '2024-05-01T10:00:00.1234567890Z', '1999-12-31T23:59:59.999Z', '2000-01-01T00:00:00+00:01', '2000-01-01T00:00:00-00:01', '9999-12-31T23:59:59Z',
  '2024-05-01T10:00:00+0800', '00000000-0000-0000-0000-000000000000', 'ffffffff-ffff-ffff-ffff-ffffffffffff', '4b1f6d0e-8c2a-4f3b-7d4e-5a6b7c8d9e0f',
  '4b1f6d0e-8c2a-9f3b-9d4e-5a6b7c8d9e0f', 'acme', 'Acme', 'other', 'im', 'workflow', 'simulation', 'message.sent', 'meeting.held', 'nope', 'Z'.repeat(129),
  'procurement', 'approved', 'rejected', Infinity, NaN, 100_001, 86_401, 3651,
];
const FIELDS = ['id', 'type', 'time', 'org', 'actor', 'conversation', 'object', 'parent', 'channel', 'source', 'attrs', 'content', '__proto__'];
const ATTR_FIELDS = ['automated', 'urgent', 'recipients', 'dueDays', 'members', 'kind', 'amount', 'outcome', 'durationSec', 'attendees', 'text'];

/** A bad value of its own (objects are copied, so edits never alias one another). */
function badValue(r: () => number): unknown {
  const v = pick(r, BAD_VALUES);
  return typeof v === 'object' && v !== null ? JSON.parse(JSON.stringify(v)) : v;
}

/** One to three random edits: a field or attrs field set to an odd value, deleted, or added. */
function mutate(r: () => number, event: Record<string, unknown>): unknown {
  const copy: Record<string, unknown> = JSON.parse(JSON.stringify(event));
  const edits = 1 + Math.floor(r() * 3);
  for (let k = 0; k < edits; k++) {
    const roll = r();
    if (roll < 0.45) copy[pick(r, FIELDS)] = badValue(r);
    else if (roll < 0.6) delete copy[pick(r, FIELDS)];
    else {
      const attrs = typeof copy.attrs === 'object' && copy.attrs !== null && !Array.isArray(copy.attrs) ? (copy.attrs as Record<string, unknown>) : {};
      if (r() < 0.2) delete attrs[pick(r, ATTR_FIELDS)];
      else attrs[pick(r, ATTR_FIELDS)] = badValue(r);
      copy.attrs = attrs;
    }
  }
  // Through JSON like a request body (drops undefined; "__proto__" stays an own key).
  const text = JSON.stringify(copy).replace('"content"', r() < 0.1 ? '"__proto__"' : '"content"');
  return JSON.parse(text);
}

/** The reference: zod decides, toEventRow + serializeEventRow write. */
function slowRow(item: unknown): string | undefined {
  const result = validateEvent(item, 0, 'acme');
  return isRejection(result) ? undefined : serializeEventRow(toEventRow(result as Event, RECEIVED_AT));
}

describe('fastEventRow', () => {
  const receivedAt = formatDateTime(RECEIVED_AT);

  it('writes exactly the zod path’s row for valid events of every type (and serves nearly all of them)', () => {
    const r = rng(1);
    let served = 0;
    const types = new Set<string>();
    for (let i = 0; i < 8_000; i++) {
      const event = JSON.parse(JSON.stringify(validEvent(r, i)));
      const expected = slowRow(event);
      expect(expected, JSON.stringify(event)).toBeDefined();
      const fast = fastEventRow(event, 'acme', receivedAt);
      if (fast !== undefined) {
        served += 1;
        types.add(event.type);
        expect(fast, JSON.stringify(event)).toBe(expected);
      }
    }
    expect(types.size).toBe(EVENT_TYPES.length);
    expect(served).toBeGreaterThan(7_600);
  }, 60_000);

  it('never accepts what zod rejects, and matches zod’s row whenever it accepts a mutated event', () => {
    const r = rng(2);
    let rejected = 0;
    let served = 0;
    for (let i = 0; i < 15_000; i++) {
      const item = mutate(r, validEvent(r, i));
      const expected = slowRow(item);
      const fast = fastEventRow(item, 'acme', receivedAt);
      if (expected === undefined) rejected += 1;
      if (fast !== undefined) served += 1;
      if (fast !== undefined || expected === undefined) expect(fast, JSON.stringify(item)).toBe(expected);
    }
    // The corpus really exercises both sides.
    expect(rejected).toBeGreaterThan(7_500);
    expect(served).toBeGreaterThan(750);
  }, 60_000);

  it('defers everything that is not a plain event object of the key’s org', () => {
    const event = JSON.parse(JSON.stringify(realisticEvent('acme', 1, Date.parse('2024-05-01T00:00:00Z')))) as Record<string, unknown>;
    event.id = '4b1f6d0e-8c2a-4f3b-9d4e-5a6b7c8d9e0f';
    expect(fastEventRow(event, 'acme', receivedAt)).toBeDefined();
    expect(fastEventRow(event, 'other', receivedAt)).toBeUndefined();
    for (const item of [null, 42, 'x', [], [event], Object.create(event), Object.assign(Object.create(null), event)]) {
      expect(fastEventRow(item, 'acme', receivedAt)).toBeUndefined();
    }
  });

  it('keeps a batch’s accept/reject decisions and payload identical to the zod path', () => {
    const r = rng(3);
    const items = Array.from({ length: 3000 }, (_, i) => (i % 3 === 0 ? mutate(r, validEvent(r, i)) : JSON.parse(JSON.stringify(validEvent(r, i)))));
    const batch = new BatchBuilder({ org: 'acme' });
    items.forEach((item, i) => batch.add(item, i));
    const built = batch.build();
    const expectedRejections = items.map((item, index) => validateEvent(item, index, 'acme')).filter(isRejection);
    expect(built.rejectedCount).toBe(expectedRejections.length);
    expect(built.rejected).toEqual(expectedRejections.slice(0, built.rejected.length));
    const rows = built.payload.toString('utf8').split('\n').filter(Boolean);
    expect(rows).toHaveLength(items.length - expectedRejections.length);
    // received_at is the builder's own clock; everything else must match the reference row.
    const strip = (row: string) => row.replace(/"received_at":"[^"]*"/, '');
    const expectedRows = items.map(slowRow).filter((x): x is string => x !== undefined).map((x) => strip(x.trimEnd()));
    expect(rows.map(strip)).toEqual(expectedRows);
  }, 30_000);
});

describe('parseEventTime and formatUtcSeconds', () => {
  it('agree with Date.parse and formatDateTime', () => {
    const r = rng(4);
    for (let i = 0; i < 20_000; i++) {
      const ms = Math.floor(r() * Date.parse('2099-12-31T00:00:00Z'));
      expect(formatUtcSeconds(ms)).toBe(formatDateTime(ms));
      const iso = new Date(ms).toISOString();
      expect(parseEventTime(iso)).toBe(Date.parse(iso));
    }
    for (const leap of ['2000-02-29T12:00:00Z', '2024-02-29T23:59:59.999+08:00', '2100-03-01T00:00:00-05:30', '1970-01-01T00:00:00Z']) {
      expect(parseEventTime(leap)).toBe(Date.parse(leap));
    }
    for (const odd of ['2100-02-29T00:00:00Z', '2024-05-01T24:00:00Z', '2024-05-01T10:00:00+24:00', '2024-05-01T10:00:00.Z', '2024-05-01T10:00:00Zx']) {
      expect(parseEventTime(odd)).toBe(-1);
    }
  }, 30_000);
});
