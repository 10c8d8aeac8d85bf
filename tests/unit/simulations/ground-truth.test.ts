// Ground truth against hand-computed answers: each definition in docs/simulations.md, edge by edge.
import { describe, expect, it } from 'vitest';
import type { DirectoryInput } from '../../../contracts/directory.ts';
import type { EventInput } from '../../../contracts/events.ts';
import { GroundTruthBuilder } from '../../../simulations/ground-truth.ts';

const directory: DirectoryInput = {
  org: 'acme',
  departments: [
    { id: 'a', name: 'A', parent: null },
    { id: 'b', name: 'B', parent: null },
  ],
  people: [
    { id: 'p1', department: 'a', hiredAt: '2020-01-01', licensed: true },
    { id: 'p2', department: 'b', hiredAt: '2020-01-01', licensed: true },
    { id: 'p3', department: 'a', hiredAt: '2020-01-01', licensed: true, validFrom: '2020-01-01' },
    { id: 'p3', department: 'b', hiredAt: '2020-01-01', licensed: true, validFrom: '2026-01-07' },
    { id: 'p4', department: 'a', hiredAt: '2020-01-01', licensed: false },
    { id: 'p5', department: 'a', hiredAt: '2020-01-01', leftAt: '2026-01-06', licensed: true },
  ],
};

