// Dashboard accounts: who may sign in, to which organisation, in which role. Passwords are stored
// only as salted scrypt hashes whose parameters travel with them, so the cost can be raised later.
import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import { z } from 'zod';
import { orgIdSchema } from '../contracts/events.ts';
import type { Warehouse } from './client.ts';
import { formatDateTime } from './row-values.ts';
import { sql } from './sql.ts';

export const ROLES = ['admin', 'executive', 'change_manager', 'hr', 'department_manager'] as const;
export const roleSchema = z.enum(ROLES);
export type Role = z.output<typeof roleSchema>;

/** Emails are compared case-insensitively, so they are stored trimmed and lower-cased. */
export const emailSchema = z
  .string()
  .trim()
  .toLowerCase()
  .pipe(z.email({ message: 'must be an email address' }).max(254));

export const passwordSchema = z
  .string()
  .min(8, 'must be at least 8 characters')
  .max(1024, 'must be at most 1024 characters');

export const newUserSchema = z
  .object({
    org: orgIdSchema,
    email: emailSchema,
    role: roleSchema,
    department: z.string().max(128).default(''),
    password: passwordSchema,
  })
  .refine((u) => u.role !== 'department_manager' || u.department !== '', {
    message: 'a department manager needs a department',
    path: ['department'],
  });
export type NewUser = z.input<typeof newUserSchema>;

/** A signed-in person as the dashboard sees them; `department` is '' for roles not tied to one. */
export interface User {
  email: string;
  org: string;
  role: Role;
  department: string;
}

export class UserExistsError extends Error {
  override name = 'UserExistsError';
  constructor(readonly email: string) {
    super(`${email} already belongs to another organisation`);
  }
}

// scrypt cost: N = 2^15, r = 8 needs 32 MiB (128·N·r), above Node's default maxmem, hence the limit below.
// About 50–100 ms per hash on this class of machine, which is the point.
const SCRYPT = { N: 2 ** 15, r: 8, p: 1 } as const;
const KEY_LENGTH = 32;
const SALT_LENGTH = 16;
const MAXMEM = 64 * 1024 * 1024;

function deriveKey(password: string, salt: Buffer, options: ScryptOptions, keyLength: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(password.normalize('NFC'), salt, keyLength, { ...options, maxmem: MAXMEM }, (err, key) =>
      err ? reject(err) : resolve(key),
    );
  });
}

/** `scrypt$N$r$p$salt$hash`, salt and hash in base64. */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(SALT_LENGTH);
  const key = await deriveKey(password, salt, SCRYPT, KEY_LENGTH);
  return ['scrypt', SCRYPT.N, SCRYPT.r, SCRYPT.p, salt.toString('base64'), key.toString('base64')].join('$');
}

interface ParsedHash {
  options: { N: number; r: number; p: number };
  salt: Buffer;
  key: Buffer;
}

function parseHash(stored: string): ParsedHash | undefined {
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return undefined;
  const [N, r, p] = parts.slice(1, 4).map(Number) as [number, number, number];
  const plausible =
    Number.isInteger(N) && N >= 2 ** 10 && N <= 2 ** 20 && (N & (N - 1)) === 0 &&
    Number.isInteger(r) && r >= 1 && r <= 32 &&
    Number.isInteger(p) && p >= 1 && p <= 16;
  if (!plausible) return undefined;
  const salt = Buffer.from(parts[4] ?? '', 'base64');
  const key = Buffer.from(parts[5] ?? '', 'base64');
  if (salt.length < 8 || key.length < 16) return undefined;
  return { options: { N, r, p }, salt, key };
}

