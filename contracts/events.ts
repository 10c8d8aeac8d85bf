// The event contract: the one definition of what the collector accepts, shared by collector,
// simulations and tests. Metadata only — there is deliberately no field that can carry content.
import { z } from 'zod';

export const EVENT_TYPES = [
  'message.sent',
  'message.read',
  'message.reacted',
  'task.created',
  'task.assigned',
  'task.completed',
  'approval.requested',
  'approval.decided',
  'meeting.held',
  'doc.edited',
  'group.created',
  'member.activated',
] as const;
export const CHANNELS = ['im', 'email', 'meeting', 'doc', 'workflow'] as const;
export const SOURCES = ['dingtalk', 'slack', 'teams', 'mattermost', 'import', 'api', 'simulation'] as const;
export const APPROVAL_KINDS = ['procurement', 'expense', 'leave', 'contract', 'budget', 'hiring', 'other'] as const;

/** Ids of orgs, people, departments: short, printable, no whitespace. */
export const idSchema = z
  .string()
  .min(1)
  .max(128)
  .regex(/^[A-Za-z0-9._:@-]+$/, 'must be 1-128 characters of A-Z a-z 0-9 . _ : @ -');
export const orgIdSchema = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[a-z0-9][a-z0-9_-]*$/, 'must be lowercase letters, digits, _ or -, starting with a letter or digit');

// Events older than this or further in the future than this are refused: they are typos or broken clocks.
export const EARLIEST_EVENT_TIME = Date.parse('2000-01-01T00:00:00Z');
export const MAX_FUTURE_SKEW_MS = 24 * 3600 * 1000;

const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/;

/** RFC 3339 with an explicit offset; parsed to epoch milliseconds (UTC). */
export const eventTimeSchema = z
  .string()
  .regex(RFC3339, 'must be RFC 3339 with an offset, e.g. 2024-05-01T09:30:00+08:00')
  .transform((value, ctx) => {
    const ms = Date.parse(value);
    // Date.parse rolls 2024-02-30 over to 1 March; the calendar date must exist as written.
    const [, y, mo, d] = /^(\d{4})-(\d{2})-(\d{2})/.exec(value) ?? [];
    const calendar = new Date(Date.UTC(Number(y), Number(mo) - 1, Number(d)));
    if (Number.isNaN(ms) || calendar.getUTCDate() !== Number(d) || calendar.getUTCMonth() !== Number(mo) - 1) {
      ctx.addIssue({ code: 'custom', message: 'is not a valid date' });
      return z.NEVER;
    }
    if (ms < EARLIEST_EVENT_TIME || ms > Date.now() + MAX_FUTURE_SKEW_MS) {
      ctx.addIssue({ code: 'custom', message: 'is out of range (2000-01-01 to now + 24 h)' });
      return z.NEVER;
    }
    return ms;
  });

const automated = z.boolean().optional();
const noAttrs = z.strictObject({ automated });

/** `attrs` per event type; strict, so nothing unexpected (such as content) can ride along. */
export const ATTRS_BY_TYPE = {
  'message.sent': z.strictObject({
    automated,
    urgent: z.boolean().optional(),
    recipients: z.number().int().min(0).max(1_000_000).optional(),
  }),
  'message.read': noAttrs,
  'message.reacted': noAttrs,
  'task.created': z.strictObject({ automated, dueDays: z.number().int().min(0).max(3650).optional() }),
  'task.assigned': noAttrs,
  'task.completed': noAttrs,
  'approval.requested': z.strictObject({
    automated,
    kind: z.enum(APPROVAL_KINDS),
    amount: z.number().finite().min(0).max(1e12).optional(),
  }),
  'approval.decided': z.strictObject({
    automated,
    kind: z.enum(APPROVAL_KINDS),
    outcome: z.enum(['approved', 'rejected']),
  }),
  'meeting.held': z.strictObject({
    automated,
    durationSec: z.number().int().min(0).max(24 * 3600),
    attendees: z.number().int().min(1).max(100_000).optional(),
  }),
  'doc.edited': noAttrs,
  'group.created': z.strictObject({ automated, members: z.number().int().min(0).max(1_000_000).optional() }),
  'member.activated': noAttrs,
} as const satisfies Record<(typeof EVENT_TYPES)[number], z.ZodType>;

const baseEvent = {
  id: z.uuid(),
  time: eventTimeSchema,
  org: orgIdSchema,
  actor: idSchema,
  conversation: idSchema.optional(),
  object: idSchema,
  parent: idSchema.optional(),
  channel: z.enum(CHANNELS),
  source: z.enum(SOURCES),
};

// The attrs schema is passed in (not looked up by type) so each variant keeps its precise attrs type.
function eventOf<T extends (typeof EVENT_TYPES)[number], A extends z.ZodType>(type: T, attrs: A) {
  return z.strictObject({ ...baseEvent, type: z.literal(type), attrs: attrs.optional() });
}

/** One event as the collector receives it. `time` comes out as epoch milliseconds. */
export const eventSchema = z.discriminatedUnion('type', [
  eventOf('message.sent', ATTRS_BY_TYPE['message.sent']),
  eventOf('message.read', ATTRS_BY_TYPE['message.read']),
  eventOf('message.reacted', ATTRS_BY_TYPE['message.reacted']),
  eventOf('task.created', ATTRS_BY_TYPE['task.created']),
  eventOf('task.assigned', ATTRS_BY_TYPE['task.assigned']),
  eventOf('task.completed', ATTRS_BY_TYPE['task.completed']),
  eventOf('approval.requested', ATTRS_BY_TYPE['approval.requested']),
  eventOf('approval.decided', ATTRS_BY_TYPE['approval.decided']),
  eventOf('meeting.held', ATTRS_BY_TYPE['meeting.held']),
  eventOf('doc.edited', ATTRS_BY_TYPE['doc.edited']),
  eventOf('group.created', ATTRS_BY_TYPE['group.created']),
  eventOf('member.activated', ATTRS_BY_TYPE['member.activated']),
]);

/** The wire form (what a client sends): `time` is the RFC 3339 string. */
export type EventInput = z.input<typeof eventSchema>;
/** The validated form: `time` is epoch milliseconds, UTC. */
export type Event = z.output<typeof eventSchema>;
export type EventType = (typeof EVENT_TYPES)[number];
export type Channel = (typeof CHANNELS)[number];
