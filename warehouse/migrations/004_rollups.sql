-- 004: rollups written by jobs, and the job_runs log. Each job run writes a complete set of rows per day, stamped with computed_at; readers take the latest set.
CREATE TABLE IF NOT EXISTS daily_active (
  org String,
  day Date,
  department String,
  active_users UInt32,
  licensed UInt32,
  computed_at DateTime('UTC')
) ENGINE = ReplacingMergeTree(computed_at)
ORDER BY (org, day, department);

CREATE TABLE IF NOT EXISTS job_runs (
  org String,
  job String,
  run_id String,
  range_from Date,
  range_to Date,
  started_at DateTime('UTC'),
  finished_at DateTime('UTC'),
  status String,
  rows UInt64,
  error String
) ENGINE = MergeTree
ORDER BY (org, job, started_at);