/** True when `password` matches `stored`; the comparison is constant-time. A malformed hash never matches. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parsed = parseHash(stored);
  if (!parsed) {
    await burnOneHash(password);
    return false;
  }
  const key = await deriveKey(password, parsed.salt, parsed.options, parsed.key.length);
  return timingSafeEqual(key, parsed.key);
}

// A login for an unknown email still pays for one scrypt, so response time does not reveal which
// emails have accounts.
let dummyHash: Promise<string> | undefined;
async function burnOneHash(password: string): Promise<void> {
  dummyHash ??= hashPassword(randomBytes(16).toString('hex'));
  const parsed = parseHash(await dummyHash);
  if (parsed) await deriveKey(password, parsed.salt, parsed.options, parsed.key.length);
}

const userRow = z.object({
  email: z.string(),
  org: z.string(),
  role: roleSchema,
  department: z.string(),
  password_hash: z.string(),
  disabled: z.coerce.number(),
});
type UserRow = z.output<typeof userRow>;

async function findUserRow(warehouse: Warehouse, email: string): Promise<UserRow | undefined> {
  // Sign-in does not know the organisation yet: the email is the global key, so this is a system read.
  const rows = await warehouse.query(
    sql`SELECT email, org, role, department, password_hash, disabled FROM users FINAL WHERE email = ${email} LIMIT 1`,
    userRow,
    'system',
  );
  return rows[0];
}

function toUser(row: UserRow): User {
  return { email: row.email, org: row.org, role: row.role, department: row.department };
}

/**
 * Creates a user, or replaces the role, department and password of an existing one in the same
 * organisation (how a password is reset). An email already used in another organisation is refused.
 */
export async function createUser(warehouse: Warehouse, input: NewUser): Promise<void> {
  const user = newUserSchema.parse(input);
  const existing = await findUserRow(warehouse, user.email);
  if (existing && existing.org !== user.org) throw new UserExistsError(user.email);
  const passwordHash = await hashPassword(user.password);
  // ReplacingMergeTree keeps the row with the greatest updated_at (whole seconds): stay ahead of the old row.
  const updatedAt = existing ? Date.now() + 1000 : Date.now();
  await warehouse.insert('users', [
    {
      email: user.email,
      org: user.org,
      role: user.role,
      department: user.department,
      password_hash: passwordHash,
      disabled: 0,
      updated_at: formatDateTime(updatedAt),
    },
  ]);
}

/** The enabled user with this email, without checking a password (used to resolve a session). */
export async function findUser(warehouse: Warehouse, email: string): Promise<User | undefined> {
  const parsed = emailSchema.safeParse(email);
  if (!parsed.success) return undefined;
  const row = await findUserRow(warehouse, parsed.data);
  return row && row.disabled === 0 ? toUser(row) : undefined;
}

/** The user if the email and password match an enabled account; undefined otherwise, in similar time. */
export async function verifyLogin(warehouse: Warehouse, email: string, password: string): Promise<User | undefined> {
  const parsed = emailSchema.safeParse(email);
  const row = parsed.success && password.length <= 1024 ? await findUserRow(warehouse, parsed.data) : undefined;
  if (!row) {
    await burnOneHash(password.slice(0, 1024));
    return undefined;
  }
  const matches = await verifyPassword(password, row.password_hash);
  return matches && row.disabled === 0 ? toUser(row) : undefined;
}

/** Whether any account, enabled or disabled, has this email (so auto-provisioning never revives a disabled one). */
export async function accountExists(warehouse: Warehouse, email: string): Promise<boolean> {
  const parsed = emailSchema.safeParse(email);
  return parsed.success && (await findUserRow(warehouse, parsed.data)) !== undefined;
}

/**
 * Creates an account for someone a trusted OIDC provider vouched for (auto-provisioning). It gets a
 * random password nobody knows, so it can sign in only through the provider until an admin sets
 * one. Returns undefined when the email is already taken or invalid, or the role needs a department.
 */
export async function provisionUser(warehouse: Warehouse, input: { email: string; org: string; role: Role }): Promise<User | undefined> {
  if (input.role === 'department_manager') return undefined;
  const parsed = emailSchema.safeParse(input.email);
  if (!parsed.success || (await findUserRow(warehouse, parsed.data)) !== undefined) return undefined;
  await createUser(warehouse, { email: parsed.data, org: input.org, role: input.role, password: randomBytes(32).toString('base64url') });
  return { email: parsed.data, org: input.org, role: input.role, department: '' };
}
