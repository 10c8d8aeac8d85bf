// The simulated organisation: departments, people with their attributes and history (hires, leavers,
// a department move), adoption dates per wave, and the directory the collector receives.
import type { DirectoryInput } from '../contracts/directory.ts';
import { hashString, Random } from './random.ts';
import type { Scenario } from './scenario.ts';
import { dateOfDayNumber, dayNumberOf, ZoneClock, MS_PER_DAY } from './zone-clock.ts';

export interface SimDepartment {
  index: number;
  id: string;
  name: string;
  parent: string | null;
  staffed: boolean;
  wave: number;
  resistance: number;
  regression: { fromDay: number; factor: number } | undefined;
  partners: number[];
  sendsUrgentNotices: boolean;
  receivesAlerts: boolean;
  location: number;
  hasAmbassadors: boolean;
}

export interface SimPerson {
  index: number;
  id: string;
  /** Department before any move, and after `moveDay` (simulation day index). */
  department: number;
  moveDay: number;
  movedTo: number;
  location: number;
  clock: ZoneClock;
  /** Simulation day indexes: employed on days hiredDay <= d < leftDay. */
  hiredDay: number;
  leftDay: number;
  licensed: boolean;
  wave: number;
  ambassador: boolean;
  level: string;
  manager: number;
  isHead: boolean;
  activity: number;
  responsiveness: number;
  neverReads: boolean;
  afterHours: number;
  /** Simulation day index of activation on the platform; Infinity when never. */
  activationDay: number;
  /** Day index this person was last decided to be on the platform, and whether they were. */
  stateDay: number;
  activeToday: boolean;
}

export interface Organisation {
  scenario: Scenario;
  org: string;
  /** Day number (days since 1970-01-01) of simulation day 0. */
  startDay: number;
  days: number;
  departments: SimDepartment[];
  people: SimPerson[];
  clocks: ZoneClock[];
  orgClock: ZoneClock;
  locations: { id: string; name: string; timezone: string; clock: ZoneClock }[];
  waveStarts: number[];
  waveIds: string[];
  holidays: Set<number>;
  directory: DirectoryInput;
}

const LEVELS_IC = ['IC1', 'IC2', 'IC3', 'IC4'] as const;

/** Splits `total` across weights by largest remainder (deterministic). */
function apportion(total: number, weights: number[]): number[] {
  const sum = weights.reduce((a, b) => a + b, 0);
  const exact = weights.map((w) => (sum > 0 ? (w / sum) * total : 0));
  const counts = exact.map((x) => Math.floor(x));
  let left = total - counts.reduce((a, b) => a + b, 0);
  const order = exact.map((x, i) => ({ i, r: x - Math.floor(x) })).sort((a, b) => b.r - a.r || a.i - b.i);
  for (const { i } of order) {
    if (left <= 0) break;
    if ((weights[i] ?? 0) > 0) {
      counts[i] = (counts[i] ?? 0) + 1;
      left--;
    }
  }
  // Every staffed department gets at least 2 people, taken from the largest.
  for (let i = 0; i < counts.length; i++) {
    while ((weights[i] ?? 0) > 0 && (counts[i] ?? 0) < 2) {
      let largest = 0;
      for (let j = 1; j < counts.length; j++) if ((counts[j] ?? 0) > (counts[largest] ?? 0)) largest = j;
      if ((counts[largest] ?? 0) <= 2) break;
      counts[largest] = (counts[largest] ?? 0) - 1;
      counts[i] = (counts[i] ?? 0) + 1;
    }
  }
  return counts;
}

