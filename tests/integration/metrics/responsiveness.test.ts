// Responsiveness metrics on a hand-built day of messages (Asia/Hong_Kong, 2024-05-01), answers worked
// out by hand below. Covers self-replies, a reply stamped before its message, a duplicate event, a
// reply after 24 h (counted on its own day), an unknown replier and an automated notice.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDirectory } from '../../../dashboard/src/lib/server/directory.ts';
import { resolveFilters } from '../../../dashboard/src/lib/server/filters.ts';
import { dataVersion } from '../../../dashboard/src/lib/server/page-cache.ts';
import type { PageContext } from '../../../dashboard/src/lib/server/page-load.ts';
import { BAND_LABELS, loadResponsivenessView } from '../../../dashboard/src/lib/server/pages/responsiveness.ts';
import type { PageView } from '../../../dashboard/src/lib/view.ts';
import { makeEvent } from '../../support/events.ts';
import { createMetricFixture, valueAt, type MetricFixture } from './metric-fixture.ts';

let f: MetricFixture;
const DAY = { from: '2024-05-01', to: '2024-05-01' };
const BOTH = { from: '2024-05-01', to: '2024-05-02' };
const at = (hhmm: string, date = '2024-05-01') => `${date}T${hhmm}:00+08:00`;
const sent = (id: string, actor: string, time: string, extra: Record<string, unknown> = {}) =>
  makeEvent({ org: 'acme', actor, object: id, time, conversation: 'g1', ...extra });
const read = (actor: string, message: string, time: string) => makeEvent({ org: 'acme', type: 'message.read', actor, object: message, time });

beforeAll(async () => {
  f = await createMetricFixture('acme', 'Asia/Hong_Kong', {
    departments: [
      { id: 'fin', name: 'Finance' },
      { id: 'ops', name: 'Operations' },
    ],
    people: [
      { id: 'a', department: 'fin' },
      { id: 'b', department: 'fin' },
      { id: 'c', department: 'ops' },
      { id: 'd', department: 'ops' },
    ],
  });
  const r1 = sent('R1', 'b', at('09:10'), { parent: 'M1' });
  await f.send([
    sent('M1', 'a', at('09:00'), { attrs: { urgent: true, recipients: 4 } }),
    sent('S1', 'a', at('09:01'), { parent: 'M1' }), // self-reply: never a reply
    r1,
    sent('R2', 'c', at('09:30'), { parent: 'M1' }), // second reply: not the first
    sent('M2', 'c', at('10:00')),
    sent('R3', 'a', at('09:59'), { parent: 'M2' }), // stamped 60 s before M2: clock skew, counts as 0 s
    sent('M3', 'd', at('11:00'), { conversation: 'g2' }),
    sent('R4', 'c', at('12:00', '2024-05-02'), { parent: 'M3', conversation: 'g2' }), // 25 h later
    sent('M4', 'b', at('12:00'), { conversation: 'g3' }),
    sent('R5', 'ghost', at('12:30'), { parent: 'M4', conversation: 'g3' }), // not in the directory
    sent('M5', 'a', at('13:00'), { attrs: { automated: true } }), // an automated notice is still a message people may answer
    read('b', 'M1', at('09:05')),
    read('b', 'M1', at('09:06')), // second read by b: only the first counts
    read('c', 'M1', at('09:20')),
    read('d', 'M1', at('09:40')),
    read('a', 'M1', at('09:02')), // the sender's own read
    read('a', 'M2', at('09:59')), // before the message: 0 s
    read('c', 'M3', at('11:10')),
  ]);
  await f.send([r1]); // the same event id again
  await f.run({ range: { from: '2024-05-01', to: '2024-05-02' } });
});
afterAll(async () => {
  await f.close();
});

describe('reply_latency', () => {
  // First replies by someone else, on the reply's day: 1 May M1←R1 600 s (fin), M2←R3 0 s (fin),
  // M4←R5 1800 s (''); 2 May M3←R4 90000 s (ops).
  it('takes each message’s first reply by someone else, clamping skewed replies to 0 (p50 = sorted[⌊0.5·n⌋])', async () => {
    const p50 = await f.read('reply_latency', BOTH);
    expect(p50.body.points).toEqual([
      { period: '2024-05-01', value: 600, n: 3 }, // [0, 600, 1800]
      { period: '2024-05-02', value: 90000, n: 1 },
    ]);
    const p90 = await f.read('reply_latency', { ...BOTH, stat: 'p90', groupBy: 'month' });
    expect(p90.body.points).toEqual([{ period: '2024-05-01', value: 90000, n: 4 }]); // [0, 600, 1800, 90000] → sorted[3]
  });

  it('groups by the replier’s department and counts unknown repliers under ""', async () => {
    const { body } = await f.read('reply_latency', { ...BOTH, groupBy: 'department' });
    expect(body.points).toEqual([
      { department: '', value: 1800, n: 1 },
      { department: 'fin', value: 600, n: 2 }, // [0, 600] → sorted[1]
      { department: 'ops', value: 90000, n: 1 },
    ]);
  });

  it('cross_team_reply_latency keeps first replies across departments only (M2←R3)', async () => {
    const { body } = await f.read('cross_team_reply_latency', DAY);
    expect(body.points).toEqual([{ period: '2024-05-01', value: 0, n: 1 }]);
  });
});

