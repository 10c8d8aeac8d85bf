-- 005: the metric rollups written by jobs (docs/schema.md). Every job run writes a complete set of rows for each day it covers, stamped with one version; rollup_versions names the live version per rollup and day, so readers ignore older sets and a day recomputed to nothing reads as empty. response_daily and message_daily are written together through message_stage (a Null table and two materialized views), so their shared message facts are computed once; their people and conversation sets hold 64-bit hashes of the ids, which merge several times faster than strings.
CREATE TABLE IF NOT EXISTS rollup_versions (
  org String,
  rollup String,
  day Date,
  version UInt64,
  computed_at DateTime('UTC')
) ENGINE = ReplacingMergeTree(version)
ORDER BY (org, rollup, day);

CREATE TABLE IF NOT EXISTS activity_daily (
  org String,
  day Date,
  department String,
  version UInt64,
  people AggregateFunction(uniqExact, String),
  licensed_people AggregateFunction(uniqExactIf, String, UInt8),
  events UInt64,
  after_hours UInt64,
  weekend UInt64
) ENGINE = ReplacingMergeTree(version)
PARTITION BY toYYYYMM(day)
ORDER BY (org, day, department);

CREATE TABLE IF NOT EXISTS headcount_daily (
  org String,
  day Date,
  department String,
  version UInt64,
  licensed UInt32,
  employed UInt32
) ENGINE = ReplacingMergeTree(version)
PARTITION BY toYYYYMM(day)
ORDER BY (org, day, department);

CREATE TABLE IF NOT EXISTS response_daily (
  org String,
  day Date,
  department String,
  counterpart String,
  kind String,
  urgent UInt8,
  version UInt64,
  people AggregateFunction(uniqExact, UInt64),
  n UInt64,
  latency AggregateFunction(quantileExact, Float64)
) ENGINE = ReplacingMergeTree(version)
PARTITION BY toYYYYMM(day)
ORDER BY (org, day, department, counterpart, kind, urgent);

CREATE TABLE IF NOT EXISTS message_daily (
  org String,
  day Date,
  department String,
  urgent UInt8,
  version UInt64,
  people AggregateFunction(uniqExact, UInt64),
  conversations AggregateFunction(uniqExact, UInt64),
  messages UInt64,
  group_messages UInt64,
  replied UInt64,
  read UInt64,
  read_unreplied UInt64,
  recipients UInt64,
  reached_15m UInt64
) ENGINE = ReplacingMergeTree(version)
PARTITION BY toYYYYMM(day)
ORDER BY (org, day, department, urgent);

CREATE TABLE IF NOT EXISTS message_stage (
  org String,
  day Date,
  department String,
  counterpart String,
  kind String,
  urgent UInt8,
  version UInt64,
  people AggregateFunction(uniqExact, UInt64),
  n UInt64,
  latency AggregateFunction(quantileExact, Float64),
  conversations AggregateFunction(uniqExact, UInt64),
  group_messages UInt64,
  replied UInt64,
  read UInt64,
  read_unreplied UInt64,
  recipients UInt64,
  reached_15m UInt64
) ENGINE = Null;

CREATE MATERIALIZED VIEW IF NOT EXISTS message_stage_to_response_daily TO response_daily AS
SELECT org, day, department, counterpart, kind, urgent, version, people, n, latency
FROM message_stage WHERE kind != 'message';

CREATE MATERIALIZED VIEW IF NOT EXISTS message_stage_to_message_daily TO message_daily AS
SELECT org, day, department, urgent, version, people, conversations, n AS messages, group_messages, replied, read, read_unreplied, recipients, reached_15m
FROM message_stage WHERE kind = 'message';

CREATE TABLE IF NOT EXISTS approval_daily (
  org String,
  day Date,
  department String,
  kind String,
  version UInt64,
  people AggregateFunction(uniqExact, String),
  n UInt64,
  automated UInt64,
  cycle AggregateFunction(quantileExact, Float64)
) ENGINE = ReplacingMergeTree(version)
PARTITION BY toYYYYMM(day)
ORDER BY (org, day, department, kind);

CREATE TABLE IF NOT EXISTS task_daily (
  org String,
  day Date,
  department String,
  version UInt64,
  people AggregateFunction(uniqExact, String),
  created UInt64,
  completed_7d UInt64,
  completed UInt64,
  cycle AggregateFunction(quantileExact, Float64)
) ENGINE = ReplacingMergeTree(version)
PARTITION BY toYYYYMM(day)
ORDER BY (org, day, department);

CREATE TABLE IF NOT EXISTS meeting_daily (
  org String,
  day Date,
  department String,
  version UInt64,
  people AggregateFunction(uniqExact, String),
  attendee_seconds UInt64,
  meetings UInt64,
  meeting_seconds UInt64
) ENGINE = ReplacingMergeTree(version)
PARTITION BY toYYYYMM(day)
ORDER BY (org, day, department);

CREATE TABLE IF NOT EXISTS doc_weekly (
  org String,
  day Date,
  department String,
  version UInt64,
  people AggregateFunction(uniqExact, String),
  docs AggregateFunction(uniqExact, String),
  coedited AggregateFunction(uniqExact, String)
) ENGINE = ReplacingMergeTree(version)
PARTITION BY toYYYYMM(day)
ORDER BY (org, day, department);

CREATE TABLE IF NOT EXISTS adoption_people (
  org String,
  person String,
  version UInt64,
  department String,
  wave String,
  invited Nullable(Date),
  wave_start Nullable(Date),
  activated Nullable(Date),
  weekly_active Nullable(Date),
  habitual Nullable(Date)
) ENGINE = ReplacingMergeTree(version)
ORDER BY (org, person);

CREATE TABLE IF NOT EXISTS waves (
  org String,
  wave String,
  start_day Date,
  updated_at DateTime('UTC')
) ENGINE = ReplacingMergeTree(updated_at)
ORDER BY (org, wave);
