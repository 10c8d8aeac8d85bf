-- 006: the job runner's lock. A holder claims with a row stamped by the server clock and renews its expiry by heartbeat; a crashed holder's claim simply expires.
CREATE TABLE IF NOT EXISTS job_locks (
  name String,
  holder String,
  claimed_at DateTime('UTC'),
  expires_at DateTime('UTC'),
  version UInt64
) ENGINE = ReplacingMergeTree(version)
ORDER BY (name, holder);
