-- 003: ingest/read keys, dashboard users and sessions; secrets are stored only as hashes.
CREATE TABLE IF NOT EXISTS api_keys (
  org String,
  id String,
  scope String,
  secret_hash String,
  created_at DateTime('UTC'),
  revoked UInt8,
  updated_at DateTime('UTC')
) ENGINE = ReplacingMergeTree(updated_at)
ORDER BY (org, id);

CREATE TABLE IF NOT EXISTS users (
  email String,
  org String,
  role String,
  department String,
  password_hash String,
  disabled UInt8,
  updated_at DateTime('UTC')
) ENGINE = ReplacingMergeTree(updated_at)
ORDER BY email;

CREATE TABLE IF NOT EXISTS sessions (
  id_hash String,
  email String,
  org String,
  expires_at DateTime('UTC'),
  revoked UInt8,
  updated_at DateTime('UTC')
) ENGINE = ReplacingMergeTree(updated_at)
ORDER BY id_hash;
