// Secrets from files (CLICKHOUSE_PASSWORD_FILE, WAYPOINT_OIDC_CLIENT_SECRET_FILE): read only when
// nobody else can read them and only the owner can write them; OIDC settings fail fast when partial.
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, readSecretFile } from '../../../config/env.ts';

const dir = mkdtempSync(path.join(tmpdir(), 'waypoint-secret-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function secretFile(name: string, content: string, mode: number): string {
  const file = path.join(dir, name);
  writeFileSync(file, content);
  chmodSync(file, mode);
  return file;
}

describe('readSecretFile', () => {
  it('reads a file only its owner (and group, read-only) can read, without the trailing newline', () => {
    expect(readSecretFile(secretFile('a', 's3cret\n', 0o600), 'X')).toBe('s3cret');
    expect(readSecretFile(secretFile('b', 's3cret', 0o400), 'X')).toBe('s3cret');
    expect(readSecretFile(secretFile('c', 's3cret\r\n', 0o640), 'X')).toBe('s3cret');
  });

  it.each([
    [0o644, 'readable by others'],
    [0o604, 'readable by others'],
    [0o660, 'writable by its group'],
    [0o602, 'readable by others'],
  ])('refuses mode %o, naming the variable and the fix', (mode) => {
    const file = secretFile(`m${mode.toString(8)}`, 'x', mode);
    expect(() => readSecretFile(file, 'WAYPOINT_OIDC_CLIENT_SECRET_FILE')).toThrow(ConfigError);
    expect(() => readSecretFile(file, 'WAYPOINT_OIDC_CLIENT_SECRET_FILE')).toThrow(/WAYPOINT_OIDC_CLIENT_SECRET_FILE: .* chmod 600/);
  });

  it('refuses a missing file, a directory and an empty file', () => {
    expect(() => readSecretFile(path.join(dir, 'nope'), 'X')).toThrow(/X: cannot read/);
    expect(() => readSecretFile(dir, 'X')).toThrow(/is not a file/);
    expect(() => readSecretFile(secretFile('empty', '\n', 0o600), 'X')).toThrow(/is empty/);
  });
});

describe('loadConfig: secrets and OIDC', () => {
  it('takes the ClickHouse password from a file, and refuses both forms at once', () => {
    const file = secretFile('ch', 'pw-from-file\n', 0o600);
    expect(loadConfig({ CLICKHOUSE_PASSWORD_FILE: file }).clickhouse.password).toBe('pw-from-file');
    expect(() => loadConfig({ CLICKHOUSE_PASSWORD_FILE: file, CLICKHOUSE_PASSWORD: 'x' })).toThrow(/not both/);
  });

  it('builds the OIDC settings, without a trailing slash on the issuer', () => {
    const file = secretFile('oidc', 'client-secret', 0o600);
    const config = loadConfig({ WAYPOINT_OIDC_ISSUER: 'https://idp.example/', WAYPOINT_OIDC_CLIENT_ID: 'wp', WAYPOINT_OIDC_CLIENT_SECRET_FILE: file });
    expect(config.oidc).toEqual({ issuer: 'https://idp.example', clientId: 'wp', clientSecret: 'client-secret', providerName: 'single sign-on' });
    expect(loadConfig({}).oidc).toBeUndefined();
  });

  it('fails fast on partial OIDC settings and on a default role that would hand out too much', () => {
    const file = secretFile('oidc2', 'client-secret', 0o600);
    const base = { WAYPOINT_OIDC_ISSUER: 'https://idp.example', WAYPOINT_OIDC_CLIENT_ID: 'wp', WAYPOINT_OIDC_CLIENT_SECRET_FILE: file };
    expect(() => loadConfig({ WAYPOINT_OIDC_ISSUER: 'https://idp.example' })).toThrow(/WAYPOINT_OIDC_CLIENT_ID is required/);
    expect(() => loadConfig({ ...base, WAYPOINT_OIDC_CLIENT_SECRET_FILE: undefined })).toThrow(/WAYPOINT_OIDC_CLIENT_SECRET_FILE is required/);
    expect(() => loadConfig({ ...base, WAYPOINT_OIDC_AUTO_PROVISION_ORG: 'acme' })).toThrow(/go together/);
    expect(() => loadConfig({ ...base, WAYPOINT_OIDC_AUTO_PROVISION_ORG: 'acme', WAYPOINT_OIDC_DEFAULT_ROLE: 'admin' })).toThrow(/WAYPOINT_OIDC_DEFAULT_ROLE/);
    expect(loadConfig({ ...base, WAYPOINT_OIDC_AUTO_PROVISION_ORG: 'acme', WAYPOINT_OIDC_DEFAULT_ROLE: 'hr' }).oidc?.autoProvision).toEqual({ org: 'acme', role: 'hr' });
  });
});
