// The default scenario: contract-valid, time-ordered, deterministic, and rich enough for the demo.
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { directorySchema } from '../../../contracts/directory.ts';
import { eventSchema, type EventInput } from '../../../contracts/events.ts';
import { generateCompany } from '../../../simulations/generate-company.ts';

const company = generateCompany({ scenario: 'default', seed: 7, org: 'test-org' });
const events: EventInput[] = [...company.events()];

function ndjsonHash(seed: number, org = 'test-org'): string {
  const hash = createHash('sha256');
  for (const batch of generateCompany({ scenario: 'default', seed, org }).ndjsonBatches(1000)) hash.update(batch.body);
  return hash.digest('hex');
}

describe('generateCompany(default)', () => {
  it('describes the organisation', () => {
    expect(company.org).toBe('test-org');
    expect(company.timezone).toBe('Asia/Hong_Kong');
    expect(company.orgName).toBe('Harbour Trading Ltd');
    expect(company.from).toBe('2026-01-05');
    expect(company.to < '2026-11-20').toBe(true);
  });

  it('produces a directory that satisfies the directory contract', () => {
    const parsed = directorySchema.safeParse(company.directory);
    expect(parsed.success ? [] : parsed.error.issues).toEqual([]);
    expect(company.directory.org).toBe('test-org');
  });

  it('produces only events that satisfy the event contract, for the right org and source', () => {
    const failures: unknown[] = [];
    for (const e of events) {
      const parsed = eventSchema.safeParse(e);
      if (!parsed.success) failures.push({ e, issues: parsed.error.issues });
      if (failures.length > 3) break;
    }
    expect(failures).toEqual([]);
    expect(events.every((e) => e.org === 'test-org' && e.source === 'simulation')).toBe(true);
  });

  it('streams events in time order with unique ids, all by people in the directory', () => {
    const people = new Set((company.directory.people ?? []).map((p) => p.id));
    let last = 0;
    const ids = new Set<string>();
    for (const e of events) {
      const t = Date.parse(e.time);
      expect(t).toBeGreaterThanOrEqual(last);
      last = t;
      ids.add(e.id);
      expect(people.has(e.actor)).toBe(true);
    }
    expect(ids.size).toBe(events.length);
    expect(events.length).toBeGreaterThan(10_000);
  });

  it('includes every behaviour the demo relies on', () => {
    const types = new Set(events.map((e) => e.type));
    for (const t of ['message.sent', 'message.read', 'message.reacted', 'task.created', 'task.assigned', 'task.completed', 'approval.requested', 'approval.decided', 'meeting.held', 'doc.edited', 'group.created', 'member.activated']) {
      expect(types, t).toContain(t);
    }
    const sentIds = new Set(events.filter((e) => e.type === 'message.sent').map((e) => e.object));
    expect(events.some((e) => e.type === 'message.sent' && e.parent !== undefined && sentIds.has(e.parent))).toBe(true);
    expect(events.some((e) => e.type === 'message.sent' && (e.attrs as { urgent?: boolean } | undefined)?.urgent === true)).toBe(true);
    expect(events.some((e) => e.channel === 'workflow' && (e.attrs as { automated?: boolean } | undefined)?.automated === true)).toBe(true);
    // E-mail before the rollout: nothing but e-mail in the first (diagnose) week.
    const firstWeek = events.filter((e) => e.time < '2026-01-12');
    expect(firstWeek.length).toBeGreaterThan(0);
    expect(firstWeek.every((e) => e.channel === 'email')).toBe(true);
  });

  it('has waves, ambassadors, hires, leavers and a department move in its directory', () => {
    const people = company.directory.people ?? [];
    expect(new Set(people.map((p) => p.wave))).toEqual(new Set(['pilot', 'wave-2']));
    expect(people.some((p) => p.ambassador)).toBe(true);
    expect(people.some((p) => p.leftAt !== null && p.leftAt !== undefined && p.leftAt >= company.from)).toBe(true);
    expect(people.some((p) => p.hiredAt !== null && p.hiredAt !== undefined && p.hiredAt > company.from)).toBe(true);
    const versions = new Map<string, typeof people>();
    for (const p of people) versions.set(p.id, [...(versions.get(p.id) ?? []), p]);
    const moved = [...versions.values()].filter((v) => v.length === 2);
    expect(moved.length).toBeGreaterThan(0);
    for (const [before, after] of moved) {
      expect(after?.validFrom && before?.validFrom && after.validFrom > before.validFrom).toBe(true);
      expect(after?.department).not.toBe(before?.department);
    }
    expect(new Set(people.map((p) => p.timezone)).size).toBeGreaterThan(1);
  });

  it('writes NDJSON lines that are exactly JSON.stringify of the streamed events', () => {
    const lines = [...company.ndjsonBatches(777)].map((b) => b.body.toString('latin1')).join('').split('\n');
    expect(lines.pop()).toBe('');
    expect(lines.length).toBe(events.length);
    for (let i = 0; i < lines.length; i += 1) expect(lines[i]).toBe(JSON.stringify(events[i]));
  });

  it('gives byte-identical output for the same seed, and different output for another seed or org', () => {
    const a = ndjsonHash(7);
    expect(ndjsonHash(7)).toBe(a);
    expect(ndjsonHash(8)).not.toBe(a);
    expect(ndjsonHash(7, 'other-org')).not.toBe(a);
  });

  it('honours --people and --days, and refuses runs that end too late', () => {
    const small = generateCompany({ scenario: 'default', seed: 1, org: 'small', people: 12, days: 10 });
    expect(small.to).toBe('2026-01-14');
    expect(new Set((small.directory.people ?? []).filter((p) => !p.hiredAt || p.hiredAt < small.from).map((p) => p.id)).size).toBe(12);
    expect(() => generateCompany({ scenario: 'default', seed: 1, org: 'x', days: 400 })).toThrow(/must end by 2026-11-19/);
    expect(() => generateCompany({ scenario: 'default', seed: 1, org: 'Bad Org' })).toThrow(/org "Bad Org"/);
  });
});
