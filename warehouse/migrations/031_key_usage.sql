-- 031: when each ingest key and read token was last used (written at most once a minute per key per process), for `keys list` and the Data page.
CREATE TABLE IF NOT EXISTS key_usage (
  org String,
  key_id String,
  last_used_at DateTime('UTC')
) ENGINE = ReplacingMergeTree(last_used_at)
ORDER BY (org, key_id);
