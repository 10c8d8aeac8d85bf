// Maps validated contract events onto rows of the `events` table (columns listed in docs/schema.md).
import type { Event } from '../contracts/events.ts';
import { formatDateTime } from './row-values.ts';

export interface EventRow {
  id: string;
  org: string;
  type: string;
  time: string;
  time_ms: number;
  actor: string;
  conversation: string;
  object: string;
  parent: string;
  channel: string;
  source: string;
  urgent: number;
  recipients: number;
  kind: string;
  outcome: string;
  amount: number;
  duration_sec: number;
  attendees: number;
  automated: number;
  received_at: string;
}

/** Every column is set: ClickHouse 18.16 does not apply DEFAULTs to omitted JSONEachRow fields. */
export function toEventRow(event: Event, receivedAt: number): EventRow {
  // The union's attrs differ per type; read them through one loose view.
  const attrs = (event.attrs ?? {}) as {
    urgent?: boolean;
    recipients?: number;
    kind?: string;
    outcome?: string;
    amount?: number;
    durationSec?: number;
    attendees?: number;
    automated?: boolean;
  };
  return {
    id: event.id,
    org: event.org,
    type: event.type,
    time: formatDateTime(event.time),
    time_ms: event.time % 1000,
    actor: event.actor,
    conversation: event.conversation ?? '',
    object: event.object,
    parent: event.parent ?? '',
    channel: event.channel,
    source: event.source,
    urgent: attrs.urgent ? 1 : 0,
    recipients: attrs.recipients ?? 0,
    kind: attrs.kind ?? '',
    outcome: attrs.outcome ?? '',
    amount: attrs.amount ?? 0,
    duration_sec: attrs.durationSec ?? 0,
    attendees: attrs.attendees ?? 0,
    automated: attrs.automated ? 1 : 0,
    received_at: formatDateTime(receivedAt),
  };
}
