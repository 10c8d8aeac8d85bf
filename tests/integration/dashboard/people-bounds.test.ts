// The Engagement heatmap and the Meetings department network decide k-anonymity from each rollup
// row's own people count (people_n) and merge people sets only where that cannot decide. These tests
// put hand-built rollup rows in a database of their own and check both pages show exactly the cells
// and edges an exact merge of every set shows — rows each under k but together at least k (shown),
// rows that stay under k together (left out), and rows written before people_n was filled (0: unknown).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { DirectoryInfo } from '../../../dashboard/src/lib/server/directory.ts';
import { resolveFilters } from '../../../dashboard/src/lib/server/filters.ts';
import type { PageContext } from '../../../dashboard/src/lib/server/page-load.ts';
import { loadEngagementView } from '../../../dashboard/src/lib/server/pages/engagement.ts';
import { loadMeetingsView } from '../../../dashboard/src/lib/server/pages/meetings.ts';
import { DEFAULT_K, setPageK } from '../../../dashboard/src/lib/server/privacy.ts';
import type { Panel, PageView } from '../../../dashboard/src/lib/view.ts';
import { latestRows } from '../../../warehouse/read-api/metric-spec.ts';
import { dayRange, liveRows } from '../../../warehouse/queries/rollups/live-rows.ts';
import { sql } from '../../../warehouse/sql.ts';
import type { User } from '../../../warehouse/users.ts';
import { createTestWarehouse, type TestWarehouse } from '../../support/test-warehouse.ts';

const ORG = 'acme';
const RANGE = { from: '2024-05-01', to: '2024-05-07' };
const [D1, D2, D3] = ['2024-05-01', '2024-05-02', '2024-05-03'] as const;
/** The live version of every day; STALE rows were superseded and must not count. */
const LIVE = 2;
const STALE = 1;

const executive: User = { email: 'hr@acme.test', org: ORG, role: 'executive', department: '' };
const opsManager: User = { email: 'ops@acme.test', org: ORG, role: 'department_manager', department: 'ops' };

const directory: DirectoryInfo = {
  departments: [
    { id: 'fin', name: 'Finance', parent: '' },
    { id: 'it', name: 'IT', parent: '' },
    { id: 'ops', name: 'Operations', parent: '' },
  ],
  waveOf: new Map(),
  waves: [],
  headcount: new Map(),
  latestDay: RANGE.to,
  firstDay: RANGE.from,
};

/** `known`: people_n holds the row's people; otherwise 0, as on rows written before the column was filled. */
interface HourlyRow {
  day: string;
  department: string;
  weekday: number;
  hour: number;
  people: string[];
  known: boolean;
  version?: number;
}

interface InteractionRow {
  day: string;
  department: string;
  counterpart: string;
  people: number[];
  known: boolean;
  n: number;
  urgent?: number;
  version?: number;
}

const fin = (...ids: number[]) => ids.map((i) => `f${i}`);
const ops = (...ids: number[]) => ids.map((i) => `o${i}`);

