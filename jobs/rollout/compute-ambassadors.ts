// Step 3 — ambassador reach: for each department with ambassadors, the share of its other licensed
// people activated within 14 days of their first interaction with one of the department's
// ambassadors. An interaction is the ambassador writing in a conversation the colleague takes part in
// (on the day of the ambassador's first message there); a colleague already active before that day
// was not reached by the ambassador and does not count.
import { z } from 'zod';
import type { RolloutBody } from '../../contracts/rollout.ts';
import type { Warehouse } from '../../warehouse/client.ts';
import { sql, timezone } from '../../warehouse/sql.ts';
import { addDays } from '../days.ts';
import { liveAdoption } from './live-rows.ts';
import type { RolloutContext } from './rollout-context.ts';

export const REACH_WINDOW_DAYS = 14;

const personRow = z.object({ id: z.string(), department: z.string(), licensed: z.coerce.number() });
const activatedRow = z.object({ person: z.string(), activated: z.string() });
const interactionRow = z.object({ person: z.string(), adept: z.string(), first: z.string() });

export interface AmbassadorInputs {
  /** Current department and licence of every person. */
  people: readonly { id: string; department: string; licensed: number }[];
  ambassadors: readonly string[];
  /** Activation day per person (first active day). */
  activated: ReadonlyMap<string, string>;
  /** First interaction day per colleague with an ambassador of a given department. */
  interactions: readonly { person: string; adept: string; first: string }[];
}

/** The pure part: counts per department, from the inputs above. */
export function ambassadorReach(input: AmbassadorInputs, windowDays = REACH_WINDOW_DAYS): RolloutBody<'ambassadors'> {
  const ambassadors = new Set(input.ambassadors);
  const departmentOf = new Map(input.people.map((p) => [p.id, p.department]));
  const firstByPerson = new Map<string, string>();
  for (const i of input.interactions) {
    // Only an ambassador of the colleague's own department counts.
    if (departmentOf.get(i.person) !== i.adept) continue;
    const seen = firstByPerson.get(i.person);
    if (!seen || i.first < seen) firstByPerson.set(i.person, i.first);
  }
  const byDepartment = new Map<string, { ambassadors: number; colleagues: number; interacted: number; reached: number }>();
  const row = (d: string) => {
    let r = byDepartment.get(d);
    if (!r) byDepartment.set(d, (r = { ambassadors: 0, colleagues: 0, interacted: 0, reached: 0 }));
    return r;
  };
  for (const p of input.people) {
    if (ambassadors.has(p.id)) {
      row(p.department).ambassadors++;
      continue;
    }
    if (p.licensed !== 1) continue;
    const r = row(p.department);
    r.colleagues++;
    const first = firstByPerson.get(p.id);
    if (first === undefined) continue;
    r.interacted++;
    const activated = input.activated.get(p.id);
    if (activated !== undefined && activated >= first && activated <= addDays(first, windowDays)) r.reached++;
  }
  return {
    windowDays,
    departments: [...byDepartment.entries()]
      .filter(([, r]) => r.ambassadors > 0)
      .map(([department, r]) => ({ department, ...r, reach: r.colleagues > 0 ? r.reached / r.colleagues : null, people: r.colleagues }))
      .sort((a, b) => a.department.localeCompare(b.department)),
  };
}

export async function computeAmbassadors(warehouse: Warehouse, ctx: RolloutContext, tz: string): Promise<RolloutBody<'ambassadors'>> {
  const org = ctx.org;
  const people = await warehouse.query(
    sql`SELECT id, argMax(department, valid_from) AS department, argMax(licensed, valid_from) AS licensed FROM people FINAL WHERE org = ${org} GROUP BY id ORDER BY id`,
    personRow,
    { org },
  );
  const departmentOf = new Map(people.map((p) => [p.id, p.department]));
  const ambassadors = ctx.ambassadors.filter((a) => departmentOf.has(a));
  if (ambassadors.length === 0) return { windowDays: REACH_WINDOW_DAYS, departments: [] };
  const ambassadorDepartments = ambassadors.map((a) => departmentOf.get(a) ?? '');
  const zone = timezone(tz);
  const [activated, interactions] = await Promise.all([
    warehouse.query(
      sql`SELECT person, toString(activated) AS activated FROM adoption_people WHERE org = ${org} AND ${liveAdoption(org)} AND activated IS NOT NULL ORDER BY person`,
      activatedRow,
      { org },
    ),
    // Sets built once (`IN (SELECT arrayJoin(…))`) rather than has(list, actor) per event, and only the
    // conversations an ambassador wrote in are scanned for colleagues: at 4 M events the plain
    // DISTINCT over every (actor, conversation) took 10 s, most of the job.
    warehouse.query(
      sql`SELECT person, adept, toString(min(ad)) AS first FROM (
            SELECT DISTINCT actor AS person, conversation FROM events
            WHERE org = ${org} AND automated = 0 AND actor NOT IN (SELECT arrayJoin(${ambassadors}))
              AND conversation IN (
                SELECT conversation FROM events
                WHERE org = ${org} AND type = 'message.sent' AND conversation != '' AND actor IN (SELECT arrayJoin(${ambassadors})))
          ) AS colleague_conversations
          ALL INNER JOIN (
            SELECT conversation, transform(actor, ${ambassadors}, ${ambassadorDepartments}, '') AS adept, min(toDate(time, ${zone})) AS ad FROM events
            WHERE org = ${org} AND type = 'message.sent' AND conversation != '' AND actor IN (SELECT arrayJoin(${ambassadors}))
            GROUP BY conversation, adept
          ) AS ambassador_conversations USING conversation
          GROUP BY person, adept ORDER BY person, adept`,
      interactionRow,
      { org },
    ),
  ]);
  return ambassadorReach({ people, ambassadors, activated: new Map(activated.map((a) => [a.person, a.activated])), interactions });
}
