// The simulator's entry point: a scenario plus a seed becomes a company — its directory, a stream of
// events in time order, and the ground truth of its key metrics.
import type { DirectoryInput } from '../contracts/directory.ts';
import type { EventInput } from '../contracts/events.ts';
import { orgIdSchema } from '../contracts/events.ts';
import { buildOrganisation, type Organisation } from './build-organisation.ts';
import { eventUuids, generateEventBatches, generateEvents, MAX_LINE_BYTES, NdjsonEncoder } from './generate-events.ts';
import { GroundTruthBuilder, type GroundTruth } from './ground-truth.ts';
import { LATEST_END_DATE, loadScenario, ScenarioError, type Scenario } from './scenario.ts';
import { EffectsRecorder, pilotWindowOf, type EffectWindow, type TrueEffects } from './true-effects.ts';
import { dateOfDayNumber, dayNumberOf } from './zone-clock.ts';

export type { GroundTruth } from './ground-truth.ts';

export interface SimulatedCompany {
  org: string;
  /** IANA timezone of the organisation, in which days and weeks are counted. */
  timezone: string;
  orgName: string;
  scenario: string;
  seed: number;
  /** First and last simulated day, `YYYY-MM-DD`, inclusive. */
  from: string;
  to: string;
  directory: DirectoryInput;
  /** Streams the events in time order; every call starts again from the seed (same output). */
  events(): Iterable<EventInput>;
  /** Ground truth computed from a full pass over events() (memoised), with the true effects over the pilot window. */
  groundTruth(): GroundTruth;
  /**
   * The rollout's true effect on the pilot cohort over `window` (default: pilot start to the day
   * before the next wave): one more generation pass recording potential outcomes (same events).
   */
  trueEffects(window?: EffectWindow): TrueEffects;
  /** A recorder of potential outcomes to pass to ndjsonBatches (its finish() gives the true effects). */
  createEffectsRecorder(window?: EffectWindow): EffectsRecorder;
  /** Whether the pilot starts within the run (else there is no default effects window, and no `effects` in the truth). */
  pilotStartsInRun: boolean;
  /** A builder to compute the truth alongside a pass the caller already makes. */
  createGroundTruthBuilder(): GroundTruthBuilder;
  /**
   * The same events as NDJSON text (one event per line, each line JSON.stringify of the event in
   * events()), `size` events per chunk; feeds `truth` on the way. The fast path for files and uploads.
   */
  ndjsonBatches(size: number, truth?: GroundTruthBuilder, effects?: EffectsRecorder): Iterable<NdjsonBatch>;
}

export interface NdjsonBatch {
  /** `count` lines of NDJSON (ASCII), each ending in a newline. */
  body: Buffer;
  count: number;
}

export interface GenerateCompanyOptions {
  scenario: string;
  seed: number;
  org: string;
  people?: number;
  days?: number;
}

export function generateCompany(opts: GenerateCompanyOptions): SimulatedCompany {
  const base = loadScenario(opts.scenario);
  return generateCompanyFromScenario(base, opts);
}