// Heatmap cells (weekday, hour), k = 5:
const HOURLY: HourlyRow[] = [
  // (1, 8): one row of 6 people: shown on its own count.
  { day: D1, department: 'fin', weekday: 1, hour: 8, people: fin(1, 2, 3, 4, 5, 6), known: true },
  // (2, 9): rows of 3 people each, 7 together: shown.
  { day: D1, department: 'fin', weekday: 2, hour: 9, people: fin(1, 2, 3), known: true },
  { day: D2, department: 'fin', weekday: 2, hour: 9, people: fin(3, 4, 5), known: true },
  { day: D3, department: 'fin', weekday: 2, hour: 9, people: fin(5, 6, 7), known: true },
  // (3, 10): counts adding up to 7 but the same 3 people: left out — a superseded row of 6 does not count.
  { day: D1, department: 'fin', weekday: 3, hour: 10, people: fin(1, 2, 3), known: true },
  { day: D2, department: 'fin', weekday: 3, hour: 10, people: fin(1, 2), known: true },
  { day: D3, department: 'fin', weekday: 3, hour: 10, people: fin(2, 3), known: true },
  { day: D1, department: 'fin', weekday: 3, hour: 10, people: fin(1, 2, 3, 4, 5, 6), known: true, version: STALE },
  // (4, 11): 4 people at most: left out.
  { day: D1, department: 'fin', weekday: 4, hour: 11, people: fin(1, 2), known: true },
  { day: D2, department: 'fin', weekday: 4, hour: 11, people: fin(3, 4), known: true },
  // (5, 12): a row of 5 people written before people_n: shown.
  { day: D1, department: 'fin', weekday: 5, hour: 12, people: fin(1, 2, 3, 4, 5), known: false },
  // (6, 13): such rows of 4 people together: left out.
  { day: D1, department: 'fin', weekday: 6, hour: 13, people: fin(1, 2, 3), known: false },
  { day: D2, department: 'fin', weekday: 6, hour: 13, people: fin(3, 4), known: false },
  // (7, 14): a counted row of 2 and an uncounted row of 4 others — 6 people: shown (people_n sums to 2).
  { day: D1, department: 'fin', weekday: 7, hour: 14, people: fin(1, 2), known: true },
  { day: D2, department: 'fin', weekday: 7, hour: 14, people: fin(3, 4, 5, 6), known: false },
  // (1, 15): 6 people in the organisation, but Operations' own are 4.
  { day: D1, department: 'ops', weekday: 1, hour: 15, people: ops(1, 2, 3), known: true },
  { day: D2, department: 'ops', weekday: 1, hour: 15, people: ops(2, 3, 4), known: true },
  { day: D1, department: 'fin', weekday: 1, hour: 15, people: fin(1, 2), known: true },
];

// Department network, replies by `department` to `counterpart`:
const INTERACTIONS: InteractionRow[] = [
  // fin → ops: one day of 6 people: shown.
  { day: D1, department: 'fin', counterpart: 'ops', people: [1, 2, 3, 4, 5, 6], known: true, n: 10 },
  // fin → it: days of 3 people, 7 together (one of them urgent): shown.
  { day: D1, department: 'fin', counterpart: 'it', people: [1, 2, 3], known: true, n: 3 },
  { day: D1, department: 'fin', counterpart: 'it', people: [7], known: true, n: 1, urgent: 1 },
  { day: D2, department: 'fin', counterpart: 'it', people: [3, 4, 5], known: true, n: 3 },
  { day: D3, department: 'fin', counterpart: 'it', people: [5, 6], known: true, n: 2 },
  // it → fin: 4 people at most: left out.
  { day: D1, department: 'it', counterpart: 'fin', people: [11, 12], known: true, n: 2 },
  { day: D2, department: 'it', counterpart: 'fin', people: [13, 14], known: true, n: 2 },
  // ops → it: counts adding up to 7 but the same 3 people: left out — a superseded day of 8 does not count.
  { day: D1, department: 'ops', counterpart: 'it', people: [21, 22, 23], known: true, n: 3 },
  { day: D2, department: 'ops', counterpart: 'it', people: [21, 22], known: true, n: 2 },
  { day: D3, department: 'ops', counterpart: 'it', people: [22, 23], known: true, n: 2 },
  { day: D1, department: 'ops', counterpart: 'it', people: [21, 22, 23, 24, 25, 26, 27, 28], known: true, n: 8, version: STALE },
  // it → ops: a day of 5 people written before people_n: shown.
  { day: D1, department: 'it', counterpart: 'ops', people: [31, 32, 33, 34, 35], known: false, n: 5 },
  // ops → fin: a counted day of 2 and an uncounted day of 4 others — 6 people: shown.
  { day: D1, department: 'ops', counterpart: 'fin', people: [41, 42], known: true, n: 2 },
  { day: D2, department: 'ops', counterpart: 'fin', people: [43, 44, 45, 46], known: false, n: 4 },
  // it → it: inside IT (counts for the silo index, never an edge).
  { day: D1, department: 'it', counterpart: 'it', people: [51, 52, 53], known: true, n: 9 },
];

let t: TestWarehouse;

