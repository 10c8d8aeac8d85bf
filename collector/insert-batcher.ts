// Groups events from concurrent requests into one ClickHouse insert: flush when enough rows wait
// or when the oldest has lingered long enough. add() resolves only after the insert holding its
// rows succeeded, so a 202 means the events are in ClickHouse.
import type { Warehouse } from '../warehouse/client.ts';

interface Waiter {
  resolve: () => void;
  reject: (err: unknown) => void;
}

export interface InsertBatcher {
  add(jsonLines: string, rowCount: number): Promise<void>;
  flush(): Promise<void>;
  close(): Promise<void>;
}

export function createInsertBatcher(
  warehouse: Warehouse,
  { table, maxRows, lingerMs }: { table: string; maxRows: number; lingerMs: number },
): InsertBatcher {
  let chunks: string[] = [];
  let rows = 0;
  let waiters: Waiter[] = [];
  let timer: NodeJS.Timeout | undefined;
  let inFlight: Promise<void> = Promise.resolve();

  function flush(): Promise<void> {
    if (timer) clearTimeout(timer);
    timer = undefined;
    if (rows === 0) return inFlight;
    const batch = chunks.join('');
    const count = rows;
    const batchWaiters = waiters;
    chunks = [];
    rows = 0;
    waiters = [];
    // Inserts run one after another: ClickHouse prefers few large inserts to many concurrent ones.
    inFlight = inFlight.then(async () => {
      try {
        await warehouse.insertJsonLines(table, batch, count);
        for (const w of batchWaiters) w.resolve();
      } catch (err) {
        for (const w of batchWaiters) w.reject(err);
      }
    });
    return inFlight;
  }

  return {
    add(jsonLines, rowCount) {
      if (rowCount === 0) return Promise.resolve();
      const done = new Promise<void>((resolve, reject) => waiters.push({ resolve, reject }));
      chunks.push(jsonLines);
      rows += rowCount;
      if (rows >= maxRows) void flush();
      else timer ??= setTimeout(() => void flush(), lingerMs);
      return done;
    },
    flush,
    async close() {
      await flush();
    },
  };
}
