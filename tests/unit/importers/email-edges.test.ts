// E-mail edge-list import: grouping recipient lines into messages and inferring replies, by hand.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ImportFormatError, readEmailEdges } from '../../../importers/email-edges.ts';

function files(edges: string, labels: string) {
  const dir = mkdtempSync(path.join(tmpdir(), 'wp-email-'));
  writeFileSync(path.join(dir, 'edges.txt'), edges);
  writeFileSync(path.join(dir, 'labels.txt'), labels);
  return { edgesFile: path.join(dir, 'edges.txt'), departmentsFile: path.join(dir, 'labels.txt') };
}

const DAY = 86400;

describe('readEmailEdges', () => {
  it('groups lines with the same sender and second into one message with its recipient count', async () => {
    const r = await readEmailEdges({ org: 'eu', start: '2025-01-06', ...files('1 2 0\n1 3 0\n1 4 60\n', '1 0\n2 0\n3 1\n4 1\n') });
    expect(r.stats).toMatchObject({ lines: 3, messages: 2, people: 4, departments: 2 });
    expect(r.events.map((e) => [e.actor, e.time, (e.attrs as { recipients: number }).recipients])).toEqual([
      ['u1', Date.parse('2025-01-06T00:00:00Z'), 2],
      ['u1', Date.parse('2025-01-06T00:01:00Z'), 1],
    ]);
    expect(r.events.every((e) => e.channel === 'email' && e.source === 'import')).toBe(true);
  });

  it('infers a reply when a recipient writes back within 7 days, to the latest waiting message', async () => {
    const edges = [
      `1 2 0`, // m1: 1 → 2
      `1 2 100`, // m2: 1 → 2
      `2 1 200`, // reply to m2 (the latest waiting)
      `2 1 300`, // nothing waiting any more: not a reply
      `3 4 0`, // m5: 3 → 4
      `4 3 ${7 * DAY + 1}`, // too late: not a reply
    ].join('\n');
    const r = await readEmailEdges({ org: 'eu', start: '2025-01-06', ...files(edges, '1 0\n2 0\n3 1\n4 1\n') });
    const byObject = new Map(r.events.map((e) => [e.object, e]));
    expect(byObject.get('email-2-200')?.parent).toBe('email-1-100');
    expect(byObject.get('email-2-300')?.parent).toBeUndefined();
    expect(byObject.get(`email-4-${7 * DAY + 1}`)?.parent).toBeUndefined();
    expect(r.stats.inferredReplies).toBe(1);
  });

  it('gives the same ids on a re-import, so re-sent events are counted once', async () => {
    const f = files('1 2 0\n2 1 5\n', '1 0\n2 0\n');
    const a = await readEmailEdges({ org: 'eu', start: '2025-01-06', ...f });
    const b = await readEmailEdges({ org: 'eu', start: '2025-01-06', ...f });
    expect(a.events.map((e) => e.id)).toEqual(b.events.map((e) => e.id));
    expect(new Set(a.events.map((e) => e.id)).size).toBe(2);
  });

  it('puts people without a label in an "unlabelled" department', async () => {
    const r = await readEmailEdges({ org: 'eu', start: '2025-01-06', ...files('1 9 0\n', '1 0\n') });
    expect(r.directory.people?.find((p) => p.id === 'u9')?.department).toBe('unlabelled');
  });

  it('names the file and line of a malformed row', async () => {
    await expect(readEmailEdges({ org: 'eu', start: '2025-01-06', ...files('1 2 0\n1 two 5\n', '1 0\n') })).rejects.toThrow(ImportFormatError);
    await expect(readEmailEdges({ org: 'eu', start: '2025-01-06', ...files('1 2 0\n1 two 5\n', '1 0\n') })).rejects.toThrow(/edges\.txt:2/);
  });
});
