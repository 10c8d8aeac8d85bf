// `waypoint people …`: erase one person, set an organisation's retention period, turn on
// pseudonymisation of person ids. Each action is written to the audit log as the `cli` actor.
import { parseArgs } from 'node:util';
import { setTimeout as sleep } from 'node:timers/promises';
import { dayInTimezone } from '../jobs/days.ts';
import { systemClock } from '../jobs/job.ts';
import { JOBS } from '../jobs/registry.ts';
import { runJobs } from '../jobs/run-jobs.ts';
import { audit } from '../warehouse/audit-log.ts';
import type { Warehouse } from '../warehouse/client.ts';
import { getOrg } from '../warehouse/orgs.ts';
import { erasePerson } from '../warehouse/people-erasure.ts';
import { getRetentionDays, setRetentionDays } from '../warehouse/privacy/retention.ts';
import { enablePseudonymisation, isPseudonym, pseudonymiserFor } from '../warehouse/pseudonymise.ts';

export const PEOPLE_USAGE = `  people erase --org ORG --person ID [--stored-id]
                                          (deletes the person's events and directory rows, waits for
                                           the mutations, recomputes the affected rollups; ID is the
                                           platform's id, or with --stored-id the id as stored)
  people retention --org ORG [--days N | --off]
  people pseudonymise --org ORG           (from now on, person ids are stored as keyed hashes)`;

export class PeopleUsageError extends Error {
  override name = 'UsageError';
}

// runJobs answers an empty list while another runner holds the job lock; wait for it this long.
const LOCK_WAIT_MS = 10 * 60_000;

function parse(tokens: string[]) {
  return parseArgs({
    args: tokens,
    options: {
      org: { type: 'string' },
      person: { type: 'string' },
      'stored-id': { type: 'boolean' },
      days: { type: 'string' },
      off: { type: 'boolean' },
    },
    strict: true,
  }).values;
}

function requiredOption(value: string | undefined, name: string): string {
  if (value === undefined || value === '') throw new PeopleUsageError(`missing --${name}`);
  return value;
}

export async function peopleCommand(warehouse: Warehouse, sub: string | undefined, tokens: string[], log: (line: string) => void): Promise<number> {
  const v = parse(tokens);
  const org = await getOrg(warehouse, requiredOption(v.org, 'org'));
  switch (sub) {
    case 'erase': {
      const given = requiredOption(v.person, 'person');
      const pseudonymiser = await pseudonymiserFor(warehouse, org.id);
      // With pseudonymisation on, the warehouse holds the keyed hash of the platform's id.
      const person = v['stored-id'] || !pseudonymiser || isPseudonym(given) ? given : pseudonymiser(given);
      const affects = {
        back: Math.max(0, ...JOBS.map((j) => j.affects?.back ?? 0)),
        forward: Math.max(0, ...JOBS.map((j) => j.affects?.forward ?? 0)),
      };
      const result = await erasePerson(warehouse, org.id, person, {
        today: dayInTimezone(Date.now(), org.timezone),
        affects,
        recompute: async (range) => {
          log(`recomputing rollups for ${range.from}..${range.to}`);
          const deadline = Date.now() + LOCK_WAIT_MS;
          for (;;) {
            const results = await runJobs({ warehouse, clock: systemClock, log }, { range });
            const failed = results.filter((r) => r.error);
            if (failed.length > 0) throw new Error(`rollups failed to recompute: ${failed.map((r) => `${r.job}: ${r.error}`).join('; ')}`);
            if (results.length > 0) return;
            if (Date.now() > deadline) throw new Error('the job lock stayed busy; run `waypoint jobs run --from … --to …` for the range above');
            await sleep(5000);
          }
        },
      });
      console.log(
        result.events === 0 && result.directoryRows === 0
          ? `nothing stored for that person in ${org.id}`
          : `erased ${result.events} events and ${result.directoryRows} directory rows from ${org.id}` +
              (result.recomputed ? `; rollups recomputed for ${result.recomputed.from}..${result.recomputed.to}` : ''),
      );
      return 0;
    }
    case 'retention': {
      if (v.off) {
        await setRetentionDays(warehouse, org.id, undefined, 'cli');
      } else if (v.days !== undefined) {
        const days = Number(v.days);
        await setRetentionDays(warehouse, org.id, days, 'cli');
      } else {
        const days = await getRetentionDays(warehouse, org.id);
        console.log(days === undefined ? `${org.id}: no retention period (events are kept)` : `${org.id}: events are kept for ${days} days`);
        return 0;
      }
      const days = await getRetentionDays(warehouse, org.id);
      await audit(warehouse, { org: org.id, actor: 'cli', action: 'retention.set', target: 'retention', detail: { days: days ?? null } });
      console.log(days === undefined ? `${org.id}: retention off` : `${org.id}: events older than ${days} days are deleted by the retention job`);
      return 0;
    }
    case 'pseudonymise': {
      const created = await enablePseudonymisation(warehouse, org.id);
      if (created) await audit(warehouse, { org: org.id, actor: 'cli', action: 'pseudonymisation.enable', target: 'org_secrets' });
      console.log(created ? `${org.id}: person ids will be pseudonymised at ingest` : `${org.id}: already pseudonymised (secret kept)`);
      return 0;
    }
    default:
      throw new PeopleUsageError(`usage:\n${PEOPLE_USAGE}`);
  }
}
