-- 050: the collector's ingestion counters per organisation and minute (accepted, rejected and refused by reason code, flush errors, spool backlog), written every COLLECTOR_STATS_INTERVAL_MS by collector/ingest-stats.ts for the Data page.
CREATE TABLE IF NOT EXISTS ingest_stats (
  org String,
  minute DateTime('UTC'),
  collector String,
  metric {{LowCardinalityString}},
  reason {{LowCardinalityString}},
  value UInt64
) ENGINE = MergeTree
PARTITION BY toYYYYMM(minute)
ORDER BY (org, minute, metric, reason, collector);
