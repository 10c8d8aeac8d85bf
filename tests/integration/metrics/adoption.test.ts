// Adoption and engagement metrics for an organisation in Europe/London, across the DST change of
// 31 March 2024, with a department move, a leaver, an unlicensed person, someone missing from the
// directory and a person in another timezone. Every expected value is worked out in the comments.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { upsertWaveStarts } from '../../../warehouse/queries/upsert-wave-starts.ts';
import { makeEvent } from '../../support/events.ts';
import { createMetricFixture, valueAt, type MetricFixture } from './metric-fixture.ts';

let f: MetricFixture;
const ev = (actor: string, time: string, extra: Record<string, unknown> = {}) => makeEvent({ org: 'uk', actor, time, ...extra });
const hired = '2024-01-01';

beforeAll(async () => {
  f = await createMetricFixture('uk', 'Europe/London', {
    departments: [
      { id: 'fin', name: 'Finance' },
      { id: 'ops', name: 'Operations' },
    ],
    people: [
      { id: 'a', department: 'fin', hiredAt: hired, wave: 'w1', timezone: 'Europe/London' },
      { id: 'b', department: 'fin', hiredAt: hired, wave: 'w1', timezone: 'Asia/Hong_Kong' },
      { id: 'c', department: 'ops', hiredAt: hired, wave: 'w2' },
      { id: 'c', department: 'fin', hiredAt: hired, wave: 'w2', validFrom: '2024-04-03' }, // moves on 3 April
      { id: 'd', department: 'ops', hiredAt: hired, wave: 'w3', leftAt: '2024-04-03' }, // last day 2 April; w3 has no start
      { id: 'e', department: 'ops', hiredAt: hired, licensed: false },
      { id: 'f', department: 'fin', hiredAt: hired, wave: 'w1' },
    ],
  });
  await upsertWaveStarts(f.warehouse, 'uk', [
    { wave: 'w1', startDay: '2024-03-25' },
    { wave: 'w2', startDay: '2024-04-01' },
  ]);
  const habit: ReturnType<typeof ev>[] = [];
  // f: Monday–Wednesday 10:00 for four weeks from 8 April: weekly active from the week ending 14 April, habitual from 5 May.
  for (const monday of ['2024-04-08', '2024-04-15', '2024-04-22', '2024-04-29']) {
    for (let i = 0; i < 3; i++) {
      const d = new Date(Date.parse(`${monday}T09:00:00Z`) + i * 86_400_000).toISOString().replace('.000Z', 'Z');
      habit.push(ev('f', d));
    }
  }
  await f.send([
    ev('a', '2024-03-30T23:30:00Z'), // Saturday 23:30 GMT → 30 March, weekend
    ev('a', '2024-03-31T23:30:00Z'), // Monday 00:30 BST → 1 April (a fixed UTC offset would say 31 March), after hours
    ev('b', '2024-04-02T02:00:00Z'), // Tuesday 10:00 in Hong Kong (03:00 in London): working hours in b's own zone
    ev('b', '2024-04-02T12:00:00Z'), // 20:00 in Hong Kong: after hours
    ev('c', '2024-04-02T10:00:00+01:00'), // c still in ops
    ev('c', '2024-04-03T10:00:00+01:00'), // c now in fin
    ev('d', '2024-04-02T10:00:00+01:00'), // d's last employed day
    ev('d', '2024-04-04T10:00:00+01:00'), // after leaving: active, but not licensed headcount
    ev('e', '2024-04-02T11:00:00+01:00'), // unlicensed: active, not in the active-rate numerator
    ev('ghost', '2024-04-02T11:00:00+01:00'), // not in the directory: department ''
    ev('a', '2024-04-02T11:00:00+01:00', { channel: 'email' }), // legacy e-mail: not platform use
    ev('a', '2024-04-03T11:00:00+01:00', { type: 'task.created', attrs: { automated: true } }), // automated
    ...habit,
  ]);
  await f.run({ range: { from: '2024-03-25', to: '2024-05-31' } });
});
afterAll(async () => {
  await f.close();
});

describe('active_users', () => {
  it('counts people per local day across the DST change', async () => {
    const { body } = await f.read('active_users', { from: '2024-03-30', to: '2024-04-04' });
    expect(body.points).toEqual([
      { period: '2024-03-30', value: 1, n: 1 },
      { period: '2024-04-01', value: 1, n: 1 },
      { period: '2024-04-02', value: 5, n: 5 }, // b, c, d, e, ghost (a's e-mail does not count)
      { period: '2024-04-03', value: 1, n: 1 }, // c (a's automated event does not count)
      { period: '2024-04-04', value: 1, n: 1 }, // d, after leaving
    ]);
  });

  it('attributes people to their department on the day and counts unknown people under ""', async () => {
    const { body } = await f.read('active_users', { from: '2024-04-01', to: '2024-04-07', groupBy: 'department' });
    expect(body.points).toEqual([
      { department: '', value: 1, n: 1 },
      { department: 'fin', value: 3, n: 3 }, // a, b, c (from 3 April)
      { department: 'ops', value: 3, n: 3 }, // c (2 April), d, e
    ]);
    const week = await f.read('active_users', { from: '2024-03-25', to: '2024-04-07', groupBy: 'week' });
    expect(week.body.points).toEqual([
      { period: '2024-03-25', value: 1, n: 1 },
      { period: '2024-04-01', value: 6, n: 6 },
    ]);
  });
});

