// Walks every page and API route in the role matrix ($lib/access.ts) with every role, and with a
// read token: an allowed role gets the page (200), any other role 403 before any data is loaded.
// Data-driven, so a route added to the matrix is walked without touching this file. A route whose
// admin request answers 404 is not built yet and is reported as skipped.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API_ROUTES, PAGES, ROLES, canCallApi, canOpenPage, canReadMetric } from '../../../dashboard/src/lib/access.ts';
import { createApiKey } from '../../../warehouse/api-keys.ts';
import { listAuditLog } from '../../../warehouse/audit-log.ts';
import { createTestWarehouse, type TestWarehouse } from '../../support/test-warehouse.ts';
import { emailFor, get, seedTwoOrgs, signIn, startDashboardProcess, stopDashboardProcess, type Dashboard } from './harness.ts';

let db: TestWarehouse;
let dashboard: Dashboard;
const cookies = new Map<string, string>();
let readToken = '';

beforeAll(async () => {
  db = await createTestWarehouse();
  await seedTwoOrgs(db);
  readToken = (await createApiKey(db.warehouse, 'acme', 'read')).key;
  dashboard = await startDashboardProcess(db);
  for (const role of ROLES) cookies.set(role, await signIn(dashboard.url, emailFor('acme', role)));
});

afterAll(async () => {
  await stopDashboardProcess(dashboard);
  await db?.drop();
});

async function built(path: string, headers: Record<string, string>): Promise<boolean> {
  const response = await get(dashboard.url, path, headers);
  await response.arrayBuffer();
  return response.status !== 404;
}

describe('every page with every role', () => {
  for (const page of PAGES) {
    it(`${page.id} (${page.path}) answers 200 to ${page.roles.join(', ')} and 403 to the rest`, async (ctx) => {
      if (!(await built(page.path, { cookie: cookies.get('admin')! }))) ctx.skip();
      for (const role of ROLES) {
        const response = await get(dashboard.url, page.path, { cookie: cookies.get(role)! });
        await response.arrayBuffer();
        const allowed = canOpenPage(role, page.id);
        // POST-only routes (preferences) answer a GET with 405 or a redirect back; still never 403 when allowed.
        if (allowed) expect([200, 303, 405], `${role} on ${page.path}`).toContain(response.status);
        else expect(response.status, `${role} on ${page.path}`).toBe(403);
      }
      // A read token reaches the API only.
      const token = await get(dashboard.url, page.path, { authorization: `Bearer ${readToken}` });
      await token.arrayBuffer();
      expect(token.status).not.toBe(200);
    });
  }
});

describe('every API route with every role and a read token', () => {
  for (const route of API_ROUTES) {
    it(`${route.id} (${route.path})`, async (ctx) => {
      if (!(await built(route.path, { authorization: `Bearer ${readToken}`, accept: 'application/json' }))) ctx.skip();
      const byToken = await get(dashboard.url, route.path, { authorization: `Bearer ${readToken}`, accept: 'application/json' });
      await byToken.arrayBuffer();
      expect(byToken.status).toBe(canCallApi({ kind: 'token', org: 'acme', keyId: 'x' }, route.id) ? 200 : 403);
      for (const role of ROLES) {
        // By department: the one grouping every role may read (a department manager gets their subtree; the org total is 403 for them by design).
        const response = await get(dashboard.url, `${route.path}?groupBy=department`, { cookie: cookies.get(role)!, accept: 'application/json' });
        await response.arrayBuffer();
        const allowed = canCallApi({ kind: 'user', org: 'acme', email: '', role, department: '' }, route.id);
        // The read API may still ask a session user for a token (401); the matrix decides 403.
        if (allowed) expect(response.status, `${role} on ${route.path}`).not.toBe(403);
        else expect(response.status, `${role} on ${route.path}`).toBe(403);
        expect(response.status).toBeLessThan(500);
      }
    });
  }

  it('keeps wellbeing metrics from roles outside the engagement page', async () => {
    for (const role of ROLES) {
      const response = await get(dashboard.url, '/api/v1/metrics/after_hours_share', { cookie: cookies.get(role)!, accept: 'application/json' });
      await response.arrayBuffer();
      if (canReadMetric({ kind: 'user', org: 'acme', email: '', role, department: '' }, 'after_hours_share')) expect(response.status).not.toBe(403);
      else expect(response.status, role).toBe(403);
    }
  });
});

describe('the audit log', () => {
  it('records page views and refusals with who, what and from where', async () => {
    const executive = cookies.get('executive')!;
    await (await get(dashboard.url, '/?from=2025-03-01&to=2025-03-10', { cookie: executive })).arrayBuffer();
    await (await get(dashboard.url, '/data', { cookie: executive })).arrayBuffer();
    const entries = await listAuditLog(db.warehouse, 'acme', { actions: ['page.view', 'access.denied', 'sign_in.success'] });
    const mine = entries.filter((e) => e.actor === emailFor('acme', 'executive'));
    expect(mine.some((e) => e.action === 'sign_in.success' && e.ip !== '')).toBe(true);
    expect(mine.some((e) => e.action === 'page.view' && e.target === '/' && e.detail.includes('from=2025-03-01'))).toBe(true);
    const dataBuilt = await built('/data', { cookie: cookies.get('admin')! });
    if (dataBuilt) expect(mine.some((e) => e.action === 'access.denied' && e.target === '/data')).toBe(true);
  });
});
