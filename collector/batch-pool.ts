// Where JSON bodies become batches: in worker threads when there are any (2 cores: one worker takes
// parse + validate off the main thread), inline otherwise, for small bodies, and whenever a worker
// fails — the same function (json-batch.ts) either way, so answers never depend on where it ran.
import { Worker } from 'node:worker_threads';
import type { BatchScope, BuiltBatch } from './batch-builder.ts';
import { HttpError } from './http-error.ts';
import { buildJsonBatch } from './json-batch.ts';

/** Below this a worker round trip costs more than it saves. */
const INLINE_BELOW_BYTES = 32 * 1024;

export interface BatchRequest {
  id: number;
  bytes: Uint8Array;
  scope: BatchScope;
}

export interface BatchResponse {
  id: number;
  batch?: BuiltBatch;
  refusal?: { statusCode: number; code: string; message: string; retryAfter?: number };
  failure?: string;
}

export interface BatchPool {
  build(bytes: Buffer, scope: BatchScope): Promise<BuiltBatch>;
  close(): Promise<void>;
}

interface Task {
  bytes: Buffer;
  scope: BatchScope;
  resolve: (batch: BuiltBatch) => void;
  reject: (err: unknown) => void;
}

interface Slot {
  worker: Worker;
  tasks: Map<number, Task>;
}

function runInline(task: Task): void {
  try {
    task.resolve(buildJsonBatch(task.bytes, task.scope));
  } catch (err) {
    task.reject(err);
  }
}

/** tsx's register API as a URL, so the worker finds it whatever the working directory. */
function resolveTsx(): string {
  try {
    return import.meta.resolve('tsx/esm/api');
  } catch {
    return 'tsx/esm/api';
  }
}

export function createBatchPool(options: { workers: number; onWorkerError?: (err: Error) => void }): BatchPool {
  const slots: Slot[] = [];
  let nextId = 1;
  let closing = false;
  /** Workers that died; past a few the pool stops replacing them and builds inline. */
  let deaths = 0;
  const workerUrl = new URL(import.meta.url.endsWith('.ts') ? './batch-worker.ts' : './batch-worker.js', import.meta.url);
  // Node 20 does not carry the main thread's `--import tsx` into workers: a .ts worker registers it first.
  const bootstrap = workerUrl.pathname.endsWith('.ts')
    ? `import(${JSON.stringify(resolveTsx())}).then(({ register }) => { register(); return import(${JSON.stringify(workerUrl.href)}); });`
    : `import(${JSON.stringify(workerUrl.href)});`;

  function trySpawn(): void {
    try {
      slots.push(spawn());
    } catch (err) {
      deaths += 1;
      options.onWorkerError?.(err as Error);
    }
  }

  function spawn(): Slot {
    const slot: Slot = { worker: new Worker(bootstrap, { eval: true }), tasks: new Map() };
    slot.worker.unref();
    slot.worker.on('message', (response: BatchResponse) => {
      const task = slot.tasks.get(response.id);
      if (!task) return;
      slot.tasks.delete(response.id);
      if (response.batch) {
        const { payload } = response.batch;
        // Structured clone hands back a Uint8Array; the spool wants a Buffer over the same bytes.
        task.resolve({ ...response.batch, payload: Buffer.from(payload.buffer, payload.byteOffset, payload.byteLength) });
      } else if (response.refusal) {
        const { statusCode, code, message, retryAfter } = response.refusal;
        task.reject(new HttpError(statusCode, code, message, retryAfter));
      } else {
        task.reject(new Error(`batch worker failed: ${response.failure}`));
      }
    });
    const retire = (err: Error) => {
      const i = slots.indexOf(slot);
      if (i === -1) return;
      slots.splice(i, 1);
      if (!closing) {
        deaths += 1;
        options.onWorkerError?.(err);
        if (deaths <= 3) trySpawn();
      }
      // The bodies are still ours (they were copied to the worker): finish them here.
      for (const task of slot.tasks.values()) runInline(task);
      slot.tasks.clear();
    };
    slot.worker.on('error', retire);
    slot.worker.on('exit', (code) => retire(new Error(`batch worker exited with code ${code}`)));
    return slot;
  }

  for (let i = 0; i < options.workers; i++) trySpawn();

  return {
    build(bytes, scope) {
      return new Promise<BuiltBatch>((resolve, reject) => {
        const task: Task = { bytes, scope, resolve, reject };
        if (slots.length === 0 || bytes.length < INLINE_BELOW_BYTES) return runInline(task);
        let slot = slots[0]!;
        for (const s of slots) if (s.tasks.size < slot.tasks.size) slot = s;
        const id = nextId++;
        slot.tasks.set(id, task);
        slot.worker.postMessage({ id, bytes, scope } satisfies BatchRequest);
      });
    },
    async close() {
      closing = true;
      const all = slots.splice(0);
      for (const slot of all) {
        for (const task of slot.tasks.values()) runInline(task);
        slot.tasks.clear();
      }
      await Promise.all(all.map((s) => s.worker.terminate()));
    },
  };
}
