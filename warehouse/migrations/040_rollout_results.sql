-- 040: the rollout job's stored results (diagnose, KPIs, pilot vs control, adoption, ambassadors, integration, optimisation, stage gates, ROI): one row per organisation × section per computation, the body a JSON document validated by contracts/rollout.ts; readers take the latest with argMax(…, version), and ReplacingMergeTree(version) lets superseded rows merge away.
-- {{LowCardinalityString}} is String on 18.16 and LowCardinality(String) on a current server (warehouse/ddl-variant.ts).
CREATE TABLE IF NOT EXISTS rollout_results (
  org String,
  section {{LowCardinalityString}},
  version UInt64,
  computed_at DateTime('UTC'),
  settings_version String,
  range_from Date,
  range_to Date,
  body String
) ENGINE = ReplacingMergeTree(version)
ORDER BY (org, section);