describe('reply_rate and read_unreplied_rate', () => {
  // Messages on 1 May: M1 S1 R1 R2 M2 R3 M3 M4 R5 M5 (10; R4 is on 2 May). Replied: M1 M2 M3 M4.
  it('reply_rate = replied ÷ sent, on the message’s day, by the sender’s department', async () => {
    expect(valueAt((await f.read('reply_rate', DAY)).body, { period: '2024-05-01' })).toBeCloseTo(4 / 10, 12);
    const { body } = await f.read('reply_rate', { ...DAY, groupBy: 'department' });
    expect(valueAt(body, { department: 'fin' })).toBeCloseTo(2 / 6, 12); // M1 S1 R1 R3 M4 M5 → M1, M4
    expect(valueAt(body, { department: 'ops' })).toBeCloseTo(2 / 3, 12); // R2 M2 M3 → M2, M3
    expect(valueAt(body, { department: '' })).toBe(0); // R5
  });

  it('read_unreplied_rate: of M1, M2, M3 (read by others) only M3 lacks a reply within 24 h', async () => {
    const { body } = await f.read('read_unreplied_rate', DAY);
    expect(body.points).toEqual([{ period: '2024-05-01', value: 1 / 3, n: 3 }]);
  });
});

describe('read latency and urgent notices', () => {
  // First reads by others: (M1,b) 300, (M1,c) 1200, (M1,d) 2400, (M2,a) 0, (M3,c) 600.
  it('read_latency over each reader’s first read', async () => {
    expect((await f.read('read_latency', DAY)).body.points).toEqual([{ period: '2024-05-01', value: 600, n: 5 }]);
    expect(valueAt((await f.read('read_latency', { ...DAY, stat: 'p90' })).body, { period: '2024-05-01' })).toBe(2400);
  });

  it('suppresses by the distinct readers of the whole group, not the largest row (a, b, c, d: 4)', async () => {
    // Each stored row (reader's × sender's department) has at most 2 readers; the day has 4.
    expect((await f.read('read_latency', DAY, 4)).body.points).toEqual([{ period: '2024-05-01', value: 600, n: 5 }]);
    expect((await f.read('read_latency', DAY, 5)).body.points).toEqual([{ period: '2024-05-01', value: null, n: null, suppressed: true }]);
  });

  it('urgent_ack_latency over the urgent M1 only: [300, 1200, 2400]', async () => {
    expect((await f.read('urgent_ack_latency', DAY)).body.points).toEqual([{ period: '2024-05-01', value: 1200, n: 3 }]);
  });

  it('urgent_reach_15m: 1 of 4 recipients read M1 within 15 minutes', async () => {
    expect((await f.read('urgent_reach_15m', DAY)).body.points).toEqual([{ period: '2024-05-01', value: 0.25, n: 4 }]);
  });
});

