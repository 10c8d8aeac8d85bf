// Password storage for dashboard accounts: salted scrypt with its parameters in the stored string.
import { describe, expect, it } from 'vitest';
import { hashPassword, newUserSchema, roleSchema, ROLES, verifyPassword } from '../../../warehouse/users.ts';

describe('hashPassword / verifyPassword', () => {
  it('stores scrypt$N$r$p$salt$hash, never the password', async () => {
    const stored = await hashPassword('correct horse battery');
    expect(stored).toMatch(/^scrypt\$32768\$8\$1\$[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+$/);
    expect(stored).not.toContain('correct horse battery');
  });

  it('accepts the right password and refuses a wrong one', async () => {
    const stored = await hashPassword('correct horse battery');
    await expect(verifyPassword('correct horse battery', stored)).resolves.toBe(true);
    await expect(verifyPassword('correct horse batterx', stored)).resolves.toBe(false);
    await expect(verifyPassword('', stored)).resolves.toBe(false);
  });

  it('salts every hash, so equal passwords do not give equal hashes', async () => {
    const [a, b] = await Promise.all([hashPassword('same password'), hashPassword('same password')]);
    expect(a).not.toBe(b);
    expect(a.split('$')[4]).not.toBe(b.split('$')[4]);
  });

  it('treats composed and decomposed Unicode as the same password', async () => {
    const stored = await hashPassword('caf\u00e9 au lait');
    await expect(verifyPassword('cafe\u0301 au lait', stored)).resolves.toBe(true);
  });

  it('never matches a malformed or tampered hash', async () => {
    const stored = await hashPassword('correct horse battery');
    const parts = stored.split('$');
    const tampered = [...parts.slice(0, 5), Buffer.alloc(32, 1).toString('base64')].join('$');
    await expect(verifyPassword('correct horse battery', tampered)).resolves.toBe(false);
    await expect(verifyPassword('correct horse battery', '')).resolves.toBe(false);
    await expect(verifyPassword('correct horse battery', 'plain-text-password')).resolves.toBe(false);
    // An absurd cost parameter is refused rather than run.
    const expensive = ['scrypt', 2 ** 30, 8, 1, parts[4], parts[5]].join('$');
    await expect(verifyPassword('correct horse battery', expensive)).resolves.toBe(false);
  });
});

describe('user input', () => {
  it('knows exactly the five roles of the brief', () => {
    expect(ROLES).toEqual(['admin', 'executive', 'change_manager', 'hr', 'department_manager']);
    expect(roleSchema.safeParse('superuser').success).toBe(false);
  });

  it('normalises the email and defaults the department', () => {
    const user = newUserSchema.parse({ org: 'acme', email: '  Exec@Acme.Test ', role: 'executive', password: 'long enough' });
    expect(user).toMatchObject({ email: 'exec@acme.test', department: '' });
  });

  it('refuses short passwords, bad emails and a department manager without a department', () => {
    const base = { org: 'acme', email: 'a@acme.test', role: 'hr', password: 'long enough' };
    expect(newUserSchema.safeParse({ ...base, password: 'short' }).success).toBe(false);
    expect(newUserSchema.safeParse({ ...base, email: 'not-an-email' }).success).toBe(false);
    expect(newUserSchema.safeParse({ ...base, role: 'department_manager' }).success).toBe(false);
    expect(newUserSchema.safeParse({ ...base, role: 'department_manager', department: 'fin' }).success).toBe(true);
  });
});
