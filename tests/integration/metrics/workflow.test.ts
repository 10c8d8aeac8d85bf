// Workflow, meeting and document metrics on hand-built approvals, tasks, meetings and edits
// (Asia/Hong_Kong). Each expected value is worked out next to its assertion.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeEvent } from '../../support/events.ts';
import { createMetricFixture, valueAt, type MetricFixture } from './metric-fixture.ts';

let f: MetricFixture;
const hk = (date: string, hhmm: string) => `${date}T${hhmm}:00+08:00`;
const ev = (type: string, actor: string, object: string, time: string, attrs?: Record<string, unknown>, channel = 'workflow') =>
  makeEvent({ org: 'acme', type, actor, object, time, channel, ...(attrs ? { attrs } : {}) });
const requested = (actor: string, id: string, time: string, kind: string, automated = false) =>
  ev('approval.requested', actor, id, time, { kind, ...(automated ? { automated } : {}) });
const decided = (actor: string, id: string, time: string, kind: string, automated = false) =>
  ev('approval.decided', actor, id, time, { kind, outcome: 'approved', ...(automated ? { automated } : {}) });
const held = (actor: string, id: string, time: string, durationSec: number) => ev('meeting.held', actor, id, time, { durationSec }, 'meeting');
const edited = (actor: string, id: string, time: string) => ev('doc.edited', actor, id, time, undefined, 'doc');

beforeAll(async () => {
  f = await createMetricFixture('acme', 'Asia/Hong_Kong', {
    departments: [
      { id: 'fin', name: 'Finance' },
      { id: 'ops', name: 'Operations' },
    ],
    people: ['a', 'b'].map((id) => ({ id, department: 'fin' })).concat(['c', 'd'].map((id) => ({ id, department: 'ops' }))),
  });
  const duplicate = held('a', 'MT1', hk('2024-05-01', '10:00'), 1800);
  await f.send([
    requested('a', 'AP1', hk('2024-05-01', '09:00'), 'expense'),
    decided('c', 'AP1', hk('2024-05-01', '11:00'), 'expense'), // 7200 s
    requested('b', 'AP2', hk('2024-04-29', '09:00'), 'procurement'),
    decided('c', 'AP2', hk('2024-05-02', '09:00'), 'procurement'), // 259200 s, on 2 May
    decided('d', 'AP2', hk('2024-05-03', '09:00'), 'procurement'), // a second decision: the first counts
    requested('c', 'AP3', hk('2024-05-01', '10:00'), 'procurement', true),
    decided('c', 'AP3', hk('2024-05-01', '10:00').replace(':00+', ':30+'), 'procurement', true), // 30 s, automated
    decided('d', 'AP4', hk('2024-05-01', '12:00'), 'expense'), // no request: not counted
    requested('a', 'AP5', hk('2024-05-02', '09:00'), 'expense'),
    decided('b', 'AP5', hk('2024-05-02', '08:00'), 'expense'), // stamped before the request: 0 s

    ev('task.created', 'a', 'T1', hk('2024-05-01', '09:00')),
    ev('task.completed', 'b', 'T1', hk('2024-05-03', '09:00')), // 172800 s, within 7 days
    ev('task.created', 'a', 'T2', hk('2024-05-01', '10:00')),
    ev('task.completed', 'a', 'T2', hk('2024-05-09', '10:00')), // 691200 s: 8 days, not within 7
    ev('task.created', 'c', 'T3', hk('2024-05-02', '10:00')), // never completed
    ev('task.created', 'c', 'T4', hk('2024-04-20', '10:00')),
    ev('task.completed', 'd', 'T4', hk('2024-05-02', '10:00')), // 1036800 s, counted on 2 May

    duplicate,
    duplicate,
    held('a', 'MT1', hk('2024-05-01', '10:00'), 1800), // a second event for the same attendee and meeting
    held('b', 'MT1', hk('2024-05-01', '10:00'), 1800),
    held('c', 'MT1', hk('2024-05-01', '10:00'), 1800),
    held('a', 'MT2', hk('2024-05-02', '14:00'), 3600),
    held('d', 'MT2', hk('2024-05-02', '14:00'), 3600),

    edited('a', 'D1', hk('2024-05-01', '10:00')),
    edited('c', 'D1', hk('2024-05-02', '10:00')), // D1: two editors in the week of 29 April
    edited('a', 'D2', hk('2024-05-01', '11:00')),
    edited('a', 'D2', hk('2024-05-02', '11:00')), // D2: one editor twice
    edited('b', 'D3', hk('2024-05-03', '10:00')),
    edited('d', 'D3', hk('2024-05-07', '10:00')), // D3: one editor in each of two weeks
  ]);
  await f.run({ range: { from: '2024-04-20', to: '2024-05-12' } });
});
afterAll(async () => {
  await f.close();
});

