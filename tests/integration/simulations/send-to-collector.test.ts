// sendToCollector against a stand-in collector that throttles and fails: the directory goes first,
// every batch is retried with the same bytes (so the same event ids), and the counts add up.
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { generateCompany } from '../../../simulations/generate-company.ts';
import { CollectorError, sendToCollector } from '../../../simulations/send-to-collector.ts';

interface Seen {
  path: string;
  auth: string | undefined;
  type: string | undefined;
  body: string;
}

let server: Server | undefined;
afterEach(() => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())));

function read(req: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => resolve(body));
  });
}

async function startCollector(answer: (seen: Seen, attempt: number) => { status: number; body?: unknown; destroy?: boolean }): Promise<{ url: string; seen: Seen[] }> {
  const seen: Seen[] = [];
  const attempts = new Map<string, number>();
  server = createServer((req, res) => {
    void read(req).then((body) => {
      const s: Seen = { path: req.url ?? '', auth: req.headers.authorization, type: req.headers['content-type'], body };
      seen.push(s);
      const key = `${s.path}:${body.slice(0, 200)}`;
      const attempt = (attempts.get(key) ?? 0) + 1;
      attempts.set(key, attempt);
      const a = answer(s, attempt);
      if (a.destroy) {
        req.socket.destroy();
        return;
      }
      res.writeHead(a.status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(a.body ?? {}));
    });
  });
  await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server?.address() as AddressInfo).port}`, seen };
}

const company = generateCompany({ scenario: 'default', seed: 3, org: 'acme', days: 14 });
const expected = [...company.events()].length;

describe('sendToCollector', () => {
  it('uploads the directory first, then every event once accepted, retrying 429, 503 and dropped connections', async () => {
    const { url, seen } = await startCollector((s, attempt) => {
      if (s.path === '/v1/directory') return attempt === 1 ? { status: 503 } : { status: 200, body: { ok: true } };
      const count = s.body.trimEnd().split('\n').length;
      if (attempt === 1) return { status: 429 };
      if (attempt === 2) return { status: 500, destroy: s.body.length % 2 === 0 };
      return { status: 202, body: { accepted: count, rejected: [] } };
    });
    const lines: string[] = [];
    const result = await sendToCollector({ url, key: 'secret', company, batchSize: 1000, concurrency: 3, backoffMs: 1, log: (l) => lines.push(l) });
    expect(result).toEqual({ sent: expected, accepted: expected, rejected: 0, batches: Math.ceil(expected / 1000) });
    expect(seen[0]?.path).toBe('/v1/directory');
    expect(JSON.parse(seen[1]?.body ?? '{}')).toEqual(JSON.parse(JSON.stringify(company.directory)));
    expect(seen.every((s) => s.auth === 'Bearer secret')).toBe(true);
    const eventRequests = seen.filter((s) => s.path === '/v1/events');
    expect(eventRequests.every((s) => s.type === 'application/x-ndjson')).toBe(true);
    // Each batch was sent three times with identical bytes: same ids on every retry.
    const bodies = new Map<string, number>();
    for (const s of eventRequests) bodies.set(s.body, (bodies.get(s.body) ?? 0) + 1);
    expect([...bodies.values()].every((n) => n === 3)).toBe(true);
    const ids = new Set([...bodies.keys()].flatMap((b) => b.trimEnd().split('\n').map((l) => (JSON.parse(l) as { id: string }).id)));
    expect(ids.size).toBe(expected);
    expect(lines.some((l) => l.includes('retrying'))).toBe(true);
  });

  it('counts rejections the collector reports', async () => {
    const { url } = await startCollector((s) =>
      s.path === '/v1/directory' ? { status: 200 } : { status: 202, body: { accepted: s.body.trimEnd().split('\n').length - 1, rejected: [{ index: 0, field: 'time', reason: 'bad' }] } },
    );
    const result = await sendToCollector({ url, key: 'k', company, batchSize: 5000 });
    expect(result.rejected).toBe(result.batches);
    expect(result.accepted).toBe(expected - result.batches);
  });

  it('stops with a CollectorError naming the status when the collector refuses for good', async () => {
    const { url } = await startCollector(() => ({ status: 401, body: { error: 'unauthorized' } }));
    await expect(sendToCollector({ url, key: 'wrong', company })).rejects.toThrow(CollectorError);
    await expect(sendToCollector({ url, key: 'wrong', company })).rejects.toThrow(/directory upload was refused: HTTP 401/);
  });
});
