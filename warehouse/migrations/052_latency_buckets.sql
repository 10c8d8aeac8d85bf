-- 052: what makes a year of the Responsiveness and Engagement pages cheap to read (docs/schema.md).
-- response_kind_daily gains latency_buckets: how many of the row's reply or read latencies fall in each
-- band of LATENCY_BUCKETS (warehouse/queries/rollups/latency-buckets.ts), so the page's distribution
-- is a sum of arrays instead of five exact percentiles over every latency of the range. response_stage
-- (a Null table: it holds nothing) is recreated with the column, and its three views with it.
-- activity_hourly gains people_n, each row's distinct people, a cheap lower bound for the k-check of a
-- heatmap cell (a cell is shown once any of its rows has k people; only the rest merge their sets).
-- Both rollups are then rebuilt once: job_rebuilds asks for it, and job_rebuilds_done records per
-- organisation which request a job has answered (jobs/rebuild-requests.ts). A request is named by its
-- time, a constant here (the day of the change), so every server replays this migration alike.
DROP TABLE IF EXISTS response_stage_to_response_daily;

DROP TABLE IF EXISTS response_stage_to_message_daily;

DROP TABLE IF EXISTS response_stage_to_response_kind_daily;

DROP TABLE IF EXISTS response_stage;

ALTER TABLE response_kind_daily ADD COLUMN IF NOT EXISTS latency_buckets Array(UInt64) AFTER latency;

CREATE TABLE IF NOT EXISTS response_stage (
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
  latency_s AggregateFunction(quantileExact, UInt32),
  latency_buckets Array(UInt64),
  conversations AggregateFunction(uniqExact, UInt64),
  group_messages UInt64,
  replied UInt64,
  read UInt64,
  read_unreplied UInt64,
  recipients UInt64,
  reached_15m UInt64
) ENGINE = Null;

CREATE MATERIALIZED VIEW IF NOT EXISTS response_stage_to_response_daily TO response_daily AS
SELECT org, day, department, counterpart, kind, urgent, version, people, n, latency
FROM response_stage WHERE kind != 'message';

CREATE MATERIALIZED VIEW IF NOT EXISTS response_stage_to_message_daily TO message_daily AS
SELECT org, day, department, urgent, version, people, conversations, n AS messages, group_messages, replied, read, read_unreplied, recipients, reached_15m
FROM response_stage WHERE kind = 'message';

CREATE MATERIALIZED VIEW IF NOT EXISTS response_stage_to_response_kind_daily TO response_kind_daily AS
SELECT org, kind, urgent, day, department, counterpart, version, people, toUInt32(finalizeAggregation(people)) AS people_n, n, latency_s AS latency, latency_buckets
FROM response_stage WHERE kind != 'message';

DROP TABLE IF EXISTS activity_stage_to_activity_hourly;

ALTER TABLE activity_hourly ADD COLUMN IF NOT EXISTS people_n UInt32 AFTER people;

CREATE MATERIALIZED VIEW IF NOT EXISTS activity_stage_to_activity_hourly TO activity_hourly AS
SELECT org, day, substring(department_key, 2) AS department, weekday_key AS weekday, toUInt8(hour_key - 1) AS hour, version, people, toUInt32(finalizeAggregation(people)) AS people_n, events
FROM activity_stage WHERE hour_key > 0;

CREATE TABLE IF NOT EXISTS job_rebuilds (
  job String,
  requested_at DateTime('UTC')
) ENGINE = MergeTree
ORDER BY (job, requested_at);

CREATE TABLE IF NOT EXISTS job_rebuilds_done (
  org String,
  job String,
  requested_at DateTime('UTC'),
  done_at DateTime('UTC')
) ENGINE = MergeTree
ORDER BY (org, job, requested_at);

INSERT INTO job_rebuilds (job, requested_at) VALUES ('response-daily', '2026-11-26 00:00:00'), ('activity-daily', '2026-11-26 00:00:00');