let n = 0;
function ev(type: EventInput['type'], actor: string, time: string, object: string, extra: Partial<EventInput> = {}): EventInput {
  n++;
  return { id: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`, type, time, org: 'acme', actor, object, channel: 'im', source: 'simulation', ...extra } as EventInput;
}

const events: EventInput[] = [
  ev('message.sent', 'p1', '2026-01-05T09:00:00+08:00', 'm1', { attrs: { recipients: 2 } }),
  ev('message.sent', 'p5', '2026-01-05T09:00:30+08:00', 'mail1', { channel: 'email' }),
  ev('message.read', 'p2', '2026-01-05T09:01:00+08:00', 'm1'),
  ev('message.read', 'p1', '2026-01-05T09:02:00+08:00', 'm1'),
  ev('message.sent', 'p2', '2026-01-05T09:10:00+08:00', 'm1r', { parent: 'm1' }),
  ev('message.sent', 'p3', '2026-01-05T09:20:00+08:00', 'm1r2', { parent: 'm1' }),
  ev('message.read', 'p2', '2026-01-05T09:30:00+08:00', 'm1'),
  ev('approval.requested', 'p1', '2026-01-05T10:00:00+08:00', 'a1', { channel: 'workflow', attrs: { kind: 'expense', amount: 10 } }),
  ev('task.created', 'p1', '2026-01-05T11:00:00+08:00', 't1', { channel: 'workflow' }),
  ev('task.created', 'p1', '2026-01-05T12:00:00+08:00', 't2', { channel: 'workflow' }),
  ev('message.sent', 'p4', '2026-01-05T13:00:00+08:00', 'auto1', { channel: 'workflow', attrs: { automated: true, recipients: 1 } }),
  ev('approval.decided', 'p2', '2026-01-06T10:00:00+08:00', 'a1', { channel: 'workflow', attrs: { kind: 'expense', outcome: 'approved' } }),
  ev('meeting.held', 'p1', '2026-01-06T14:00:00+08:00', 'mt1', { channel: 'meeting', attrs: { durationSec: 3600, attendees: 2 } }),
  ev('meeting.held', 'p2', '2026-01-06T14:00:00+08:00', 'mt1', { channel: 'meeting', attrs: { durationSec: 5400, attendees: 2 } }),
  ev('message.sent', 'p3', '2026-01-06T23:59:59+08:00', 'm2'),
  ev('message.sent', 'p1', '2026-01-07T00:00:09+08:00', 'm2r', { parent: 'm2' }),
  ev('doc.edited', 'p3', '2026-01-07T10:00:00+08:00', 'd1', { channel: 'doc' }),
  ev('message.sent', 'p2', '2026-01-08T09:00:00+08:00', 'u1', { attrs: { urgent: true, recipients: 4 } }),
  ev('message.read', 'p1', '2026-01-08T09:15:00+08:00', 'u1'),
  ev('message.read', 'p3', '2026-01-08T09:15:01+08:00', 'u1'),
  ev('message.sent', 'p2', '2026-01-08T10:00:00+08:00', 'm3'),
  ev('message.sent', 'p1', '2026-01-08T10:01:40+08:00', 'm3r', { parent: 'm3' }),
  ev('task.completed', 'p2', '2026-01-12T11:00:00+08:00', 't1', { channel: 'workflow' }),
  ev('task.completed', 'p2', '2026-01-12T12:00:01+08:00', 't2', { channel: 'workflow' }),
];

function truth() {
  const builder = new GroundTruthBuilder({ org: 'acme', timezone: 'Asia/Hong_Kong', scenario: 'hand-made', seed: 0, from: '2026-01-05', to: '2026-01-11' }, directory);
  for (const e of events) builder.add(e);
  return builder.finish();
}

describe('ground truth', () => {
  const t = truth();
  const active = (day: string, department: string) => t.activeUsers.find((r) => r.day === day && r.department === department);

  it('counts active users per department per day, excluding e-mail and automated events', () => {
    // 5 Jan: p1 and p3 in A (p5 only e-mailed, p4's event was automated); p2 in B. Licensed A = p1, p3, p5.
    expect(active('2026-01-05', 'a')).toEqual({ day: '2026-01-05', department: 'a', active: 2, licensedHeadcount: 3, activeRate: 2 / 3 });
    expect(active('2026-01-05', 'b')).toEqual({ day: '2026-01-05', department: 'b', active: 1, licensedHeadcount: 1, activeRate: 1 });
  });

  it('attributes activity to the department of the day, and headcount to people employed that day', () => {
    // 7 Jan: p3 has moved to B; p5 left on the 6th.
    expect(active('2026-01-07', 'a')).toMatchObject({ active: 1, licensedHeadcount: 1 });
    expect(active('2026-01-07', 'b')).toMatchObject({ active: 1, licensedHeadcount: 2, activeRate: 0.5 });
    expect(active('2026-01-09', 'a')).toMatchObject({ active: 0, licensedHeadcount: 1, activeRate: 0 });
  });

  it('takes the first reply by someone else and the upper median', () => {
    // A's replies that week: 10 s (m2, across local midnight) and 100 s (m3): upper median = 100.
    expect(t.replyLatency).toEqual([
      { week: '2026-01-05', department: 'a', medianSec: 100, count: 2 },
      { week: '2026-01-05', department: 'b', medianSec: 600, count: 1 },
    ]);
  });

  it('counts cross-team replies only when the departments differ', () => {
    expect(t.crossTeamReplyLatency).toEqual([
      { week: '2026-01-05', department: 'a', medianSec: 100, count: 1 },
      { week: '2026-01-05', department: 'b', medianSec: 600, count: 1 },
    ]);
  });

  it('takes each reader’s first read and ignores the sender’s own', () => {
    // m1 by p2 after 60 s (the second read is ignored); u1 by p1 (900 s, department A) and p3 (901 s, now B).
    expect(t.readLatency).toEqual([
      { week: '2026-01-05', department: 'a', medianSec: 900, count: 1 },
      { week: '2026-01-05', department: 'b', medianSec: 901, count: 2 },
    ]);
  });

  it('measures approval cycles by kind in the week of the decision', () => {
    expect(t.approvalCycle).toEqual([{ week: '2026-01-05', kind: 'expense', medianSec: 86_400, count: 1, within8Hours: 0 }]);
    expect(t.approvalCycleByKind).toEqual([{ kind: 'expense', medianSec: 86_400, count: 1 }]);
  });

  it('counts a task completed exactly 7 days later, not one a second later', () => {
    expect(t.taskCompletion).toEqual([{ week: '2026-01-05', department: 'a', created: 2, completedWithin7Days: 1, rate: 0.5 }]);
  });

  it('sums meeting hours per attendee department over the Monday headcount', () => {
    const a = t.meetingHours.find((r) => r.week === '2026-01-05' && r.department === 'a');
    const b = t.meetingHours.find((r) => r.week === '2026-01-05' && r.department === 'b');
    expect(a).toEqual({ week: '2026-01-05', department: 'a', hours: 1, headcount: 4, hoursPerPerson: 0.25 });
    expect(b).toEqual({ week: '2026-01-05', department: 'b', hours: 1.5, headcount: 1, hoursPerPerson: 1.5 });
  });

  it('measures urgent reach within 15 minutes over the stated recipients', () => {
    expect(t.urgentReach).toEqual([{ week: '2026-01-05', notices: 1, recipients: 4, readWithin15Min: 1, reach: 0.25 }]);
  });

  it('counts events exactly', () => {
    expect(t.totals.events).toBe(events.length);
    expect(t.totals.automated).toBe(1);
    expect(t.totals.email).toBe(1);
    expect(t.eventsPerDay.reduce((s, d) => s + d.events, 0)).toBe(events.length);
  });

  it('refuses events out of time order', () => {
    const builder = new GroundTruthBuilder({ org: 'acme', timezone: 'Asia/Hong_Kong', scenario: 'x', seed: 0, from: '2026-01-05', to: '2026-01-11' }, directory);
    builder.add(events[1] as EventInput);
    expect(() => builder.add(events[0] as EventInput)).toThrow(/time order/);
  });
});
