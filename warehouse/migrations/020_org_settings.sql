-- 020: organisation settings (rollout plan, KPI targets, ROI assumptions); every save is a new version row, so the table is also the audit trail of who changed what and when.
CREATE TABLE IF NOT EXISTS org_settings (
  org String,
  section String,
  version UInt32,
  body String,
  changed_by String,
  changed_at DateTime('UTC'),
  note String
) ENGINE = MergeTree
ORDER BY (org, section, version);
