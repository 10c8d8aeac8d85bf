// `npm run bench:dashboard`: how fast each dashboard page is. On its own ClickHouse (data in
// .data/bench-dashboard-clickhouse, database wp_bench_dashboard) it loads a simulated company
// (BENCH_SCENARIO, default `default`; `enterprise` is the bar's 2,000 people, one year, ≈ 10 M events;
// BENCH_PEOPLE / BENCH_DAYS scale it), runs every job, serves the built dashboard in this process and
// measures, per page and per view (the default 28 days, and the whole year up to the latest day):
//   - server data: GET /<page>/__data.json (what SvelteKit fetches on navigation) with
//     `Cache-Control: no-cache`, so cached pages compute afresh, BENCH_RUNS times (default 30) after two
//     warm-ups — p50 and p95 wall time, and the loader's own time (serverMs); then `repeat`, the same
//     request without the header (what later visitors get from the page cache until a job run);
//   - usable: headless Chromium navigates to the page and waits until every chart has drawn
//     (no chart in its loading state), BENCH_BROWSER_RUNS times (default 5) — p50 and p95.
// `--reuse` keeps the company an earlier run loaded (events are not loaded again; jobs only catch up)
// and is how to repeat a measurement when the machine is quieter. BENCH_PAGES=id,id limits the pages.
// Prints a Markdown table to paste into the "## Dashboard" section of docs/benchmarks.md.
import { cpSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { z } from 'zod';
import { PAGES } from '../dashboard/src/lib/access.ts';
import { startDashboard } from '../dashboard/start-dashboard.ts';
import { freePort } from '../tests/support/free-port.ts';
import { loadCompany, PASSWORD } from '../tests/browser/load-company.ts';
import { createWarehouse } from '../warehouse/client.ts';
import { startLocalClickHouse, stopLocalClickHouse } from '../warehouse/local-clickhouse.ts';
import { migrate } from '../warehouse/migrate.ts';
import { databaseIdent, sql } from '../warehouse/sql.ts';

const scenario = process.env.BENCH_SCENARIO ?? 'default';
const runs = Number(process.env.BENCH_RUNS ?? 30);
const browserRuns = Number(process.env.BENCH_BROWSER_RUNS ?? 5);
const onlyPages = process.env.BENCH_PAGES?.split(',').filter(Boolean);
const reuse = process.argv.includes('--reuse');
const database = 'wp_bench_dashboard';


function quantile(values: number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  const rank = q * (sorted.length - 1);
  const lo = Math.floor(rank);
  const hi = Math.ceil(rank);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (rank - lo);
}

const ms = (v: number) => `${Math.round(v)} ms`;

/**
 * The loader's own time from a __data.json body. SvelteKit sends each node's data flattened by
 * devalue: `data[0]` is the root object, whose values are indexes into `data`.
 */
function serverMsOf(body: string): number | undefined {
  const parsed = JSON.parse(body) as { nodes?: ({ data?: unknown[] } | null)[] };
  for (const node of parsed.nodes ?? []) {
    const root = node?.data?.[0];
    if (root && typeof root === 'object' && 'serverMs' in root) {
      const value = node.data![(root as { serverMs: number }).serverMs];
      if (typeof value === 'number') return value;
    }
  }
  return undefined;
}

const loadAverage = () => os.loadavg().map((l) => l.toFixed(2)).join(' / ');

// Not .data/bench-jobs-clickhouse: the jobs benchmark keeps its own company there.
const ch = { dir: path.resolve('.data/bench-dashboard-clickhouse'), httpPort: await freePort(), tcpPort: await freePort(), log: () => {} };
const { url: clickhouseUrl } = await startLocalClickHouse(ch);
try {
  const config = { url: clickhouseUrl, managed: false, user: 'default', password: '', database };
  const warehouse = createWarehouse(config);
  await warehouse.ensureDatabase();
  if (!reuse) await warehouse.command(sql`DROP DATABASE IF EXISTS ${databaseIdent(database)}`, 'system');
  await migrate(warehouse);
  const started = Date.now();
  console.error(`${new Date().toISOString()} loading; load average ${loadAverage()}`);
  const company = await loadCompany(warehouse, {
    scenario,
    org: 'bench',
    ...(process.env.BENCH_PEOPLE ? { people: Number(process.env.BENCH_PEOPLE) } : {}),
    ...(process.env.BENCH_DAYS ? { days: Number(process.env.BENCH_DAYS) } : {}),
    log: (l) => console.error(l),
    reuse,
    // The simulator's events are valid by construction; parsing 10 M of them would double the load time.
    validate: false,
    // As from a live feed: received a second after each happened (bench:jobs does the same).
    receivedAt: 'event-time',
  });
  console.error(`loaded ${company.events} events and ran the jobs in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  // The jobs leave background merges running for a while; measuring during them would charge their
  // CPU to whichever pages come first.
  const settled = Date.now();
  while (Date.now() - settled < 120_000) {
    const [merging] = await warehouse.query(sql`SELECT count() AS n FROM system.merges`, z.object({ n: z.coerce.number() }), 'system');
    if ((merging?.n ?? 0) === 0) break;
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
  console.error(`background merges settled in ${((Date.now() - settled) / 1000).toFixed(1)} s`);

  Object.assign(process.env, { CLICKHOUSE_URL: clickhouseUrl, CLICKHOUSE_DATABASE: database, CLICKHOUSE_USER: 'default', CLICKHOUSE_PASSWORD: '', WAYPOINT_SECURE_COOKIES: '0' });
  // Serve a copy of the build: another `npm run build` in this tree during the run would swap its chunks out from under us.
  const buildDir = path.resolve('.data/bench-dashboard-build');
  rmSync(buildDir, { recursive: true, force: true });
  cpSync(path.resolve('dashboard/build'), buildDir, { recursive: true });
  const dashboard = await startDashboard({ host: '127.0.0.1', port: 0, buildDir });
  const login = await fetch(`${dashboard.url}/login`, {
    method: 'POST',
    redirect: 'manual',
    headers: { origin: dashboard.url, accept: 'text/html', 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ email: company.users.admin, password: PASSWORD }).toString(),
  });
  const cookie = login.headers.getSetCookie().find((c) => c.startsWith('waypoint_session='))?.split(';')[0];
  if (!cookie) throw new Error(`sign-in failed (${login.status})`);

  const pages = PAGES.filter((p) => p.menu && (!onlyPages || onlyPages.includes(p.id)));
  const yearFrom = new Date(Date.parse(company.to) - 365 * 86_400_000).toISOString().slice(0, 10);
  const views = [
    { name: '28 days', search: '' },
    { name: 'year', search: `?from=${yearFrom < company.from ? company.from : yearFrom}&to=${company.to}` },
  ];
  const rows: string[] = [];
  const measuredAt = new Date().toISOString();
  const loadAtStart = loadAverage();
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync', '--disable-dev-shm-usage'],
  });
  const context = await browser.newContext({ viewport: { width: 1366, height: 900 }, extraHTTPHeaders: { 'cache-control': 'no-cache' } });
  await context.addCookies([{ name: 'waypoint_session', value: cookie.split('=')[1]!, url: dashboard.url }]);
  const page = await context.newPage();
  for (const { p, view } of pages.flatMap((p) => views.map((view) => ({ p, view })))) {
    const dataUrl = `${dashboard.url}${p.path === '/' ? '' : p.path}/__data.json${view.search}`;
    const times: number[] = [];
    const loaderTimes: number[] = [];
    const repeatTimes: number[] = [];
    // Cold: `Cache-Control: no-cache` makes the pages with a page cache compute afresh every time.
    // Repeat: the same view again, as the next visitor before the next job run gets it.
    for (const [headers, into] of [
      [{ cookie, 'cache-control': 'no-cache' }, times],
      [{ cookie }, repeatTimes],
    ] as const) {
      for (let i = 0; i < runs + 2; i++) {
        const t0 = performance.now();
        const response = await fetch(dataUrl, { headers });
        const body = await response.text();
        const elapsed = performance.now() - t0;
        if (response.status !== 200) throw new Error(`${dataUrl}: ${response.status}`);
        if (i < 2) continue;
        into.push(elapsed);
        const served = serverMsOf(body);
        if (served !== undefined && into === times) loaderTimes.push(served);
      }
    }
    const usable: number[] = [];
    for (let i = 0; i < browserRuns + 1; i++) {
      const t0 = performance.now();
      await page.goto(`${dashboard.url}${p.path}${view.search}`);
      await page.waitForFunction(() => [...document.querySelectorAll('[data-chart-status]')].every((c) => c.getAttribute('data-chart-status') !== 'loading'), undefined, { timeout: 30_000 });
      if (i > 0) usable.push(performance.now() - t0);
    }
    const loader = loaderTimes.length > 0 ? ms(quantile(loaderTimes, 0.95)) : '—';
    rows.push(`| ${p.id} | ${view.name} | ${ms(quantile(times, 0.5))} | ${ms(quantile(times, 0.95))} | ${loader} | ${ms(quantile(repeatTimes, 0.95))} | ${ms(quantile(usable, 0.5))} | ${ms(quantile(usable, 0.95))} |`);
    console.error(rows[rows.length - 1]);
  }
  await browser.close();
  await dashboard.close();
  await warehouse.close();

  const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
  console.log(`Scenario \`${scenario}\`: ${company.events.toLocaleString('en')} events, ${company.from} to ${company.to}. ${os.cpus().length} × ${cpu}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, ClickHouse 18.16, Node ${process.version}.`);
  console.log(`Measured from ${measuredAt} to ${new Date().toISOString()}; load average (1/5/15 min) ${loadAtStart} at the start, ${loadAverage()} at the end.`);
  console.log(`Server data = GET /<page>/__data.json with an admin session and \`Cache-Control: no-cache\` (computed afresh: ${runs} runs after 2 warm-ups; loader p95 = the loader's own serverMs); repeat = the same request without it (${runs} runs; Responsiveness, Meetings and Engagement then come from the page cache until the next job run); usable = Chromium navigation with \`no-cache\` until every chart has drawn (${browserRuns} runs after 1 warm-up).\n`);
  console.log('| page | view | data p50 | data p95 | loader p95 | repeat p95 | usable p50 | usable p95 |');
  console.log('|---|---|---|---|---|---|---|---|');
  for (const r of rows) console.log(r);
} finally {
  // The data stays for --reuse; delete .data/bench-dashboard-clickhouse to reclaim the space.
  await stopLocalClickHouse(ch);
}
