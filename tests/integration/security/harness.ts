// Shared by the security integration tests: the built dashboard in its own process against a test
// database, an organisation pair with one user per role, and HTTP helpers that behave like a browser.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { cpSync, existsSync, rmSync } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { ROLES, type Role } from '../../../warehouse/users.ts';
import { createUser } from '../../../warehouse/users.ts';
import { upsertOrg } from '../../../warehouse/orgs.ts';
import { formatDateTime } from '../../../warehouse/row-values.ts';
import type { TestWarehouse } from '../../support/test-warehouse.ts';

const ROOT = path.resolve(import.meta.dirname, '../../..');
const SERVE = path.join(ROOT, 'tests/integration/security/serve-build-snapshot.ts');
const BUILD = path.join(ROOT, 'dashboard/build');

let snapshot: string | undefined;
let running = 0;
/**
 * A copy of dashboard/build shared by the dashboards a test file has running, so a rebuild during
 * the run (another suite, a developer) cannot pull chunks from under its servers. Inside the
 * repository (under .data/) so the copy still resolves node_modules; removed when the last of those
 * dashboards stops (vitest ends its workers without an exit event to hook).
 */
function buildSnapshot(): string {
  snapshot ??= path.join(ROOT, '.data', 'test-builds', `dashboard-${process.pid}-${randomBytes(4).toString('hex')}`);
  if (!existsSync(snapshot)) cpSync(BUILD, snapshot, { recursive: true });
  return snapshot;
}

function releaseSnapshot(): void {
  running -= 1;
  if (running === 0 && snapshot) {
    rmSync(snapshot, { recursive: true, force: true });
    snapshot = undefined;
  }
}

export const PASSWORD = 'correct horse battery';

export interface Dashboard {
  url: string;
  child: ChildProcess;
}

export function assertBuilt(): void {
  if (!existsSync(path.join(BUILD, 'handler.js'))) {
    throw new Error('dashboard/build is missing: run `npm run build` before the integration tests');
  }
}

export async function startDashboardProcess(db: TestWarehouse, extraEnv: Record<string, string> = {}): Promise<Dashboard> {
  assertBuilt();
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    CLICKHOUSE_URL: db.config.url,
    CLICKHOUSE_USER: db.config.user,
    CLICKHOUSE_PASSWORD: db.config.password,
    CLICKHOUSE_DATABASE: db.config.database,
    WAYPOINT_SECURE_COOKIES: '0',
    ...extraEnv,
  };
  // The test's own environment must not decide the origin; a test may still set it (TLS behaviour).
  if (!('ORIGIN' in extraEnv)) delete env.ORIGIN;
  if (!('PROTOCOL_HEADER' in extraEnv)) delete env.PROTOCOL_HEADER;
  const child = spawn(process.execPath, ['--import', 'tsx', SERVE, buildSnapshot()], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  running += 1;
  child.once('exit', releaseSnapshot);
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const url = await new Promise<string>((resolve, reject) => {
    const lines = createInterface({ input: child.stdout! });
    lines.once('line', (line) => resolve((JSON.parse(line) as { url: string }).url));
    child.once('exit', (code) => reject(new Error(`dashboard exited with ${code} before listening:\n${stderr}`)));
  });
  // After start-up, the server's own log (a 500's cause is logged there, never sent) goes to the test's output.
  child.stderr?.on('data', (chunk: Buffer) => process.stderr.write(`[dashboard ${url}] ${chunk.toString()}`));
  return { url, child };
}

export async function stopDashboardProcess(dashboard: Dashboard | undefined): Promise<void> {
  if (!dashboard || dashboard.child.exitCode !== null) return;
  const exited = new Promise((resolve) => dashboard.child.once('exit', resolve));
  dashboard.child.kill('SIGTERM');
  await exited;
}

export function cookieFrom(response: Response, name = 'waypoint_session'): string | undefined {
  return response.headers.getSetCookie().find((c) => c.startsWith(`${name}=`));
}

/** Posts the sign-in form the way a browser does. */
export function postLogin(baseUrl: string, email: string, password: string, origin = baseUrl): Promise<Response> {
  return fetch(`${baseUrl}/login`, {
    method: 'POST',
    redirect: 'manual',
    headers: { origin, accept: 'text/html', 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ email, password }).toString(),
  });
}

/** Signs in and returns the `name=value` cookie pair. */
export async function signIn(baseUrl: string, email: string, password = PASSWORD): Promise<string> {
  const response = await postLogin(baseUrl, email, password);
  const cookie = cookieFrom(response);
  if (response.status !== 303 || !cookie) throw new Error(`sign-in as ${email} failed with ${response.status}`);
  return cookie.split(';')[0]!;
}

export function get(baseUrl: string, pathAndQuery: string, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(`${baseUrl}${pathAndQuery}`, { redirect: 'manual', headers: { accept: 'text/html', ...headers } });
}

/** Two organisations; acme has a department tree fin → fin-ap, fin-ar and ops; globex has its own. */
export const ACME_DEPARTMENTS = [
  { id: 'fin', name: 'Finance', parent: '' },
  { id: 'fin-ap', name: 'Accounts Payable', parent: 'fin' },
  { id: 'fin-ar', name: 'Accounts Receivable', parent: 'fin' },
  { id: 'ops', name: 'Operations', parent: '' },
];
/** Strings that appear only in globex's data: no response to an acme principal may contain them. */
export const GLOBEX_MARKERS = ['Globex Trading', 'Globex Secret Lab', 'gx-lab'];

export function emailFor(org: string, role: Role): string {
  return `${role.replace('_', '-')}@${org}.test`;
}

export async function seedTwoOrgs(db: TestWarehouse): Promise<void> {
  const { warehouse } = db;
  const now = formatDateTime(Date.now());
  await upsertOrg(warehouse, { id: 'acme', name: 'Acme Holdings', timezone: 'Asia/Hong_Kong' });
  await upsertOrg(warehouse, { id: 'globex', name: 'Globex Trading', timezone: 'Asia/Taipei' });
  for (const org of ['acme', 'globex']) {
    for (const role of ROLES) {
      await createUser(warehouse, {
        org,
        email: emailFor(org, role),
        role,
        password: PASSWORD,
        ...(role === 'department_manager' ? { department: org === 'acme' ? 'fin' : 'gx-lab' } : {}),
      });
    }
  }
  await warehouse.insert('departments', [
    ...ACME_DEPARTMENTS.map((d) => ({ org: 'acme', ...d, updated_at: now })),
    { org: 'globex', id: 'gx-lab', name: 'Globex Secret Lab', parent: '', updated_at: now },
  ]);
  // Headcount figures per department (the daily_active rollup these once seeded is gone, migration 051).
  await warehouse.insert('headcount_daily', [
    { org: 'acme', day: '2025-03-10', department: 'fin', version: 1, licensed: 40, employed: 41 },
    { org: 'acme', day: '2025-03-10', department: 'ops', version: 1, licensed: 12, employed: 12 },
    { org: 'globex', day: '2025-03-10', department: 'gx-lab', version: 1, licensed: 800, employed: 801 },
  ]);
}
