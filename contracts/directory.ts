// The directory contract: departments and versioned people records, uploaded through POST /v1/directory.
import { z } from 'zod';
import { idSchema, orgIdSchema } from './events.ts';

/** A calendar date `YYYY-MM-DD` that really exists (2024-02-30 is refused). */
export const dateSchema = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date YYYY-MM-DD')
  .refine((value) => {
    const d = new Date(`${value}T00:00:00Z`);
    return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === value;
  }, 'is not a calendar date')
  .refine((value) => value >= '1970-01-01' && value <= '2105-12-31', 'is out of range (1970-01-01 to 2105-12-31)');

/** An IANA timezone name this runtime (and so ClickHouse's tz database) knows. */
export const timezoneSchema = z
  .string()
  .max(64)
  .refine((tz) => isKnownTimezone(tz), 'must be an IANA timezone such as Asia/Hong_Kong');

const KNOWN_TIMEZONES = new Set<string>([...Intl.supportedValuesOf('timeZone'), 'UTC', 'Etc/UTC']);
export function isKnownTimezone(tz: string): boolean {
  return KNOWN_TIMEZONES.has(tz);
}

export const departmentSchema = z.strictObject({
  id: idSchema,
  name: z.string().min(1).max(200),
  parent: idSchema.nullable().optional(),
});

export const personSchema = z.strictObject({
  id: idSchema,
  department: idSchema,
  manager: idSchema.nullable().optional(),
  level: z.string().max(32).nullable().optional(),
  location: z.string().max(64).nullable().optional(),
  timezone: timezoneSchema.nullable().optional(),
  hiredAt: dateSchema.nullable().optional(),
  leftAt: dateSchema.nullable().optional(),
  licensed: z.boolean().default(true),
  wave: z.string().max(32).nullable().optional(),
  ambassador: z.boolean().default(false),
  /** When this version of the person starts to hold. Defaults to hiredAt, else 1970-01-01. */
  validFrom: dateSchema.optional(),
});

export const directorySchema = z.strictObject({
  org: orgIdSchema,
  departments: z.array(departmentSchema).max(100_000).default([]),
  people: z.array(personSchema).max(1_000_000).default([]),
});

export type Department = z.output<typeof departmentSchema>;
export type Person = z.output<typeof personSchema>;
export type DirectoryInput = z.input<typeof directorySchema>;
export type Directory = z.output<typeof directorySchema>;
