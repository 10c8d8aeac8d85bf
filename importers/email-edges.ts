// Imports a legacy e-mail log in edge-list form (`SENDER RECIPIENT SECONDS`, one line per recipient)
// plus a label file (`PERSON DEPARTMENT`) as channel-`email` events and a directory, for the diagnose
// step's baseline. Replies are inferred, not recorded: see docs/roi.md ("Legacy e-mail import").
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { eventSchema, type Event, type EventInput } from '../contracts/events.ts';
import { directorySchema, type DirectoryInput } from '../contracts/directory.ts';
import type { Warehouse } from '../warehouse/client.ts';
import { upsertDirectory } from '../warehouse/directory.ts';
import { toEventRow } from '../warehouse/events.ts';

/** A recipient who writes back to the sender within this window is taken to be replying. */
export const REPLY_WINDOW_SECONDS = 7 * 24 * 3600;

export class ImportFormatError extends Error {
  override name = 'ImportFormatError';
}

export interface EmailImport {
  directory: DirectoryInput;
  events: Event[];
  stats: { lines: number; messages: number; inferredReplies: number; people: number; departments: number; skippedSelf: number };
}

/** Deterministic UUID (v5 layout) so a re-import re-sends the same ids and is counted once. */
function stableUuid(...parts: string[]): string {
  const h = createHash('sha1').update(parts.join('\u0000')).digest();
  h[6] = (h[6]! & 0x0f) | 0x50;
  h[8] = (h[8]! & 0x3f) | 0x80;
  const hex = h.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

async function* numberTriples(file: string, width: number): AsyncGenerator<{ line: number; values: number[] }> {
  const lines = createInterface({ input: createReadStream(file, 'utf8'), crlfDelay: Infinity });
  let n = 0;
  for await (const text of lines) {
    n++;
    const trimmed = text.trim();
    if (trimmed === '' || trimmed.startsWith('#')) continue;
    const fields = trimmed.split(/\s+/);
    const values = fields.map(Number);
    if (fields.length !== width || values.some((v) => !Number.isSafeInteger(v) || v < 0)) {
      throw new ImportFormatError(`${file}:${n}: expected ${width} non-negative integers, got ${JSON.stringify(trimmed.slice(0, 80))}`);
    }
    yield { line: n, values };
  }
}

interface Message {
  object: string;
  sender: number;
  seconds: number;
  recipients: number[];
}

export async function readEmailEdges(opts: { org: string; edgesFile: string; departmentsFile: string; start: string }): Promise<EmailImport> {
  const startMs = Date.parse(`${opts.start}T00:00:00Z`);
  if (Number.isNaN(startMs)) throw new ImportFormatError(`--start must be a date YYYY-MM-DD, got ${opts.start}`);

  const departmentOf = new Map<number, number>();
  for await (const { values } of numberTriples(opts.departmentsFile, 2)) departmentOf.set(values[0]!, values[1]!);

  // Group recipient lines into messages: same sender and second = one e-mail to several people.
  const messages: Message[] = [];
  const bySenderSecond = new Map<string, Message>();
  let lines = 0;
  let skippedSelf = 0;
  for await (const { values } of numberTriples(opts.edgesFile, 3)) {
    lines++;
    const [sender, recipient, seconds] = values as [number, number, number];
    if (sender === recipient) {
      skippedSelf++;
      continue;
    }
    const key = `${sender}:${seconds}`;
    let message = bySenderSecond.get(key);
    if (!message) {
      message = { object: `email-${sender}-${seconds}`, sender, seconds, recipients: [] };
      bySenderSecond.set(key, message);
      messages.push(message);
    }
    message.recipients.push(recipient);
  }
  messages.sort((a, b) => a.seconds - b.seconds || a.sender - b.sender);

  // Reply inference: B's message to A answers A's latest unanswered message to B from the last 7 days.
  const open = new Map<string, Message[]>(); // `${from}>${to}` → messages from→to not yet answered by `to`
  const events: Extract<EventInput, { type: 'message.sent' }>[] = [];
  let inferredReplies = 0;
  for (const message of messages) {
    let parent: string | undefined;
    for (const recipient of message.recipients) {
      const waiting = open.get(`${recipient}>${message.sender}`);
      while (waiting && waiting.length && message.seconds - waiting[0]!.seconds > REPLY_WINDOW_SECONDS) waiting.shift();
      if (!parent && waiting && waiting.length) {
        parent = waiting.pop()!.object;
        waiting.length = 0; // one reply answers the thread; older messages are no longer waiting.
      }
    }
    if (parent) inferredReplies++;
    for (const recipient of message.recipients) {
      const key = `${message.sender}>${recipient}`;
      const list = open.get(key) ?? [];
      list.push(message);
      open.set(key, list);
    }
    events.push({
      id: stableUuid(opts.org, message.object),
      type: 'message.sent',
      time: new Date(startMs + message.seconds * 1000).toISOString(),
      org: opts.org,
      actor: `u${message.sender}`,
      object: message.object,
      ...(parent ? { parent } : {}),
      channel: 'email',
      source: 'import',
      attrs: { recipients: message.recipients.length },
    });
  }

  const people = new Set<number>([...departmentOf.keys(), ...messages.flatMap((m) => [m.sender, ...m.recipients])]);
  const departments = [...new Set(departmentOf.values())].sort((a, b) => a - b);
  const directory: DirectoryInput = {
    org: opts.org,
    departments: [...departments.map((d) => ({ id: `d${d}`, name: `Department ${d}` })), { id: 'unlabelled', name: 'Unlabelled' }],
    people: [...people]
      .sort((a, b) => a - b)
      .map((p) => ({
        id: `u${p}`,
        department: departmentOf.has(p) ? `d${departmentOf.get(p)}` : 'unlabelled',
        validFrom: opts.start,
        licensed: true,
      })),
  };
  return {
    directory,
    events: events.map((e) => eventSchema.parse(e)),
    stats: { lines, messages: messages.length, inferredReplies, people: people.size, departments: departments.length, skippedSelf },
  };
}

/** Writes an import into the warehouse: directory first, then events in large inserts. */
export async function loadEmailImport(
  warehouse: Warehouse,
  data: EmailImport,
  chunkRows = 50_000,
): Promise<{ events: number; people: number; departments: number }> {
  const directory = directorySchema.parse(data.directory);
  await upsertDirectory(warehouse, directory);
  const receivedAt = Date.now();
  for (let i = 0; i < data.events.length; i += chunkRows) {
    const chunk = data.events.slice(i, i + chunkRows);
    await warehouse.insertJsonLines('events', chunk.map((e) => JSON.stringify(toEventRow(e, receivedAt))).join('\n') + '\n', chunk.length);
  }
  return { events: data.events.length, people: directory.people.length, departments: directory.departments.length };
}
