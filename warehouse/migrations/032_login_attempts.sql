-- 032: sign-in attempts, keyed by a sha256 of the e-mail or client address, so every dashboard replica counts toward one lockout (docs/security.md). Append-only, as 18.16 has no UPDATE: an attempt is written before its password is checked (outcome 0); a success clears the e-mail (1) and releases the attempt from the address (2); the lockout is replayed from the rows of the last window.
CREATE TABLE IF NOT EXISTS login_attempts (
  key_hash String,
  kind String,
  outcome UInt8,
  attempt_id String,
  at DateTime('UTC'),
  at_ms UInt64
) ENGINE = MergeTree
PARTITION BY toYYYYMM(at)
ORDER BY (key_hash, at_ms);
