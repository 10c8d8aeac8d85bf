// Dashboard accounts and sessions in the warehouse: sign-in checks, password reset, one email per
// organisation, session expiry and revocation, and that only the token's hash is stored.
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createSession, findSession, revokeSession, SESSION_TTL_MS } from '../../../warehouse/sessions.ts';
import { sql } from '../../../warehouse/sql.ts';
import { createUser, findUser, UserExistsError, verifyLogin } from '../../../warehouse/users.ts';
import { createTestWarehouse, type TestWarehouse } from '../../support/test-warehouse.ts';

let db: TestWarehouse;

beforeAll(async () => {
  db = await createTestWarehouse();
  await createUser(db.warehouse, { org: 'acme', email: 'Manager@Acme.test', role: 'department_manager', department: 'fin', password: 'first password' });
});

afterAll(async () => {
  await db?.drop();
});

describe('users', () => {
  it('signs in with the right password, whatever the email case, and returns the account', async () => {
    await expect(verifyLogin(db.warehouse, 'MANAGER@acme.test', 'first password')).resolves.toEqual({
      email: 'manager@acme.test',
      org: 'acme',
      role: 'department_manager',
      department: 'fin',
    });
  });

  it('refuses a wrong password and an unknown email alike', async () => {
    await expect(verifyLogin(db.warehouse, 'manager@acme.test', 'wrong password')).resolves.toBeUndefined();
    await expect(verifyLogin(db.warehouse, 'nobody@acme.test', 'first password')).resolves.toBeUndefined();
    await expect(verifyLogin(db.warehouse, "x' OR 1=1 --", 'first password')).resolves.toBeUndefined();
  });

  it('stores a scrypt hash, never the password', async () => {
    const rows = await db.warehouse.query(
      sql`SELECT password_hash FROM users FINAL WHERE org = ${'acme'} AND email = ${'manager@acme.test'}`,
      z.object({ password_hash: z.string() }),
      { org: 'acme' },
    );
    expect(rows[0]?.password_hash).toMatch(/^scrypt\$/);
    expect(rows[0]?.password_hash).not.toContain('first password');
  });

  it('replaces the password when the user is created again in the same organisation', async () => {
    await createUser(db.warehouse, { org: 'acme', email: 'reset@acme.test', role: 'hr', password: 'old password' });
    await createUser(db.warehouse, { org: 'acme', email: 'reset@acme.test', role: 'hr', password: 'new password' });
    await expect(verifyLogin(db.warehouse, 'reset@acme.test', 'new password')).resolves.toMatchObject({ role: 'hr' });
    await expect(verifyLogin(db.warehouse, 'reset@acme.test', 'old password')).resolves.toBeUndefined();
  });

  it('refuses an email that already belongs to another organisation', async () => {
    await expect(
      createUser(db.warehouse, { org: 'globex', email: 'manager@acme.test', role: 'admin', password: 'takeover attempt' }),
    ).rejects.toBeInstanceOf(UserExistsError);
    await expect(findUser(db.warehouse, 'manager@acme.test')).resolves.toMatchObject({ org: 'acme' });
  });
});

describe('sessions', () => {
  const user = { email: 'manager@acme.test', org: 'acme' };

  it('finds a live session by its token and stores only the token hash', async () => {
    const token = await createSession(db.warehouse, user);
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    await expect(findSession(db.warehouse, token)).resolves.toMatchObject(user);

    const stored = await db.warehouse.query(
      sql`SELECT id_hash FROM sessions FINAL WHERE org = ${'acme'}`,
      z.object({ id_hash: z.string() }),
      { org: 'acme' },
    );
    const ids = stored.map((r) => r.id_hash);
    expect(ids).toContain(createHash('sha256').update(token).digest('hex'));
    expect(ids).not.toContain(token);
  });

  it('expires a session after its lifetime', async () => {
    const start = Date.now();
    const token = await createSession(db.warehouse, user, { now: start });
    await expect(findSession(db.warehouse, token, { now: start + SESSION_TTL_MS - 60_000 })).resolves.toBeDefined();
    await expect(findSession(db.warehouse, token, { now: start + SESSION_TTL_MS + 1000 })).resolves.toBeUndefined();
  });

  it('no longer finds a revoked session, even one revoked in the second it was created', async () => {
    const token = await createSession(db.warehouse, user);
    await revokeSession(db.warehouse, token);
    await expect(findSession(db.warehouse, token)).resolves.toBeUndefined();
  });

  it('ignores unknown and malformed tokens', async () => {
    await expect(findSession(db.warehouse, 'A'.repeat(43))).resolves.toBeUndefined();
    await expect(findSession(db.warehouse, "'; DROP TABLE sessions; --")).resolves.toBeUndefined();
    await expect(revokeSession(db.warehouse, 'not-a-token')).resolves.toBeUndefined();
  });
});