describe('approvals', () => {
  const range = { from: '2024-05-01', to: '2024-05-03' };

  it('approval_cycle by kind: expense [0, 7200] → 7200; procurement [30, 259200] → 259200', async () => {
    const { body } = await f.read('approval_cycle', { ...range, groupBy: 'kind' });
    expect(body.points).toEqual([
      { kind: 'expense', value: 7200, n: 2 },
      { kind: 'procurement', value: 259200, n: 2 },
    ]);
  });

  it('counts an approval on the day of its first decision, by the requester’s department', async () => {
    expect((await f.read('approval_cycle', range)).body.points).toEqual([
      { period: '2024-05-01', value: 7200, n: 2 }, // AP1 7200, AP3 30
      { period: '2024-05-02', value: 259200, n: 2 }, // AP2 259200, AP5 0
    ]);
    expect((await f.read('approval_cycle', { ...range, groupBy: 'department' })).body.points).toEqual([
      { department: 'fin', value: 7200, n: 3 }, // [0, 7200, 259200]
      { department: 'ops', value: 30, n: 1 },
    ]);
    expect((await f.read('approval_cycle', { ...range, kind: 'expense' })).body.points).toEqual([
      { period: '2024-05-01', value: 7200, n: 1 },
      { period: '2024-05-02', value: 0, n: 1 },
    ]);
  });

  it('approval_automated_share: AP3 of four approvals', async () => {
    expect((await f.read('approval_automated_share', { ...range, groupBy: 'department' })).body.points).toEqual([
      { department: 'fin', value: 0, n: 3 },
      { department: 'ops', value: 1, n: 1 },
    ]);
  });
});

describe('tasks', () => {
  it('task_completion_rate: of T1, T2, T3 created in the week of 29 April only T1 was done within 7 days', async () => {
    expect((await f.read('task_completion_rate', { from: '2024-04-29', to: '2024-05-05', groupBy: 'week' })).body.points).toEqual([
      { period: '2024-04-29', value: 1 / 3, n: 3 },
    ]);
    const byDept = await f.read('task_completion_rate', { from: '2024-04-29', to: '2024-05-05', groupBy: 'department' });
    expect(valueAt(byDept.body, { department: 'fin' })).toBe(0.5);
    expect(valueAt(byDept.body, { department: 'ops' })).toBe(0);
  });

  it('task_cycle over tasks completed in the range, however old: [172800, 691200, 1036800] → 691200', async () => {
    expect((await f.read('task_cycle', { from: '2024-05-01', to: '2024-05-10', groupBy: 'month' })).body.points).toEqual([
      { period: '2024-05-01', value: 691200, n: 3 },
    ]);
  });
});

describe('meetings', () => {
  it('meeting_hours_per_person: 3.5 attendee hours over 4 attendees; per department by attendee', async () => {
    const week = { from: '2024-04-29', to: '2024-05-05' };
    expect((await f.read('meeting_hours_per_person', { ...week, groupBy: 'week' })).body.points).toEqual([
      { period: '2024-04-29', value: 0.875, n: 4 },
    ]);
    const byDept = await f.read('meeting_hours_per_person', { ...week, groupBy: 'department' });
    expect(valueAt(byDept.body, { department: 'fin' })).toBe(1); // a 1.5 h, b 0.5 h
    expect(valueAt(byDept.body, { department: 'ops' })).toBe(0.75); // c 0.5 h, d 1 h
  });

  it('avg_meeting_minutes counts each meeting once: (30 + 60) ÷ 2', async () => {
    expect((await f.read('avg_meeting_minutes', { from: '2024-04-29', to: '2024-05-05', groupBy: 'week' })).body.points).toEqual([
      { period: '2024-04-29', value: 45, n: 2 },
    ]);
  });
});

describe('documents', () => {
  it('doc_coedit_rate per week: D1 of D1–D3, then none of D3', async () => {
    expect((await f.read('doc_coedit_rate', { from: '2024-04-29', to: '2024-05-12', groupBy: 'week' })).body.points).toEqual([
      { period: '2024-04-29', value: 1 / 3, n: 3 },
      { period: '2024-05-06', value: 0, n: 1 },
    ]);
    const byDept = await f.read('doc_coedit_rate', { from: '2024-04-29', to: '2024-05-05', groupBy: 'department' });
    expect(valueAt(byDept.body, { department: 'fin' })).toBe(1 / 3);
    expect(valueAt(byDept.body, { department: 'ops' })).toBe(1);
  });
});
