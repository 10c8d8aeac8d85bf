import { describe, expect, it } from 'vitest';
import { DdlVariantError, ddlFeatures, parseAddColumnIfNotExists, parseServerVersion, renderDdl } from '../../warehouse/ddl-variant.ts';

const TEMPLATE = 'CREATE TABLE t (type {{LowCardinalityString}}, time DateTime{{CodecDeltaZSTD}}, body String{{ CodecZSTD }}) ENGINE = MergeTree ORDER BY type';

describe('parseServerVersion', () => {
  it('reads the versions servers report', () => {
    expect(parseServerVersion('18.16.1')).toEqual([18, 16]);
    expect(parseServerVersion('26.9.2.1')).toEqual([26, 9]);
    expect(parseServerVersion('24.8.4.13-lts')).toEqual([24, 8]);
    expect(parseServerVersion('23.3')).toEqual([23, 3]);
  });

  it('refuses anything else instead of guessing', () => {
    for (const bad of ['', 'latest', '18', 'v26.9.2.1', '26.x']) {
      expect(() => parseServerVersion(bad), bad).toThrow(DdlVariantError);
    }
  });
});

describe('ddlFeatures', () => {
  it('gives Debian 18.16 none of the newer DDL', () => {
    expect(ddlFeatures('18.16.1')).toEqual({ lowCardinality: false, codecs: false, ttl: false, skipIndexes: false, addColumnIfNotExists: false });
  });

  it('gives a current server (the one chDB embeds) all of it', () => {
    expect(ddlFeatures('26.9.2.1')).toEqual({ lowCardinality: true, codecs: true, ttl: true, skipIndexes: true, addColumnIfNotExists: true });
  });

  it('switches at 20.3 LTS, comparing minor versions numerically', () => {
    expect(ddlFeatures('20.2.1').codecs).toBe(false);
    expect(ddlFeatures('19.17.4').lowCardinality).toBe(false);
    expect(ddlFeatures('20.3.21.2').codecs).toBe(true);
    expect(ddlFeatures('20.10.1').codecs).toBe(true);
  });
});

describe('renderDdl', () => {
  it('renders plain types and no codecs for 18.16', () => {
    expect(renderDdl(TEMPLATE, ddlFeatures('18.16.1'))).toBe(
      'CREATE TABLE t (type String, time DateTime, body String) ENGINE = MergeTree ORDER BY type',
    );
  });

  it('renders LowCardinality and codecs for a current server', () => {
    expect(renderDdl(TEMPLATE, ddlFeatures('26.9.2.1'))).toBe(
      'CREATE TABLE t (type LowCardinality(String), time DateTime CODEC(Delta, ZSTD(1)), body String CODEC(ZSTD(1))) ENGINE = MergeTree ORDER BY type',
    );
  });

  it('leaves statements without placeholders, and ClickHouse macros in single braces, alone', () => {
    const replicated = "ENGINE = ReplicatedMergeTree('/clickhouse/tables/{shard}/events', '{replica}')";
    expect(renderDdl(replicated, ddlFeatures('26.9.2.1'))).toBe(replicated);
  });

  it('refuses an unknown placeholder, naming it', () => {
    expect(() => renderDdl('a {{LowCardinalityStrnig}}', ddlFeatures('18.16.1'))).toThrow(/LowCardinalityStrnig/);
  });
});

describe('parseAddColumnIfNotExists', () => {
  it('names the table and column and gives the form 18.16 parses', () => {
    expect(parseAddColumnIfNotExists('ALTER TABLE activity_hourly ADD COLUMN IF NOT EXISTS people_n UInt32 AFTER people')).toEqual({
      table: 'activity_hourly',
      column: 'people_n',
      plain: 'ALTER TABLE activity_hourly ADD COLUMN people_n UInt32 AFTER people',
    });
  });

  it('leaves every other statement alone', () => {
    expect(parseAddColumnIfNotExists('ALTER TABLE t ADD COLUMN c UInt8')).toBeUndefined();
    expect(parseAddColumnIfNotExists('CREATE TABLE IF NOT EXISTS t (a UInt8) ENGINE = Log')).toBeUndefined();
  });
});
