// The dashboard in a real browser (Debian's Chromium through playwright-core) against the `default`
// simulated company: every role signs in and sees exactly its pages; every page renders without
// console errors and every chart draws data; a filter changes the data; a forbidden page is a 403;
// the language and theme switches work. Screenshots land in test-artifacts/screenshots/.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { PAGES as ALL_PAGES, pagesFor as allPagesFor, ROLES, type Role } from '../../dashboard/src/lib/access.ts';

// Menu pages only: /preferences is a form target, not a page.
const PAGES = ALL_PAGES.filter((p) => p.menu);
const pagesFor = (role: Role) => allPagesFor(role).filter((p) => p.menu);

const url = inject('dashboardUrl');
const company = inject('company');
const password = inject('password');
const SHOTS = path.resolve('test-artifacts/screenshots');

let browser: Browser;

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync', '--disable-dev-shm-usage'],
  });
});

afterAll(async () => {
  await browser?.close();
});

interface Session {
  context: BrowserContext;
  page: Page;
  errors: string[];
}

async function signIn(role: Role, viewport = { width: 1366, height: 900 }): Promise<Session> {
  const context = await browser.newContext({ viewport, locale: 'en-GB' });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('console', (m) => {
    // A 403 document is expected where a test asks for one; anything else logged as an error is a failure.
    if (m.type() === 'error' && !m.text().includes('403')) errors.push(m.text());
  });
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`${url}/login`);
  await page.fill('input[name=email]', company.users[role]);
  await page.fill('input[name=password]', password);
  await Promise.all([page.waitForURL((u) => !u.pathname.startsWith('/login')), page.click('button[type=submit]')]);
  return { context, page, errors };
}

/** Waits for every chart on the page to draw and returns, per chart, whether its canvas has ink. */
async function chartsDrawn(page: Page): Promise<{ id: string; inked: boolean }[]> {
  await page.waitForFunction(() => [...document.querySelectorAll('[data-chart-status]')].every((c) => c.getAttribute('data-chart-status') !== 'loading'), undefined, { timeout: 15_000 });
  // Let the entry animation finish so the canvas holds the final picture.
  await page.waitForTimeout(450);
  return page.evaluate(() =>
    [...document.querySelectorAll<HTMLElement>('[data-chart-status]')]
      .map((chart) => {
        const card = chart.closest<HTMLElement>('[data-testid=chart-card]') ?? chart;
        const canvas = chart.querySelector('canvas');
        let inked = false;
        if (canvas && canvas.width > 0 && canvas.height > 0) {
          const data = canvas.getContext('2d')?.getImageData(0, 0, canvas.width, canvas.height).data;
          let painted = 0;
          if (data) for (let i = 3; i < data.length; i += 16) if (data[i]! > 0) painted++;
          inked = painted > 200;
        }
        return { id: card.dataset.chartId ?? 'chart', inked: inked && chart.getAttribute('data-chart-status') === 'ready' };
      }),
  );
}

describe('every role', () => {
  for (const role of ROLES) {
    it(`${role}: sees its pages in the menu, opens each, and gets 403 elsewhere`, async () => {
      const s = await signIn(role);
      try {
        const allowed = pagesFor(role).map((p) => p.id);
        const menu = await s.page.$$eval('[data-testid=nav] a[data-page-id]', (as) => as.map((a) => a.getAttribute('data-page-id')));
        expect(menu).toEqual(allowed);
        for (const p of pagesFor(role)) {
          const response = await s.page.goto(`${url}${p.path}`);
          expect(response?.status(), `${role} ${p.path}`).toBe(200);
          expect(await s.page.$('[data-testid=page-error]'), `${role} ${p.path} shows an error state`).toBeNull();
        }
        const forbidden = PAGES.find((p) => !p.roles.includes(role));
        if (forbidden) {
          const response = await s.page.goto(`${url}${forbidden.path}`);
          expect(response?.status(), `${role} ${forbidden.path}`).toBe(403);
        }
        expect(s.errors).toEqual([]);
      } finally {
        await s.context.close();
      }
    });
  }
});