async function insertHourly(r: HourlyRow): Promise<void> {
  await t.warehouse.command(
    sql`INSERT INTO activity_hourly (org, day, department, weekday, hour, version, people, people_n, events)
        SELECT org, day, department, weekday, hour, version, uniqExactState(person), toUInt32(${r.known ? r.people.length : 0}), toUInt64(${r.people.length})
        FROM (SELECT ${ORG} AS org, toDate(${r.day}) AS day, ${r.department} AS department, toUInt8(${r.weekday}) AS weekday, toUInt8(${r.hour}) AS hour,
                toUInt64(${r.version ?? LIVE}) AS version, arrayJoin(${r.people}) AS person)
        WHERE org = ${ORG}
        GROUP BY org, day, department, weekday, hour, version`,
    { org: ORG },
  );
}

async function insertInteraction(r: InteractionRow): Promise<void> {
  await t.warehouse.command(
    sql`INSERT INTO response_kind_daily (org, kind, urgent, day, department, counterpart, version, people, people_n, n)
        SELECT org, kind, urgent, day, department, counterpart, version, uniqExactState(toUInt64(person)), toUInt32(${r.known ? r.people.length : 0}), toUInt64(${r.n})
        FROM (SELECT ${ORG} AS org, 'interaction' AS kind, toUInt8(${r.urgent ?? 0}) AS urgent, toDate(${r.day}) AS day, ${r.department} AS department,
                ${r.counterpart} AS counterpart, toUInt64(${r.version ?? LIVE}) AS version, arrayJoin(${r.people}) AS person)
        WHERE org = ${ORG}
        GROUP BY org, kind, urgent, day, department, counterpart, version`,
    { org: ORG },
  );
}

beforeAll(async () => {
  t = await createTestWarehouse();
  for (const r of HOURLY) await insertHourly(r);
  for (const r of INTERACTIONS) await insertInteraction(r);
  const registered = ['activity_hourly', 'response_kind_daily'].flatMap((rollup) =>
    [D1, D2, D3].flatMap((day) => [STALE, LIVE].map((version) => ({ org: ORG, rollup, day, version, computed_at: '2024-05-08 00:00:00' }))),
  );
  await t.warehouse.insert('rollup_versions', registered);
});
afterAll(async () => {
  await t?.drop();
});

function contextFor(user: User): PageContext {
  const now = Date.parse('2024-06-30T00:00:00Z');
  const scope = resolveFilters(new URLSearchParams(RANGE), directory, user, now);
  return { warehouse: t.warehouse, org: { id: ORG, name: 'Acme', timezone: 'UTC' }, user, directory, scope, now };
}

function panelOf<K extends Panel['kind']>(view: PageView, id: string, kind: K): Extract<Panel, { kind: K }> {
  const panel = view.panels.find((p) => p.id === id);
  if (panel?.kind !== kind) throw new Error(`no ${kind} panel ${id}`);
  return panel as Extract<Panel, { kind: K }>;
}

const cellRow = z.object({ wd: z.coerce.number(), h: z.coerce.number(), events: z.coerce.number(), people: z.coerce.number() });
const edgeRow = z.object({ department: z.string(), counterpart: z.string(), n: z.coerce.number(), people: z.coerce.number() });

/** The heatmap cells an exact merge of every cell's people sets shows. */
async function exactHeatmapCells(departments?: string[], k = DEFAULT_K) {
  const deps = departments ? sql` AND has(${departments}, department)` : sql``;
  const rows = await t.warehouse.query(
    sql`SELECT weekday AS wd, hour AS h, sum(events) AS events, uniqExactMerge(people) AS people
        FROM (${latestRows('activity_hourly', ORG, RANGE.from, RANGE.to)}) WHERE org = ${ORG}${deps}
        GROUP BY wd, h ORDER BY wd, h`,
    cellRow,
    { org: ORG },
  );
  return rows.filter((r) => r.people >= k).map((r) => ({ x: r.h, y: r.wd - 1, value: r.events }));
}

