// Picks the DDL variant for a server version: one place decides what a current ClickHouse gets that
// 18.16 cannot parse (LowCardinality, codecs), so migrations never carry version conditionals.

export class DdlVariantError extends Error {
  override name = 'DdlVariantError';
}

export interface DdlFeatures {
  /** LowCardinality(T) without 18.16's allow_experimental_low_cardinality_type. */
  lowCardinality: boolean;
  /** Per-column CODEC(…). */
  codecs: boolean;
  /** Table and column TTL. */
  ttl: boolean;
  /** Data-skipping indexes (INDEX … TYPE … GRANULARITY …). */
  skipIndexes: boolean;
  /** `ALTER TABLE … ADD COLUMN IF NOT EXISTS` (18.16 parses only `ADD COLUMN`; migrate.ts emulates it). */
  addColumnIfNotExists: boolean;
}

/**
 * Every feature above is production-ready in 20.3 LTS (most arrived in 19.x, some behind settings).
 * We only need to tell Debian's 18.16 from a current server, so one conservative threshold: a
 * server older than 20.3 gets the 18.16 DDL, which it also accepts.
 */
const MODERN_FROM: readonly [number, number] = [20, 3];

/** `18.16.1`, `26.9.2.1` or `24.8.4.13-lts` → [major, minor]. */
export function parseServerVersion(version: string): [number, number] {
  const match = /^\s*(\d+)\.(\d+)(?:\.\d+)*(?:[-+ ][\w.-]*)?\s*$/.exec(version);
  if (!match) throw new DdlVariantError(`not a ClickHouse version: ${JSON.stringify(version)}`);
  return [Number(match[1]), Number(match[2])];
}

export function ddlFeatures(version: string): DdlFeatures {
  const [major, minor] = parseServerVersion(version);
  const modern = major > MODERN_FROM[0] || (major === MODERN_FROM[0] && minor >= MODERN_FROM[1]);
  return { lowCardinality: modern, codecs: modern, ttl: modern, skipIndexes: modern, addColumnIfNotExists: modern };
}

/**
 * What each `{{Name}}` in a migration becomes. Codec placeholders expand to nothing on 18.16, so
 * write them straight after the type: `actor {{LowCardinalityString}}{{CodecZSTD}},`.
 */
export function ddlPlaceholders(features: DdlFeatures): Readonly<Record<string, string>> {
  return {
    LowCardinalityString: features.lowCardinality ? 'LowCardinality(String)' : 'String',
    CodecZSTD: features.codecs ? ' CODEC(ZSTD(1))' : '',
    /** For timestamps and counters that grow steadily. */
    CodecDeltaZSTD: features.codecs ? ' CODEC(Delta, ZSTD(1))' : '',
  };
}

/** Substitutes every `{{Name}}`; an unknown name throws, so a typo never reaches the server. */
export function renderDdl(statement: string, features: DdlFeatures): string {
  const values = ddlPlaceholders(features);
  return statement.replace(/\{\{\s*(\w+)\s*\}\}/g, (_, name: string) => {
    const value = values[name];
    if (value === undefined) {
      throw new DdlVariantError(`unknown DDL placeholder {{${name}}}; known: ${Object.keys(values).join(', ')}`);
    }
    return value;
  });
}

export interface AddColumnIfNotExists {
  table: string;
  column: string;
  /** The statement without `IF NOT EXISTS`, for a server that cannot parse it. */
  plain: string;
}

/** `ALTER TABLE t ADD COLUMN IF NOT EXISTS c …` → its table, column and plain form; anything else → undefined. */
export function parseAddColumnIfNotExists(statement: string): AddColumnIfNotExists | undefined {
  const match = /^(ALTER\s+TABLE\s+(\w+)\s+ADD\s+COLUMN\s+)IF\s+NOT\s+EXISTS\s+(\w+)/i.exec(statement.trim());
  if (!match) return undefined;
  return { table: match[2]!, column: match[3]!, plain: match[1]! + statement.trim().slice(match[0].length - match[3]!.length) };
}
