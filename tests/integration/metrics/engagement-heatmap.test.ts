// The Engagement page's weekday × hour heatmap reads activity_hourly: activity as after_hours_share
// counts it (own, non-automated, platform events, each once) on each person's own clock (the
// organisation's when the directory has none), with cells under k = 5 people left out. Cells
// worked out by hand below (organisation Asia/Hong_Kong, UTC+8; London is UTC+1 in May).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { loadDirectory } from '../../../dashboard/src/lib/server/directory.ts';
import { resolveFilters } from '../../../dashboard/src/lib/server/filters.ts';
import type { PageContext } from '../../../dashboard/src/lib/server/page-load.ts';
import { loadEngagementView } from '../../../dashboard/src/lib/server/pages/engagement.ts';
import type { Panel } from '../../../dashboard/src/lib/view.ts';
import { latestRows } from '../../../warehouse/read-api/metric-spec.ts';
import { sql } from '../../../warehouse/sql.ts';
import type { User } from '../../../warehouse/users.ts';
import { makeEvent } from '../../support/events.ts';
import { createMetricFixture, type MetricFixture } from './metric-fixture.ts';

let f: MetricFixture;
const RANGE = { from: '2024-05-01', to: '2024-05-02' };
const FIN = ['f1', 'f2', 'f3', 'f4', 'f5'];
const ev = (actor: string, time: string, extra: Record<string, unknown> = {}) => makeEvent({ org: 'acme', actor, time, ...extra });

beforeAll(async () => {
  f = await createMetricFixture('acme', 'Asia/Hong_Kong', {
    departments: [
      { id: 'fin', name: 'Finance' },
      { id: 'ops', name: 'Operations' },
    ],
    people: [
      ...FIN.map((id) => ({ id, department: 'fin' })),
      { id: 'l1', department: 'ops', timezone: 'Europe/London' },
    ],
  });
  const twice = ev('f1', '2024-05-02T22:40:00+08:00');
  await f.send([
    // Wednesday 09:xx: five people, one event each → (3, 9): 5 events, 5 people.
    ...FIN.map((p, i) => ev(p, `2024-05-01T09:${10 + i}:00+08:00`)),
    ev('f1', '2024-05-01T09:50:00+08:00', { attrs: { automated: true } }), // automated: not activity
    ev('f2', '2024-05-01T09:55:00+08:00', { channel: 'email' }), // legacy e-mail: not the platform
    // Thursday 22:xx: five people, f1 twice (and that event re-sent) → (4, 22): 6 events, 5 people.
    ...FIN.map((p, i) => ev(p, `2024-05-02T22:${10 + i}:00+08:00`)),
    twice,
    // London: 2 May 06:30 in Hong Kong is 1 May 23:30 in London → (3, 23), on the organisation's 2 May.
    ev('l1', '2024-05-02T06:30:00+08:00'),
  ]);
  await f.send([twice]);
  await f.run({ range: RANGE });
});
afterAll(async () => {
  await f.close();
});

const cellRow = z.object({ wd: z.number(), h: z.number(), events: z.coerce.number(), people: z.coerce.number() });

async function heatmapFor(user: User): Promise<{ panel: Extract<Panel, { kind: 'heatmap' }>; notices: string[] }> {
  const directory = await loadDirectory(f.warehouse, 'acme');
  const scope = resolveFilters(new URLSearchParams(RANGE), directory, user);
  const ctx: PageContext = { warehouse: f.warehouse, org: { id: 'acme', name: 'Acme', timezone: 'Asia/Hong_Kong' }, user, directory, scope, now: Date.parse('2024-06-30T00:00:00Z') };
  const view = await loadEngagementView(ctx);
  const panel = view.panels.find((p) => p.id === 'weekday-hour');
  if (panel?.kind !== 'heatmap') throw new Error('no weekday-hour heatmap on the Engagement page');
  return { panel, notices: view.notices.map((n) => ('key' in n.text ? n.text.key : n.text.text)) };
}

describe('activity_hourly', () => {
  it('counts activity per weekday and hour on each person’s own clock, each event once', async () => {
    const rows = await f.warehouse.query(
      sql`SELECT weekday AS wd, hour AS h, sum(events) AS events, uniqExactMerge(people) AS people
          FROM (${latestRows('activity_hourly', 'acme', RANGE.from, RANGE.to)}) WHERE org = 'acme'
          GROUP BY wd, h ORDER BY wd, h`,
      cellRow,
      { org: 'acme' },
    );
    expect(rows).toEqual([
      { wd: 3, h: 9, events: 5, people: 5 },
      { wd: 3, h: 23, events: 1, people: 1 },
      { wd: 4, h: 22, events: 6, people: 5 },
    ]);
  });
});

describe('Engagement heatmap', () => {
  const executive: User = { email: 'hr@acme.test', org: 'acme', role: 'executive', department: '' };

  it('shows the cells of at least 5 people and leaves out the rest, saying so', async () => {
    const { panel, notices } = await heatmapFor(executive);
    // x = hour, y = weekday − 1 (Monday first).
    expect(panel.cells).toEqual([
      { x: 9, y: 2, value: 5 },
      { x: 22, y: 3, value: 6 },
    ]);
    expect(notices).toContain('privacy.someSuppressed');
  });

  it('covers only the departments a manager may see', async () => {
    const manager: User = { email: 'ops@acme.test', org: 'acme', role: 'department_manager', department: 'ops' };
    const { panel } = await heatmapFor(manager);
    // Operations is one person (l1): every cell is under k.
    expect(panel.cells).toEqual([]);
    expect(panel.empty?.hint).toEqual({ key: 'privacy.tooFew', params: { k: 5 } });
  });
});