/** The network's edges from an exact merge of every pair's people sets: shown pairs, both directions summed. */
async function exactNetworkEdges() {
  const rows = await t.warehouse.query(
    sql`SELECT department, counterpart, sum(n) AS n, uniqExactMerge(people) AS people
        FROM response_kind_daily WHERE org = ${ORG} AND kind = 'interaction' AND ${dayRange(RANGE)} AND ${liveRows('response_kind_daily', ORG, RANGE)}
        GROUP BY department, counterpart`,
    edgeRow,
    { org: ORG },
  );
  const pairs = new Map<string, { source: string; target: string; weight: number }>();
  for (const r of rows) {
    if (r.department === r.counterpart || r.people < DEFAULT_K) continue;
    const [source, target] = r.department < r.counterpart ? [r.department, r.counterpart] : [r.counterpart, r.department];
    const key = `${source}|${target}`;
    pairs.set(key, { source, target, weight: (pairs.get(key)?.weight ?? 0) + r.n });
  }
  return [...pairs.values()];
}

const byPair = (a: { source: string; target: string }, b: { source: string; target: string }) =>
  `${a.source}|${a.target}`.localeCompare(`${b.source}|${b.target}`);

describe('Engagement heatmap from people bounds', () => {
  it('shows the cells an exact merge shows: together ≥ 5 shown, together < 5 and superseded rows left out, rows without people_n decided by their sets', async () => {
    const view = await loadEngagementView(contextFor(executive));
    const panel = panelOf(view, 'weekday-hour', 'heatmap');
    // x = hour, y = weekday − 1.
    expect(panel.cells).toEqual([
      { x: 8, y: 0, value: 6 },
      { x: 15, y: 0, value: 8 },
      { x: 9, y: 1, value: 9 },
      { x: 12, y: 4, value: 5 },
      { x: 14, y: 6, value: 6 },
    ]);
    expect(panel.cells).toEqual(await exactHeatmapCells());
    expect(view.notices.map((n) => ('key' in n.text ? n.text.key : ''))).toContain('privacy.someSuppressed');
  });

  it('applies the configured k (WAYPOINT_K_ANONYMITY), not 5: at k = 7 the cells an exact merge keeps at 7', async () => {
    setPageK(7);
    try {
      const view = await loadEngagementView(contextFor(executive));
      const panel = panelOf(view, 'weekday-hour', 'heatmap');
      const atSeven = await exactHeatmapCells(undefined, 7);
      expect(panel.cells).toEqual(atSeven);
      expect(atSeven.length).toBeGreaterThan(0);
      expect(atSeven.length).toBeLessThan((await exactHeatmapCells()).length);
      expect(view.notices.map((n) => ('key' in n.text ? n.text.params : undefined))).toContainEqual({ k: 7 });
    } finally {
      setPageK(5);
    }
  });

  it('counts only the people of the departments in scope when the bounds leave a cell undecided', async () => {
    const panel = panelOf(await loadEngagementView(contextFor(opsManager)), 'weekday-hour', 'heatmap');
    // Operations' (1, 15): rows of 3 people each, 4 together.
    expect(panel.cells).toEqual([]);
    expect(await exactHeatmapCells(['ops'])).toEqual([]);
    expect(panel.empty?.hint).toEqual({ key: 'privacy.tooFew', params: { k: 5 } });
  });
});

describe('Meetings department network from people bounds', () => {
  it('links the pairs an exact merge shows, and counts every interaction in the departments’ totals', async () => {
    const panel = panelOf(await loadMeetingsView(contextFor(executive)), 'department-network', 'network');
    // fin → ops (6) + ops → fin (6 people, 4 without people_n); fin → it (7 together); it → ops (5, without people_n).
    // Left out: it → fin (4 people), ops → it (3 people, a superseded day of 8).
    expect([...panel.edges].sort(byPair)).toEqual([
      { source: 'fin', target: 'it', weight: 9 },
      { source: 'fin', target: 'ops', weight: 16 },
      { source: 'it', target: 'ops', weight: 5 },
    ]);
    expect([...panel.edges].sort(byPair)).toEqual((await exactNetworkEdges()).sort(byPair));
    const weights = Object.fromEntries(panel.nodes.map((n) => [n.id, n.weight]));
    expect(weights).toEqual({ fin: 9 + 10 + 4 + 6, it: 9 + 4 + 5 + 9 + 7, ops: 10 + 6 + 7 + 5 });
    expect(panel.nodes.find((n) => n.id === 'it')?.silo).toBeCloseTo(9 / 34);
  });
});