describe('admin, page by page', () => {
  let s: Session;
  beforeAll(async () => {
    s = await signIn('admin');
  });
  afterAll(async () => {
    await s?.context.close();
  });

  for (const p of PAGES) {
    it(`${p.id}: renders, every chart draws data, no console errors`, async () => {
      await s.page.goto(`${url}${p.path}`);
      const charts = await chartsDrawn(s.page);
      await s.page.screenshot({ path: path.join(SHOTS, `${p.id}.png`), fullPage: true });
      if (p.id !== 'settings') expect(charts.length, `${p.id} has charts`).toBeGreaterThan(0);
      expect(charts.filter((c) => !c.inked).map((c) => c.id), `${p.id}: empty canvases`).toEqual([]);
      expect(s.errors).toEqual([]);
    });
  }

  it('a department filter changes the data and is kept in the URL', async () => {
    await s.page.goto(`${url}/responsiveness`);
    const tableText = () => s.page.$eval('[data-chart-id=latency-trend] [data-testid=chart-table]', (el) => el.textContent ?? '');
    const before = await tableText();
    const option = await s.page.$eval('[data-testid=filter-department] option:nth-child(3)', (o) => (o as HTMLOptionElement).value);
    await Promise.all([s.page.waitForURL((u) => u.searchParams.get('dept') === option), s.page.selectOption('[data-testid=filter-department]', option)]);
    await s.page.waitForFunction((old) => document.querySelector('[data-chart-id=latency-trend] [data-testid=chart-table]')?.textContent !== old, before);
    expect(await tableText()).not.toEqual(before);
    await chartsDrawn(s.page);
    expect(s.errors).toEqual([]);
  });

  it('switches language to Traditional Chinese and back, with numbers and dates per locale', async () => {
    await s.page.goto(`${url}/executive`);
    await Promise.all([s.page.waitForURL(`${url}/executive`), s.page.selectOption('[data-testid=language-switch]', 'zh-Hant')]);
    await s.page.waitForFunction(() => document.querySelector('h1')?.textContent?.includes('管理層摘要'));
    expect(await s.page.getAttribute('html', 'lang')).toBe('zh-Hant');
    expect(await s.page.textContent('[data-testid=period]')).toMatch(/\d+年\d+月\d+日/);
    await chartsDrawn(s.page);
    await s.page.screenshot({ path: path.join(SHOTS, 'executive-zh-Hant.png'), fullPage: true });
    await Promise.all([s.page.waitForURL(`${url}/executive`), s.page.selectOption('[data-testid=language-switch]', 'en')]);
    await s.page.waitForFunction(() => document.querySelector('h1')?.textContent?.includes('Executive summary'));
    expect(s.errors).toEqual([]);
  });

  it('switches to the dark theme and charts redraw', async () => {
    await s.page.goto(`${url}/meetings`);
    await Promise.all([s.page.waitForURL(`${url}/meetings`), s.page.click('[data-testid=theme-switch]')]);
    await s.page.waitForFunction(() => document.querySelector('[data-theme]')?.getAttribute('data-theme') === 'dark');
    const charts = await chartsDrawn(s.page);
    expect(charts.every((c) => c.inked)).toBe(true);
    await s.page.screenshot({ path: path.join(SHOTS, 'meetings-dark.png'), fullPage: true });
    await s.page.click('[data-testid=theme-switch]');
    await s.page.waitForFunction(() => document.querySelector('[data-theme]')?.getAttribute('data-theme') === 'light');
    expect(s.errors).toEqual([]);
  });

  it('data: ingestion health shows the collector counts, rejections by reason and the spool backlog', async () => {
    // The global setup sent 3 valid events, 1 with an unknown field and 2 of unknown types through the collector.
    await s.page.goto(`${url}/data`);
    await chartsDrawn(s.page);
    const tableOf = (id: string) => s.page.$eval(`[data-chart-id=${id}] [data-testid=chart-table]`, (el) => el.textContent ?? '');
    const reasons = await tableOf('rejections-by-reason');
    expect(reasons).toMatch(/unknown_type\D*2/);
    expect(reasons).toMatch(/unknown_field\D*1/);
    const tileValue = (id: string) => s.page.textContent(`[data-stat-id=${id}] .value`);
    expect(await tileValue('events-window')).toBe('3');
    expect(await tileValue('events-rejected')).toBe('3');
    expect(await s.page.$('[data-chart-id=spool-backlog][data-state=ok]')).not.toBeNull();
    expect(s.errors).toEqual([]);
  });

  it('shows the table view and exports CSV on a tablet', async () => {
    const tablet = await signIn('hr', { width: 820, height: 1180 });
    try {
      await tablet.page.goto(`${url}/engagement`);
      await chartsDrawn(tablet.page);
      await tablet.page.click('[data-chart-id=after-hours-by-department] [data-testid=show-table]');
      expect(await tablet.page.isVisible('[data-chart-id=after-hours-by-department] table')).toBe(true);
      const [download] = await Promise.all([tablet.page.waitForEvent('download'), tablet.page.click('[data-chart-id=after-hours-by-department] [data-testid=export-csv]')]);
      expect(download.suggestedFilename()).toMatch(/\.csv$/);
      await tablet.page.screenshot({ path: path.join(SHOTS, 'engagement-tablet.png'), fullPage: true });
      expect(tablet.errors).toEqual([]);
    } finally {
      await tablet.context.close();
    }
  });
});
