// The hand-written row serialiser must produce exactly what JSON.stringify would, for every event type.
import { describe, expect, it } from 'vitest';
import { eventSchema, EVENT_TYPES } from '../../../contracts/events.ts';
import { BatchBuilder, serializeEventRow } from '../../../collector/batch-builder.ts';
import { toEventRow } from '../../../warehouse/events.ts';
import { realisticEvent } from '../../../bench/ingest-batches.ts';
import { makeEvent } from '../../support/events.ts';

describe('serializeEventRow', () => {
  it('equals JSON.stringify of the row for realistic events of every type', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 400; i++) {
      const input = { ...realisticEvent('acme', i, Date.parse('2024-05-01T01:02:03.456Z') + i * 1000), id: '4b1f6d0e-8c2a-4f3b-9d4e-5a6b7c8d9e0f' };
      const event = eventSchema.parse(input);
      seen.add(event.type);
      const row = toEventRow(event, Date.parse('2024-05-02T00:00:00Z'));
      expect(serializeEventRow(row)).toBe(JSON.stringify(row) + '\n');
    }
    expect(seen.size).toBeGreaterThan(8);
  });

  it('escapes strings exactly like JSON.stringify would', () => {
    const row = toEventRow(eventSchema.parse(makeEvent()), 0);
    const odd = { ...row, actor: 'quote " backslash \\ tab \t é ✓' };
    expect(JSON.parse(serializeEventRow(odd))).toEqual(odd);
  });

  it('covers every event type in the contract', () => {
    expect(EVENT_TYPES.length).toBe(12);
  });
});

describe('BatchBuilder', () => {
  it('keeps valid events, lists rejections with codes, and counts them by code', () => {
    const builder = new BatchBuilder({ org: 'acme' });
    [makeEvent(), makeEvent({ org: 'other' }), makeEvent({ content: 'hi' }), 42, makeEvent({ type: 'nope' })].forEach((item, i) => builder.add(item, i));
    const batch = builder.build();
    expect(batch.accepted).toBe(1);
    expect(batch.rejected.map((r) => [r.index, r.code])).toEqual([
      [1, 'wrong_org'],
      [2, 'unknown_field'],
      [3, 'not_an_object'],
      [4, 'unknown_type'],
    ]);
    expect(batch.payload.toString().split('\n').filter(Boolean)).toHaveLength(1);
    expect(Object.fromEntries(batch.rejectedByCode)).toEqual({ wrong_org: 1, unknown_field: 1, not_an_object: 1, unknown_type: 1 });
  });
});