describe('active_rate', () => {
  it('divides active licensed employees by licensed headcount on the day', async () => {
    const { body } = await f.read('active_rate', { from: '2024-04-02', to: '2024-04-02', groupBy: 'department' });
    expect(valueAt(body, { department: 'fin' })).toBe(1 / 3); // b of a, b, f
    expect(valueAt(body, { department: 'ops' })).toBe(1); // c, d of c, d (e unlicensed)
    const day4 = await f.read('active_rate', { from: '2024-04-04', to: '2024-04-04', groupBy: 'department' });
    expect(day4.body.points).toEqual([{ department: 'fin', value: 0, n: 4 }]); // a, b, c, f; d has left, ops has nobody licensed
  });

  it('sums person-days over a week: (1 + 3 + 1 + 0) ÷ (5 + 5 + 4 + 4)', async () => {
    const { body } = await f.read('active_rate', { from: '2024-04-01', to: '2024-04-04', groupBy: 'week' });
    expect(body.points).toEqual([{ period: '2024-04-01', value: 5 / 18, n: 18 }]);
  });
});

describe('stickiness', () => {
  it('is mean DAU over the days of the week ÷ weekly actives: (1 + 5 + 1 + 1) ÷ 7 ÷ 6', async () => {
    const { body } = await f.read('stickiness', { from: '2024-04-01', to: '2024-04-07', groupBy: 'week' });
    expect(valueAt(body, { period: '2024-04-01' })).toBeCloseTo(8 / 7 / 6, 12);
  });
});

describe('after_hours_share and weekend_share', () => {
  // fin: a Sat 23:30 (weekend), a Mon 00:30 (after), b 10:00 HK (working), b 20:00 HK (after), c 10:00 (working).
  it('uses each person’s own timezone', async () => {
    const range = { from: '2024-03-30', to: '2024-04-04', groupBy: 'department' };
    const after = await f.read('after_hours_share', range);
    expect(valueAt(after.body, { department: 'fin' })).toBe(2 / 5);
    expect(valueAt(after.body, { department: 'ops' })).toBe(0);
    const weekend = await f.read('weekend_share', range);
    expect(valueAt(weekend.body, { department: 'fin' })).toBe(1 / 5);
  });
});

describe('days_to_activation and the adoption funnel', () => {
  // a 30 Mar − 25 Mar = 5; b 2 Apr − 25 Mar = 8; c 2 Apr − 1 Apr = 1; f 8 Apr − 25 Mar = 14;
  // d has no known wave start: 2 Apr − 1 Jan (first licensed) = 92.
  it('counts from the later of wave start and licence', async () => {
    const range = { from: '2024-03-25', to: '2024-04-30' };
    expect((await f.read('days_to_activation', { ...range, groupBy: 'department' })).body.points).toEqual([
      { department: 'fin', value: 8, n: 4 }, // [1, 5, 8, 14] → sorted[2]
      { department: 'ops', value: 92, n: 1 },
    ]);
    expect((await f.read('days_to_activation', { ...range, groupBy: 'month', stat: 'p90' })).body.points).toEqual([
      { period: '2024-03-01', value: 5, n: 1 },
      { period: '2024-04-01', value: 92, n: 4 },
    ]);
  });

  it('reports each stage as of the range end', async () => {
    const april = await f.read('adoption_funnel', { from: '2024-04-01', to: '2024-04-30', groupBy: 'department' });
    const stages = (dept: string) => ['invited', 'activated', 'weekly_active', 'habitual'].map((stage) => valueAt(april.body, { department: dept, stage }));
    expect(stages('fin')).toEqual([4, 4, 1, 0]); // a, b, c, f; f weekly active from 14 April
    expect(stages('ops')).toEqual([1, 1, 0, 0]); // d (e is not licensed)
    const may = await f.read('adoption_funnel', { from: '2024-05-01', to: '2024-05-31', groupBy: 'department' });
    expect(valueAt(may.body, { department: 'fin', stage: 'habitual' })).toBe(1); // f, from 5 May
  });
});

describe('activity_drop', () => {
  // fin events per week: 25 Mar 1, 1 Apr 4, 8/15/22 Apr 3 each, 29 Apr 3, 6 May 0.
  it('compares a week with the mean of the 4 before it', async () => {
    const { body } = await f.read('activity_drop', { from: '2024-04-29', to: '2024-05-12', groupBy: 'week', department: 'fin' });
    expect(body.points).toEqual([
      { period: '2024-04-29', department: 'fin', value: 3 / ((4 + 3 + 3 + 3) / 4), n: 3 },
      { period: '2024-05-06', department: 'fin', value: 0, n: 0 },
    ]);
  });
});