export function buildOrganisation(scenario: Scenario, seed: number, org: string): Organisation {
  const random = new Random(seed, `organisation/${scenario.name}/${org}`);
  const startDay = dayNumberOf(scenario.start);
  const days = scenario.days;
  const fromMs = startDay * MS_PER_DAY - 3 * MS_PER_DAY;
  const toMs = (startDay + days + 45) * MS_PER_DAY;

  const clockByZone = new Map<string, ZoneClock>();
  const clockOf = (tz: string): ZoneClock => {
    let clock = clockByZone.get(tz);
    if (!clock) {
      clock = new ZoneClock(tz, fromMs, toMs);
      clockByZone.set(tz, clock);
    }
    return clock;
  };
  const orgClock = clockOf(scenario.timezone);
  const locations = scenario.locations.map((l) => ({ ...l, clock: clockOf(l.timezone) }));
  const locationIndex = new Map(scenario.locations.map((l, i) => [l.id, i]));
  const waveIds = scenario.waves.map((w) => w.id);
  const waveIndex = new Map(waveIds.map((w, i) => [w, i]));
  const deptIndex = new Map(scenario.departments.map((d, i) => [d.id, i]));

  const departments: SimDepartment[] = scenario.departments.map((d, index) => {
    const wave = d.wave === null ? -1 : (waveIndex.get(d.wave) ?? -1);
    return {
      index,
      id: d.id,
      name: d.name,
      parent: d.parent,
      staffed: d.size > 0,
      wave,
      resistance: d.resistance,
      regression: d.regression,
      partners: d.partners.map((p) => deptIndex.get(p) ?? 0),
      sendsUrgentNotices: d.sendsUrgentNotices,
      receivesAlerts: d.receivesAlerts,
      location: d.location === undefined ? 0 : (locationIndex.get(d.location) ?? 0),
      hasAmbassadors: wave >= 0 && (scenario.waves[wave]?.ambassadorShare ?? 0) > 0,
    };
  });

  const counts = apportion(
    scenario.people,
    scenario.departments.map((d) => d.size),
  );
  const w = scenario.workforce;
  const usedIds = new Set<string>();
  const people: SimPerson[] = [];

  const newPersonId = (index: number): string => {
    // Pseudonymous: a hash of org, seed and index, never a name.
    let salt = 0;
    for (;;) {
      const h = hashString(`${org}/${seed}/${index}/${salt}`);
      const id = `u${h.toString(36).padStart(7, '0')}`;
      if (!usedIds.has(id)) {
        usedIds.add(id);
        return id;
      }
      salt++;
    }
  };

  const makePerson = (department: number, hiredDay: number, isHead: boolean): SimPerson => {
    const dept = departments[department] as SimDepartment;
    const remote = random.chance(w.remoteShare) && locations.length > 1;
    const location = remote ? random.int(locations.length) : dept.location;
    const index = people.length;
    const person: SimPerson = {
      index,
      id: newPersonId(index),
      department,
      moveDay: Number.POSITIVE_INFINITY,
      movedTo: department,
      location,
      clock: (locations[location] as (typeof locations)[number]).clock,
      hiredDay,
      leftDay: Number.POSITIVE_INFINITY,
      licensed: isHead || !random.chance(w.unlicensedShare),
      wave: dept.wave,
      ambassador: false,
      level: isHead ? 'M3' : (LEVELS_IC[Math.min(3, Math.floor(random.next() * random.next() * 5))] as string),
      manager: -1,
      isHead,
      activity: random.logNormal(1, 0.35),
      responsiveness: random.logNormal(1, 0.45),
      neverReads: !isHead && random.chance(w.neverReadShare),
      afterHours: Math.min(0.5, random.logNormal(w.afterHoursShare, 0.6)),
      activationDay: Number.POSITIVE_INFINITY,
      stateDay: -1,
      activeToday: false,
    };
    people.push(person);
    return person;
  };

  // Staff, heads first; team leads every 8 people report to the head, the rest to a lead.
  const staffByDept: SimPerson[][] = departments.map(() => []);
  departments.forEach((dept, d) => {
    const n = counts[d] ?? 0;
    for (let k = 0; k < n; k++) {
      const hiredDay = -1 - random.int(8 * 365);
      const person = makePerson(d, hiredDay, k === 0);
      (staffByDept[d] as SimPerson[]).push(person);
    }
    void dept;
  });
  for (const staff of staffByDept) {
    const head = staff[0];
    if (!head) continue;
    const leads: SimPerson[] = [];
    staff.forEach((p, k) => {
      if (k === 0) return;
      if (staff.length > 9 && k % 8 === 1) {
        p.level = 'M1';
        p.manager = head.index;
        leads.push(p);
      } else {
        p.manager = leads.length > 0 ? (leads[leads.length - 1] as SimPerson).index : head.index;
      }
    });
  }
  // A head reports to the head of the nearest staffed ancestor department.
  for (const dept of departments) {
    const head = staffByDept[dept.index]?.[0];
    if (!head) continue;
    let parent = dept.parent;
    while (parent !== null) {
      const p = deptIndex.get(parent) ?? -1;
      const parentHead = staffByDept[p]?.[0];
      if (parentHead && parentHead !== head) {
        head.manager = parentHead.index;
        break;
      }
      parent = departments[p]?.parent ?? null;
    }
  }

  // Ambassadors: a share of each wave's people, chosen among the licensed non-heads.
  for (const staff of staffByDept) {
    for (const p of staff) {
      const share = scenario.waves[p.wave]?.ambassadorShare ?? 0;
      if (!p.isHead && p.licensed && random.chance(share)) p.ambassador = true;
    }
  }

  // Leavers, each replaced by a hire some days later in the same department and role.
  const initial = people.length;
  const leavers = Math.round((initial * w.turnoverPerYear * days) / 365);
  for (let k = 0; k < leavers; k++) {
    const leaver = people[random.int(initial)] as SimPerson;
    if (leaver.isHead || leaver.leftDay !== Number.POSITIVE_INFINITY) continue;
    // Leave early enough for most replacements to start within the study.
    const leftDay = 1 + random.int(Math.max(1, days - 20));
    leaver.leftDay = leftDay;
    const hiredDay = leftDay + 5 + random.int(14);
    if (hiredDay < days) {
      const hire = makePerson(leaver.department, hiredDay, false);
      hire.manager = leaver.manager;
      hire.level = 'IC1';
    }
  }

  // Department moves: everyone in `from` belongs to `to` from the move day on.
  for (const move of scenario.moves) {
    const from = deptIndex.get(move.from) ?? -1;
    const to = deptIndex.get(move.to) ?? -1;
    if (move.day <= 0 || move.day >= days) continue;
    for (const p of people) {
      if (p.department !== from) continue;
      if (p.hiredDay >= move.day) {
        // Hired after the move: joins the new department directly.
        p.department = to;
        p.movedTo = to;
      } else if (p.leftDay > move.day) {
        p.moveDay = move.day;
        p.movedTo = to;
      }
    }
  }

  // Activation: some days after the wave starts (or the hire), later with resistance, never for some.
  const a = scenario.adoption;
  const waveStarts = scenario.waves.map((wv) => wv.startDay);
  for (const p of people) {
    const dept = departments[p.department] as SimDepartment;
    const waveStart = waveStarts[p.wave] ?? Number.POSITIVE_INFINITY;
    const from = Math.max(waveStart, p.hiredDay);
    const never = !p.licensed || (!p.isHead && !p.ambassador && random.chance(Math.min(0.9, a.neverShare * (1 + 4 * dept.resistance))));
    if (never) continue;
    if (p.isHead || p.ambassador) p.activationDay = Math.max(waveStart, p.hiredDay);
    else p.activationDay = from + Math.floor(random.logNormal(a.activationMedianDays * (1 + 2 * dept.resistance), 0.9));
  }

  const directory = buildDirectory(org, scenario, startDay, departments, people);
  return {
    scenario,
    org,
    startDay,
    days,
    departments,
    people,
    clocks: [...clockByZone.values()],
    orgClock,
    locations,
    waveStarts,
    waveIds,
    holidays: new Set(scenario.holidays.map(dayNumberOf)),
    directory,
  };
}

