// The role matrix: its roles match the accounts', route ids map to the right rows, and a
// department manager's scope is their subtree and nothing else.
import { describe, expect, it } from 'vitest';
import {
  API_ROUTES,
  PAGES,
  PAGE_IDS,
  ROLES,
  allowedDepartmentIds,
  canCallApi,
  canOpenPage,
  canReadMetric,
  departmentSubtree,
  pagesFor,
  requireAccess,
  requireApiAccess,
  ruleForRoute,
} from '../../../dashboard/src/lib/access.ts';
import { ROLES as ACCOUNT_ROLES } from '../../../warehouse/users.ts';

const user = (role: (typeof ROLES)[number], department = '') => ({ email: `${role}@a.test`, org: 'acme', role, department });

describe('the role matrix', () => {
  it('has exactly the roles accounts can have, and one row per page id', () => {
    expect([...ROLES]).toEqual([...ACCOUNT_ROLES]);
    expect(PAGES.map((p) => p.id)).toEqual([...PAGE_IDS]);
    expect(new Set(PAGES.map((p) => p.path)).size).toBe(PAGES.length);
  });

  it('gives admins everything and keeps wellbeing and administration narrow', () => {
    for (const page of PAGES) expect(canOpenPage('admin', page.id)).toBe(true);
    expect(PAGES.filter((p) => canOpenPage('department_manager', p.id)).map((p) => p.id)).toEqual([
      'overview', 'rollout', 'responsiveness', 'workflows', 'meetings', 'preferences',
    ]);
    expect(canOpenPage('executive', 'engagement')).toBe(false);
    expect(canOpenPage('hr', 'engagement')).toBe(true);
    expect(canOpenPage('hr', 'data')).toBe(false);
    expect(pagesFor('hr').every((p) => p.menu)).toBe(true);
  });

  it('lets read tokens call the API and keeps wellbeing metrics from managers', () => {
    const token = { kind: 'token' as const, org: 'acme', keyId: 'k' };
    for (const route of API_ROUTES) expect(canCallApi(token, route.id)).toBe(route.readToken);
    expect(canReadMetric({ kind: 'user', ...user('department_manager', 'fin') }, 'after_hours_share')).toBe(false);
    expect(canReadMetric({ kind: 'user', ...user('hr') }, 'after_hours_share')).toBe(true);
    expect(canReadMetric({ kind: 'user', ...user('department_manager', 'fin') }, 'active_users')).toBe(true);
  });
});

describe('ruleForRoute', () => {
  it('maps route ids to rows, refusing what is not declared', () => {
    expect(ruleForRoute('/(auth)/login')).toEqual({ kind: 'public' });
    expect(ruleForRoute(null)).toEqual({ kind: 'none' });
    expect(ruleForRoute('/(app)')).toMatchObject({ kind: 'page', page: { id: 'overview' } });
    expect(ruleForRoute('/(app)/executive')).toMatchObject({ kind: 'page', page: { id: 'executive' } });
    expect(ruleForRoute('/(app)/settings/[section]')).toMatchObject({ kind: 'page', page: { id: 'settings' } });
    expect(ruleForRoute('/(app)/(persona)/engagement')).toMatchObject({ kind: 'page', page: { id: 'engagement' } });
    expect(ruleForRoute('/api/v1/metrics/[id]')).toMatchObject({ kind: 'api', route: { id: 'api.metrics' } });
    expect(ruleForRoute('/api/v1/secret-admin')).toEqual({ kind: 'undeclared', routeId: '/api/v1/secret-admin' });
    expect(ruleForRoute('/(app)/debug')).toEqual({ kind: 'undeclared', routeId: '/(app)/debug' });
  });
});

describe('department scope', () => {
  const departments = [
    { id: 'fin', parent: '' },
    { id: 'ap', parent: 'fin' },
    { id: 'ap-east', parent: 'ap' },
    { id: 'ops', parent: '' },
    { id: 'loop-a', parent: 'loop-b' },
    { id: 'loop-b', parent: 'loop-a' },
  ];

  it("is the manager's subtree, the whole organisation for everyone else", () => {
    expect([...allowedDepartmentIds({ kind: 'user', ...user('department_manager', 'fin') }, departments)!].sort()).toEqual(['ap', 'ap-east', 'fin']);
    expect(allowedDepartmentIds({ kind: 'user', ...user('hr') }, departments)).toBeUndefined();
    expect(allowedDepartmentIds({ kind: 'token', org: 'acme', keyId: 'k' }, departments)).toBeUndefined();
  });

  it('survives cycles and unknown departments without widening', () => {
    expect([...departmentSubtree(departments, 'loop-a')].sort()).toEqual(['loop-a', 'loop-b']);
    expect([...departmentSubtree(departments, 'gone')]).toEqual(['gone']);
  });
});

describe('requireAccess', () => {
  it('returns the user when allowed and throws 401/403 otherwise', () => {
    expect(requireAccess({ user: user('hr') }, 'engagement').role).toBe('hr');
    expect(() => requireAccess({ user: user('executive') }, 'engagement')).toThrow(expect.objectContaining({ status: 403 }));
    expect(() => requireAccess({ user: undefined }, 'overview')).toThrow(expect.objectContaining({ status: 401 }));
    expect(requireApiAccess({ readToken: { org: 'acme', keyId: 'k' } }, 'api.metrics')).toEqual({ kind: 'token', org: 'acme', keyId: 'k' });
  });
});
