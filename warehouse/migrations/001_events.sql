-- 001: the raw events table, one row per contract event; re-sent ids collapse on merge, and every metric counts distinct ids.
-- {{LowCardinalityString}} is String on 18.16 and LowCardinality(String) on a current server (warehouse/ddl-variant.ts).
CREATE TABLE IF NOT EXISTS events (
  id UUID,
  org String,
  type {{LowCardinalityString}},
  time DateTime('UTC'),
  time_ms UInt16,
  actor String,
  conversation String,
  object String,
  parent String,
  channel {{LowCardinalityString}},
  source {{LowCardinalityString}},
  urgent UInt8,
  recipients UInt32,
  kind {{LowCardinalityString}},
  outcome {{LowCardinalityString}},
  amount Float64,
  duration_sec UInt32,
  attendees UInt32,
  automated UInt8,
  received_at DateTime('UTC')
) ENGINE = ReplacingMergeTree(received_at)
PARTITION BY toYYYYMM(time)
ORDER BY (org, toDate(time), type, id);