/** As generateCompany, from a scenario already parsed (tests use small hand-made ones). */
export function generateCompanyFromScenario(base: Scenario, opts: Omit<GenerateCompanyOptions, 'scenario'>): SimulatedCompany {
  if (!Number.isSafeInteger(opts.seed) || opts.seed < 0) throw new ScenarioError(`seed must be a non-negative integer, got ${opts.seed}`);
  const org = orgIdSchema.safeParse(opts.org);
  if (!org.success) throw new ScenarioError(`org "${opts.org}" ${org.error.issues[0]?.message ?? 'is invalid'}`);
  if (opts.people !== undefined && (!Number.isInteger(opts.people) || opts.people < 5 || opts.people > 200_000)) {
    throw new ScenarioError(`people must be an integer from 5 to 200000, got ${opts.people}`);
  }
  if (opts.days !== undefined && (!Number.isInteger(opts.days) || opts.days < 1 || opts.days > 800)) {
    throw new ScenarioError(`days must be an integer from 1 to 800, got ${opts.days}`);
  }
  const scenario: Scenario = { ...base, people: opts.people ?? base.people, days: opts.days ?? base.days };
  const last = dateOfDayNumber(dayNumberOf(scenario.start) + scenario.days - 1);
  if (last > LATEST_END_DATE) {
    throw new ScenarioError(`scenario ${scenario.name} would run to ${last}; simulated days must end by ${LATEST_END_DATE} (use fewer --days)`);
  }
  const model: Organisation = buildOrganisation(scenario, opts.seed, org.data);
  const pilot = pilotWindowOf(model);
  const pilotStartsInRun = pilot.fromDay <= pilot.toDay;
  const meta = { org: org.data, timezone: scenario.timezone, scenario: scenario.name, seed: opts.seed, from: scenario.start, to: last };
  let truth: GroundTruth | undefined;
  const company: SimulatedCompany = {
    org: org.data,
    timezone: scenario.timezone,
    orgName: scenario.orgName,
    scenario: scenario.name,
    seed: opts.seed,
    from: scenario.start,
    to: last,
    directory: model.directory,
    events: () => ({ [Symbol.iterator]: () => generateEvents(buildOrganisation(scenario, opts.seed, org.data), opts.seed) }),
    ndjsonBatches: (size, truth, effects) => ({ [Symbol.iterator]: () => ndjsonBatches(buildOrganisation(scenario, opts.seed, org.data), opts.seed, size, truth, effects) }),
    createGroundTruthBuilder: () => new GroundTruthBuilder(meta, model.directory),
    // A recorder reads only the people's fixed attributes, so `model` serves every pass.
    createEffectsRecorder: (window) => new EffectsRecorder(model, window),
    pilotStartsInRun,
    trueEffects: (window) => {
      const recorder = new EffectsRecorder(model, window);
      for (const batch of generateEventBatches(buildOrganisation(scenario, opts.seed, org.data), opts.seed, false, recorder)) void batch;
      return recorder.finish();
    },
    groundTruth: () => {
      if (!truth) {
        const builder = company.createGroundTruthBuilder();
        const effects = pilotStartsInRun ? new EffectsRecorder(model, undefined) : undefined;
        for (const event of generateEvents(buildOrganisation(scenario, opts.seed, org.data), opts.seed, effects)) builder.add(event);
        truth = effects ? { ...builder.finish(), effects: effects.finish() } : builder.finish();
      }
      return truth;
    },
  };
  return company;
}

function* ndjsonBatches(model: Organisation, seed: number, size: number, truth: GroundTruthBuilder | undefined, effects: EffectsRecorder | undefined): Generator<NdjsonBatch, void, undefined> {
  if (!Number.isInteger(size) || size < 1) throw new RangeError(`batch size must be a positive integer, got ${size}`);
  // Lines are encoded straight into the chunk's bytes (ids drawn in emission order, as events() does).
  const encoder = new NdjsonEncoder(model.org, eventUuids(model, seed));
  const initial = Math.max(size * 320, MAX_LINE_BYTES * 2);
  let buffer = Buffer.allocUnsafe(initial);
  let used = 0;
  let count = 0;
  for (const batch of generateEventBatches(model, seed, false, effects)) {
    for (let i = 0; i < batch.length; i++) {
      const p = batch[i] as (typeof batch)[number];
      if (buffer.length - used < MAX_LINE_BYTES) {
        const bigger = Buffer.allocUnsafe(buffer.length * 2);
        buffer.copy(bigger, 0, 0, used);
        buffer = bigger;
      }
      used = encoder.write(p, buffer, used);
      if (truth) truth.record(p.t, p.type, p.actor.id, p.object, p.parent, p.channel, p.attrs);
      if (++count === size) {
        yield { body: buffer.subarray(0, used), count };
        buffer = Buffer.allocUnsafe(initial);
        used = 0;
        count = 0;
      }
    }
  }
  if (count > 0) yield { body: buffer.subarray(0, used), count };
}
