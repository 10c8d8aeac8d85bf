// `npm run bench:dashboard`: how fast each dashboard page is. On a private ClickHouse it loads a
// simulated company (BENCH_SCENARIO, default `default`; BENCH_PEOPLE / BENCH_DAYS scale it), runs
// every job, serves the built dashboard in this process and measures, per page:
//   - server data: GET /<page>/__data.json (what SvelteKit fetches on navigation), BENCH_RUNS times
//     (default 30) after two warm-ups — p50 and p95 wall time, and the loader's own time (serverMs);
//   - usable: headless Chromium navigates to the page and waits until every chart has drawn
//     (no chart in its loading state), BENCH_BROWSER_RUNS times (default 5) — p50 and p95.
// Prints a Markdown table to paste into the "## Dashboard" section of docs/benchmarks.md.
import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { PAGES } from '../dashboard/src/lib/access.ts';
import { startDashboard } from '../dashboard/start-dashboard.ts';
import { loadCompany, PASSWORD } from '../tests/browser/load-company.ts';
import { createWarehouse } from '../warehouse/client.ts';
import { startLocalClickHouse, stopLocalClickHouse } from '../warehouse/local-clickhouse.ts';
import { migrate } from '../warehouse/migrate.ts';

const scenario = process.env.BENCH_SCENARIO ?? 'default';
const runs = Number(process.env.BENCH_RUNS ?? 30);
const browserRuns = Number(process.env.BENCH_BROWSER_RUNS ?? 5);

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

function quantile(values: number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  const rank = q * (sorted.length - 1);
  const lo = Math.floor(rank);
  const hi = Math.ceil(rank);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (rank - lo);
}

const ms = (v: number) => `${Math.round(v)} ms`;

const ch = { dir: path.resolve(`.data/bench-dashboard-${process.pid}`), httpPort: await freePort(), tcpPort: await freePort(), log: () => {} };
const { url: clickhouseUrl } = await startLocalClickHouse(ch);
try {
  const database = `wp_bench_${randomBytes(4).toString('hex')}`;
  const config = { url: clickhouseUrl, managed: false, user: 'default', password: '', database };
  const warehouse = createWarehouse(config);
  await migrate(warehouse);
  const started = Date.now();
  const company = await loadCompany(warehouse, {
    scenario,
    org: 'bench',
    ...(process.env.BENCH_PEOPLE ? { people: Number(process.env.BENCH_PEOPLE) } : {}),
    ...(process.env.BENCH_DAYS ? { days: Number(process.env.BENCH_DAYS) } : {}),
    log: (l) => console.error(l),
  });
  console.error(`loaded ${company.events} events and ran the jobs in ${((Date.now() - started) / 1000).toFixed(1)} s`);

  Object.assign(process.env, { CLICKHOUSE_URL: clickhouseUrl, CLICKHOUSE_DATABASE: database, CLICKHOUSE_USER: 'default', CLICKHOUSE_PASSWORD: '', WAYPOINT_SECURE_COOKIES: '0' });
  const dashboard = await startDashboard({ host: '127.0.0.1', port: 0 });
  const login = await fetch(`${dashboard.url}/login`, {
    method: 'POST',
    redirect: 'manual',
    headers: { origin: dashboard.url, accept: 'text/html', 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ email: company.users.admin, password: PASSWORD }).toString(),
  });
  const cookie = login.headers.getSetCookie().find((c) => c.startsWith('waypoint_session='))?.split(';')[0];
  if (!cookie) throw new Error(`sign-in failed (${login.status})`);

  const pages = PAGES.filter((p) => p.menu);
  const rows: string[] = [];
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync', '--disable-dev-shm-usage'],
  });
  const context = await browser.newContext({ viewport: { width: 1366, height: 900 } });
  await context.addCookies([{ name: 'waypoint_session', value: cookie.split('=')[1]!, url: dashboard.url }]);
  const page = await context.newPage();
  for (const p of pages) {
    const dataUrl = `${dashboard.url}${p.path === '/' ? '' : p.path}/__data.json`;
    const times: number[] = [];
    const loaderTimes: number[] = [];
    for (let i = 0; i < runs + 2; i++) {
      const t0 = performance.now();
      const response = await fetch(dataUrl, { headers: { cookie } });
      const body = await response.text();
      const elapsed = performance.now() - t0;
      if (response.status !== 200) throw new Error(`${dataUrl}: ${response.status}`);
      if (i < 2) continue;
      times.push(elapsed);
      const served = /"serverMs":(\d+)|serverMs:(\d+)/.exec(body) ?? /,(\d+)\]\}\]?\}?$/.exec(body);
      if (served) loaderTimes.push(Number(served[1] ?? served[2]));
    }
    const usable: number[] = [];
    for (let i = 0; i < browserRuns + 1; i++) {
      const t0 = performance.now();
      await page.goto(`${dashboard.url}${p.path}`);
      await page.waitForFunction(() => [...document.querySelectorAll('[data-chart-status]')].every((c) => c.getAttribute('data-chart-status') !== 'loading'), undefined, { timeout: 30_000 });
      if (i > 0) usable.push(performance.now() - t0);
    }
    rows.push(`| ${p.id} | ${ms(quantile(times, 0.5))} | ${ms(quantile(times, 0.95))} | ${ms(quantile(usable, 0.5))} | ${ms(quantile(usable, 0.95))} |`);
    console.error(rows[rows.length - 1]);
  }
  await browser.close();
  await dashboard.close();
  await warehouse.close();

  const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
  console.log(`Scenario \`${scenario}\`: ${company.events.toLocaleString('en')} events, ${company.from} to ${company.to}. ${os.cpus().length} × ${cpu}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, ClickHouse 18.16, Node ${process.version}.`);
  console.log(`Server data = GET /<page>/__data.json with an admin session (${runs} runs after 2 warm-ups); usable = Chromium navigation until every chart has drawn (${browserRuns} runs after 1 warm-up).\n`);
  console.log('| page | data p50 | data p95 | usable p50 | usable p95 |');
  console.log('|---|---|---|---|---|');
  for (const r of rows) console.log(r);
} finally {
  await stopLocalClickHouse(ch);
  rmSync(ch.dir, { recursive: true, force: true });
}