describe('the Responsiveness page', () => {
  async function view(params: Record<string, string>): Promise<PageView> {
    const user = { email: 'admin@acme.test', org: 'acme', role: 'admin' as const, department: '' };
    const directory = await loadDirectory(f.warehouse, 'acme');
    const scope = resolveFilters(new URLSearchParams(params), directory, user);
    const ctx: PageContext = { warehouse: f.warehouse, org: { id: 'acme', name: 'Acme', timezone: 'Asia/Hong_Kong' }, user, directory, scope, now: f.clock.now() };
    return loadResponsivenessView(ctx);
  }
  const tile = (v: PageView, id: string) => v.tiles.find((t) => t.id === id)?.value;
  const panel = (v: PageView, id: string) => v.panels.find((p) => p.id === id);

  it('shows the read API’s medians for the whole range, and per day in the trend', async () => {
    const v = await view(BOTH);
    // Replies [0, 600, 1800, 90000] → sorted[2]; cross-team (both departments known) M2←R3 only; reads as above.
    expect(tile(v, 'reply-latency')).toBe(1800);
    expect((await f.read('reply_latency', { ...BOTH, groupBy: 'month' })).body.points[0]?.value).toBe(1800);
    expect(tile(v, 'cross-latency')).toBe(0);
    expect(tile(v, 'read-latency')).toBe(600);
    const trend = panel(v, 'latency-trend');
    expect(trend?.kind === 'trend' && trend.series.map((s) => s.values)).toEqual([
      [600, 90000],
      [0, null],
      [600, null],
    ]);
  });

  it('spreads replies and reads over the latency bands as shares of each kind', async () => {
    const v = await view(BOTH);
    const bars = panel(v, 'latency-distribution');
    expect(bars?.kind === 'bars' && bars.categories.length).toBe(BAND_LABELS.length);
    // Replies 0 s, 600 s, 1800 s, 90000 s: under 1 min, 5–15 min, 15–60 min, 1–3 days.
    // Reads 0, 300, 600, 1200, 2400 s: under 1 min, 5–15 min (300, 600), 15–60 min (1200, 2400).
    expect(bars?.kind === 'bars' && bars.series.map((s) => s.values)).toEqual([
      [1 / 4, 0, 1 / 4, 1 / 4, 0, 0, 1 / 4, 0],
      [1 / 5, 0, 2 / 5, 2 / 5, 0, 0, 0, 0],
    ]);
  });

  it('suppresses department pairs answered by fewer than 5 people, and says so', async () => {
    const v = await view(BOTH);
    const heatmap = panel(v, 'department-heatmap');
    expect(heatmap?.kind === 'heatmap' && heatmap.cells.length).toBeGreaterThan(0);
    expect(heatmap?.kind === 'heatmap' && heatmap.cells.every((c) => typeof c.value === 'object')).toBe(true);
    expect(v.notices.map((n) => 'key' in n.text && n.text.key)).toContain('privacy.someSuppressed');
  });

  it('keys the page cache on a data version that moves when a job registers new rollup versions', async () => {
    const before = await dataVersion(f.warehouse, 'acme');
    expect(await dataVersion(f.warehouse, 'acme')).toBe(before);
    f.clock.now = () => Date.parse('2024-06-30T00:05:00Z');
    await f.run({ range: DAY });
    expect(await dataVersion(f.warehouse, 'acme')).not.toBe(before);
    expect(await dataVersion(f.warehouse, 'nobody')).toBe('0');
  });
});

describe('network', () => {
  // Replies by others: R1 fin→fin, R2 ops→fin, R3 fin→ops, R4 ops→ops (2 May), R5 ''→fin; R1 once.
  it('dept_interactions is the replier × sender department matrix', async () => {
    const { body } = await f.read('dept_interactions', { ...BOTH, groupBy: 'department' });
    expect(body.points).toEqual([
      { department: '', counterpart: 'fin', value: 1, n: 1 },
      { department: 'fin', counterpart: 'fin', value: 1, n: 1 },
      { department: 'fin', counterpart: 'ops', value: 1, n: 1 },
      { department: 'ops', counterpart: 'fin', value: 1, n: 1 },
      { department: 'ops', counterpart: 'ops', value: 1, n: 1 },
    ]);
  });

  it('silo_index is the share of a department’s replies that stay inside it', async () => {
    const { body } = await f.read('silo_index', { ...BOTH, groupBy: 'department' });
    expect(valueAt(body, { department: 'fin' })).toBe(0.5);
    expect(valueAt(body, { department: 'ops' })).toBe(0.5);
  });

  // The week of 29 April: the 10 messages of 1 May and R4 (2 May, g2), in g1, g2 and g3.
  const WEEK = { from: '2024-04-29', to: '2024-05-05', groupBy: 'week' };
  it('group_activity: 11 messages in 3 active conversations that week', async () => {
    expect((await f.read('group_activity', WEEK)).body.points).toEqual([{ period: '2024-04-29', value: 11 / 3, n: 3 }]);
    const { body } = await f.read('group_activity', { ...WEEK, groupBy: 'department' });
    expect(body.points).toEqual([
      { department: '', value: 1, n: 1 }, // R5 in g3
      { department: 'fin', value: 3, n: 2 }, // M1 S1 R1 R3 M5 in g1, M4 in g3
      { department: 'ops', value: 2, n: 2 }, // R2 M2 in g1, M3 R4 in g2
    ]);
  });

  it('group_activity adds weeks up: a conversation active in two weeks counts in each', async () => {
    await f.send([sent('M6', 'a', at('10:00', '2024-05-08'))]); // g1 again, the next week
    await f.run({ range: { from: '2024-05-06', to: '2024-05-12' } });
    const { body } = await f.read('group_activity', { from: '2024-04-29', to: '2024-05-12', groupBy: 'department' });
    // fin: 6 messages in 2 conversations, then 1 in 1: (6 + 1) ÷ (2 + 1).
    expect(valueAt(body, { department: 'fin' })).toBeCloseTo(7 / 3, 12);
  });
});
