// Validates a batch event by event: valid events go on, each invalid one becomes a rejection naming
// its index, field and reason, so one bad event never costs the good ones beside it.
import type { z } from 'zod';
import { eventSchema, type Event } from '../contracts/events.ts';

export interface Rejection {
  index: number;
  /** The event's id when it had a readable one, so clients can match rejections to their records. */
  id?: string;
  field: string;
  reason: string;
}

export interface ValidatedBatch {
  events: Event[];
  rejected: Rejection[];
}

/** An NDJSON line that was not JSON at all. */
export class UnparseableLine {
  constructor(readonly reason: string) {}
}

export function describeIssue(issue: z.core.$ZodIssue): { field: string; reason: string } {
  if (issue.code === 'unrecognized_keys') {
    const prefix = issue.path.length ? `${issue.path.join('.')}.` : '';
    return { field: issue.keys.map((k) => prefix + k).join(','), reason: 'unknown field (not part of the event contract)' };
  }
  if (issue.code === 'invalid_union' && issue.path.length === 0) {
    return { field: 'type', reason: 'must be one of the event types in the contract' };
  }
  return { field: issue.path.length ? issue.path.join('.') : '(event)', reason: issue.message };
}

export function validateEvents(items: readonly unknown[], keyOrg: string): ValidatedBatch {
  const events: Event[] = [];
  const rejected: Rejection[] = [];
  items.forEach((item, index) => {
    if (item instanceof UnparseableLine) {
      rejected.push({ index, field: '(line)', reason: item.reason });
      return;
    }
    const rawId = typeof item === 'object' && item !== null ? (item as { id?: unknown }).id : undefined;
    const id = typeof rawId === 'string' && rawId.length <= 64 ? rawId : undefined;
    if (typeof item !== 'object' || item === null || Array.isArray(item)) {
      rejected.push({ index, field: '(event)', reason: 'must be a JSON object' });
      return;
    }
    const parsed = eventSchema.safeParse(item);
    if (!parsed.success) {
      const first = parsed.error.issues[0];
      const { field, reason } = first ? describeIssue(first) : { field: '(event)', reason: 'invalid' };
      rejected.push({ index, ...(id ? { id } : {}), field, reason });
      return;
    }
    if (parsed.data.org !== keyOrg) {
      rejected.push({ index, id: parsed.data.id, field: 'org', reason: "does not match the ingest key's organisation" });
      return;
    }
    events.push(parsed.data);
  });
  return { events, rejected };
}
