// A small load client for fault tests: concurrent senders post batches and remember every event id
// that got a 202 — the set that must all be in ClickHouse afterwards.
import { makeEvent } from '../support/events.ts';

export interface LoadResult {
  acked: string[];
  statuses: Map<number, number>;
  errors: number;
}

export function startLoad(options: { url: () => string; key: string; org: string; clients: number; batchSize: number; pauseMs?: number }) {
  let stopped = false;
  const result: LoadResult = { acked: [], statuses: new Map(), errors: 0 };
  const done = Promise.all(
    Array.from({ length: options.clients }, async () => {
      while (!stopped) {
        const events = Array.from({ length: options.batchSize }, () => makeEvent({ org: options.org, time: new Date(Date.now() - 3_600_000).toISOString() }));
        try {
          const res = await fetch(`${options.url()}/v1/events`, {
            method: 'POST',
            headers: { authorization: `Bearer ${options.key}`, 'content-type': 'application/json' },
            body: JSON.stringify({ events }),
            signal: AbortSignal.timeout(15_000),
          });
          result.statuses.set(res.status, (result.statuses.get(res.status) ?? 0) + 1);
          if (res.status === 202) {
            const body = (await res.json()) as { accepted: number };
            if (body.accepted === events.length) result.acked.push(...events.map((e) => e.id));
          } else await res.arrayBuffer();
        } catch {
          // Connection refused or reset (the collector was killed): not acknowledged, so not owed.
          result.errors += 1;
          await new Promise((r) => setTimeout(r, 50));
        }
        if (options.pauseMs) await new Promise((r) => setTimeout(r, options.pauseMs));
      }
    }),
  );
  return {
    result,
    async stop(): Promise<LoadResult> {
      stopped = true;
      await done;
      return result;
    },
  };
}
