-- 030: the audit log (sign-ins, page and export access, settings and key changes), per-organisation privacy settings (retention) and the per-organisation secret for pseudonymising actor ids at ingest (docs/security.md).
CREATE TABLE IF NOT EXISTS audit_log (
  org String,
  time DateTime('UTC'),
  actor String,
  action String,
  target String,
  detail String,
  ip String
) ENGINE = MergeTree
PARTITION BY toYYYYMM(time)
ORDER BY (org, time, action);

CREATE TABLE IF NOT EXISTS org_privacy (
  org String,
  retention_days UInt32,
  updated_by String,
  updated_at DateTime('UTC')
) ENGINE = ReplacingMergeTree(updated_at)
ORDER BY org;

CREATE TABLE IF NOT EXISTS org_secrets (
  org String,
  purpose String,
  secret String,
  created_at DateTime('UTC')
) ENGINE = ReplacingMergeTree(created_at)
ORDER BY (org, purpose);
