// Builders for contract events in tests: valid by default, overridden per case.
import { randomUUID } from 'node:crypto';
import type { EventInput } from '../../contracts/events.ts';

export function makeEvent(overrides: Partial<Record<keyof EventInput, unknown>> & Record<string, unknown> = {}): EventInput {
  return {
    id: randomUUID(),
    type: 'message.sent',
    time: '2024-05-01T09:30:00+08:00',
    org: 'acme',
    actor: 'p1',
    conversation: 'c1',
    object: `m-${randomUUID().slice(0, 8)}`,
    channel: 'im',
    source: 'api',
    ...overrides,
  } as EventInput;
}