function buildDirectory(org: string, scenario: Scenario, startDay: number, departments: SimDepartment[], people: SimPerson[]): DirectoryInput {
  const date = (simDay: number) => dateOfDayNumber(startDay + simDay);
  const records: NonNullable<DirectoryInput['people']> = [];
  for (const p of people) {
    const base = {
      id: p.id,
      department: (departments[p.department] as SimDepartment).id,
      manager: p.manager >= 0 ? (people[p.manager] as SimPerson).id : null,
      level: p.level,
      location: scenario.locations[p.location]?.name ?? null,
      timezone: p.clock.timezone,
      hiredAt: date(p.hiredDay),
      leftAt: Number.isFinite(p.leftDay) ? date(p.leftDay) : null,
      licensed: p.licensed,
      wave: scenario.waves[p.wave]?.id ?? null,
      ambassador: p.ambassador,
      validFrom: date(p.hiredDay),
    };
    records.push(base);
    if (Number.isFinite(p.moveDay)) {
      records.push({ ...base, department: (departments[p.movedTo] as SimDepartment).id, validFrom: date(p.moveDay) });
    }
  }
  return {
    org,
    departments: departments.map((d) => ({ id: d.id, name: d.name, parent: d.parent })),
    people: records,
  };
}

/** The department a person belongs to on a simulation day. */
export function departmentOn(person: SimPerson, simDay: number): number {
  return simDay >= person.moveDay ? person.movedTo : person.department;
}
