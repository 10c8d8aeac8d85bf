// Job: enforce each organisation's retention period (18.16 has no TTL) by deleting its events from
// before the cutoff day. Cheap when there is nothing to delete, so it can ride along with every
// scheduled run; register it LAST in jobs/registry.ts so a run's rollups are computed first.
import { audit } from '../warehouse/audit-log.ts';
import { dropExpiredPartitions, KEEP_MONTHS, type HousekeptTable } from '../warehouse/privacy/housekeeping.ts';
import { getRetentionDays, purgeEventsBefore } from '../warehouse/privacy/retention.ts';
import { addDays, dayInTimezone } from './days.ts';
import type { Job } from './job.ts';

export const retentionJob: Job = {
  name: 'retention',
  schedule: '43 3 * * *',
  // The range is ignored: the cutoff comes from the clock and the organisation's setting.
  async run(deps, org) {
    // Sign-in attempts and ingestion counters are kept for a fixed window whatever the organisation's
    // setting (they are operational, not people-level history); dropping is idempotent across orgs.
    for (const table of Object.keys(KEEP_MONTHS) as HousekeptTable[]) {
      const dropped = await dropExpiredPartitions(deps.warehouse, table, deps.clock.now());
      if (dropped.length > 0) deps.log(`retention: dropped ${table} partitions ${dropped.join(', ')}`);
    }
    const days = await getRetentionDays(deps.warehouse, org.id);
    if (days === undefined) return 0;
    const today = dayInTimezone(deps.clock.now(), org.timezone);
    const cutoff = addDays(today, -days);
    const purged = await purgeEventsBefore(deps.warehouse, org, cutoff);
    if (purged > 0) {
      deps.log(`retention: deleting ${purged} events of ${org.id} from before ${cutoff} (${days} days)`);
      await audit(deps.warehouse, { org: org.id, actor: 'system', action: 'retention.purge', target: 'events', detail: { cutoff, days, events: purged } });
    }
    return purged;
  },
};
