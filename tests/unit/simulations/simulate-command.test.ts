// `waypoint simulate`: precise usage errors (exit 2) and the files it writes.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { directorySchema } from '../../../contracts/directory.ts';
import { eventSchema } from '../../../contracts/events.ts';
import { simulateCommand } from '../../../simulations/simulate-command.ts';

async function run(argv: string[]) {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (c: Buffer) => (out += c.toString()));
  stderr.on('data', (c: Buffer) => (err += c.toString()));
  const code = await simulateCommand(argv, { stdout, stderr });
  return { code, out, err };
}

const dir = mkdtempSync(join(tmpdir(), 'waypoint-simulate-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('waypoint simulate', () => {
  it.each([
    [[], '--scenario is required'],
    [['--scenario', 'default'], '--seed is required'],
    [['--scenario', 'nope', '--seed', '1', '--out', 'x'], 'unknown scenario "nope"'],
    [['--scenario', 'default', '--seed', '-1', '--out', 'x'], 'Option \'--seed'],
    [['--scenario', 'default', '--seed', 'abc', '--out', 'x'], '--seed must be a whole number, got "abc"'],
    [['--scenario', 'default', '--seed', '1'], 'give --to URL --key KEY (upload) or --out FILE.ndjson'],
    [['--scenario', 'default', '--seed', '1', '--to', 'http://x'], '--to needs --key KEY'],
    [['--scenario', 'default', '--seed', '1', '--to', 'http://x', '--key', 'k', '--out', 'f'], 'not both'],
    [['--scenario', 'default', '--seed', '1', '--out', 'f', '--people', '2'], '--people must be from 5 to 200000, got 2'],
    [['--scenario', 'default', '--seed', '1', '--out', 'f', '--days', '999'], '--days must be from 1 to 800, got 999'],
    [['--scenario', 'default', '--seed', '1', '--out', 'f', '--org', 'Not Valid'], 'org "Not Valid"'],
    [['--scenario', 'default', '--seed', '1', '--out', 'f', '--bogus'], "Unknown option '--bogus'"],
    [['--scenario', 'default', '--seed', '1', '--to', 'http://x', '--key', 'k', '--no-truth'], '--no-truth is only used with --out FILE'],
  ])('exits 2 for %j, saying %s', async (argv, message) => {
    const { code, err } = await run(argv);
    expect(code).toBe(2);
    expect(err).toContain(message);
    expect(err).toContain('usage: waypoint simulate');
  });

  it('writes the events, the directory and the ground truth, byte-identical for the same seed', async () => {
    const a = join(dir, 'a.ndjson');
    const b = join(dir, 'b.ndjson');
    const first = await run(['--scenario', 'default', '--seed', '5', '--org', 'acme', '--days', '21', '--out', a]);
    expect(first.code).toBe(0);
    expect(JSON.parse(first.out)).toMatchObject({ file: a, directory: `${a}.directory.json`, truth: `${a}.truth.json` });
    await run(['--scenario', 'default', '--seed', '5', '--org', 'acme', '--days', '21', '--out', b]);
    expect(readFileSync(a).equals(readFileSync(b))).toBe(true);
    expect(readFileSync(`${a}.truth.json`, 'utf8')).toBe(readFileSync(`${b}.truth.json`, 'utf8'));

    const lines = readFileSync(a, 'utf8').trimEnd().split('\n');
    expect(eventSchema.safeParse(JSON.parse(lines[0] as string)).success).toBe(true);
    expect(eventSchema.safeParse(JSON.parse(lines[lines.length - 1] as string)).success).toBe(true);
    expect(directorySchema.safeParse(JSON.parse(readFileSync(`${a}.directory.json`, 'utf8'))).success).toBe(true);
    const truth = JSON.parse(readFileSync(`${a}.truth.json`, 'utf8')) as { org: string; to: string; totals: { events: number } };
    expect(truth).toMatchObject({ org: 'acme', to: '2026-01-25' });
    expect(truth.totals.events).toBe(lines.length);
  });

  it('skips the ground truth with --no-truth, writing the same events', async () => {
    const a = join(dir, 'with-truth.ndjson');
    const b = join(dir, 'no-truth.ndjson');
    await run(['--scenario', 'default', '--seed', '3', '--days', '10', '--out', a]);
    const result = await run(['--scenario', 'default', '--seed', '3', '--days', '10', '--out', b, '--no-truth']);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.out)).not.toHaveProperty('truth');
    expect(existsSync(`${b}.truth.json`)).toBe(false);
    expect(readFileSync(b).equals(readFileSync(a))).toBe(true);
  });
});
