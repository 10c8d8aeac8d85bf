-- 002: organisations and the directory (departments, people with history by valid_from).
CREATE TABLE IF NOT EXISTS orgs (
  id String,
  name String,
  timezone String,
  created_at DateTime('UTC'),
  updated_at DateTime('UTC')
) ENGINE = ReplacingMergeTree(updated_at)
ORDER BY id;

CREATE TABLE IF NOT EXISTS departments (
  org String,
  id String,
  name String,
  parent String,
  updated_at DateTime('UTC')
) ENGINE = ReplacingMergeTree(updated_at)
ORDER BY (org, id);

CREATE TABLE IF NOT EXISTS people (
  org String,
  id String,
  valid_from Date,
  department String,
  manager String,
  level String,
  location String,
  timezone String,
  hired_at Nullable(Date),
  left_at Nullable(Date),
  licensed UInt8,
  wave String,
  ambassador UInt8,
  updated_at DateTime('UTC')
) ENGINE = ReplacingMergeTree(updated_at)
ORDER BY (org, id, valid_from);
