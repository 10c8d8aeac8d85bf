-- 051: drops the legacy daily_active rollup; the overview reads activity_daily and headcount_daily like every other page.
DROP TABLE IF EXISTS daily_active;
