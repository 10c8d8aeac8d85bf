// Validates a batch event by event: valid events go on, each invalid one becomes a rejection naming
// its index, field and reason, so one bad event never costs the good ones beside it.
import type { z } from 'zod';
import { eventSchema, type Event } from '../contracts/events.ts';

/** Why an event was refused; also the `reason` label of the rejected-events metric. */
export type RejectionCode = 'invalid_json' | 'not_an_object' | 'unknown_field' | 'missing_field' | 'unknown_type' | 'invalid_value' | 'wrong_org';

export interface Rejection {
  index: number;
  code: RejectionCode;
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

export function describeIssue(issue: z.core.$ZodIssue): { field: string; reason: string; code: RejectionCode } {
  if (issue.code === 'unrecognized_keys') {
    const prefix = issue.path.length ? `${issue.path.join('.')}.` : '';
    return { field: issue.keys.map((k) => prefix + k).join(','), reason: 'unknown field (not part of the event contract)', code: 'unknown_field' };
  }
  if (issue.code === 'invalid_union' && (issue.path.length === 0 || (issue.path.length === 1 && issue.path[0] === 'type'))) {
    return { field: 'type', reason: 'must be one of the event types in the contract', code: 'unknown_type' };
  }
  const missing = issue.code === 'invalid_type' && issue.message.endsWith('received undefined');
  return { field: issue.path.length ? issue.path.map(String).join('.') : '(event)', reason: issue.message, code: missing ? 'missing_field' : 'invalid_value' };
}

export function isRejection(result: Event | Rejection): result is Rejection {
  return 'reason' in result;
}

/** Validates one item of a batch: the event, or the rejection naming its index, field and reason. */
export function validateEvent(item: unknown, index: number, keyOrg: string): Event | Rejection {
  if (item instanceof UnparseableLine) return { index, code: 'invalid_json', field: '(line)', reason: item.reason };
  if (typeof item !== 'object' || item === null || Array.isArray(item)) {
    return { index, code: 'not_an_object', field: '(event)', reason: 'must be a JSON object' };
  }
  const rawId = (item as { id?: unknown }).id;
  const id = typeof rawId === 'string' && rawId.length <= 64 ? rawId : undefined;
  const parsed = eventSchema.safeParse(item);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    const described = first ? describeIssue(first) : { field: '(event)', reason: 'invalid', code: 'invalid_value' as const };
    return { index, ...(id ? { id } : {}), ...described };
  }
  if (parsed.data.org !== keyOrg) {
    return { index, id: parsed.data.id, code: 'wrong_org', field: 'org', reason: "does not match the ingest key's organisation" };
  }
  return parsed.data;
}

export function validateEvents(items: readonly unknown[], keyOrg: string): ValidatedBatch {
  const events: Event[] = [];
  const rejected: Rejection[] = [];
  items.forEach((item, index) => {
    const result = validateEvent(item, index, keyOrg);
    if (isRejection(result)) rejected.push(result);
    else events.push(result);
  });
  return { events, rejected };
}
