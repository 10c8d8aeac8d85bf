// The rollout job's stored results as the executive, rollout and diagnose pages read them: one
// indexed read of the organisation's latest rows per section (warehouse/rollout-results.ts), plus the
// notices that say when they were computed and whether they predate the current settings. No page
// computes a rollout figure itself; jobs/rollout/ does, on schedule and on every settings save.
import type { RolloutSection } from '$contracts/rollout.ts';
import { currentSettingsVersion, readRolloutResults, type StoredResults } from '$warehouse/rollout-results.ts';
import { mondayOf } from '$lib/periods.ts';
import { label, type PageView } from '$lib/view.ts';
import type { PageContext } from '../page-load.ts';

// The pilot-vs-control windows live with the computation; re-exported for the dashboard's tests.
export { controlStartOf, didWindows } from '$jobs/rollout/effects.ts';

export interface StoredRollout {
  stored: StoredResults;
  /** When the oldest of the sections read was computed (UTC), if any was. */
  computedAt: string | undefined;
  stale: boolean;
  notices: PageView['notices'];
}

export async function readStoredRollout(ctx: PageContext, sections: readonly RolloutSection[]): Promise<StoredRollout> {
  const [stored, current] = await Promise.all([readRolloutResults(ctx.warehouse, ctx.org.id, sections), currentSettingsVersion(ctx.warehouse, ctx.org.id)]);
  const present = sections.map((s) => stored[s]).filter((s) => s !== undefined);
  const computedAt = present.map((s) => s.computedAt).sort()[0];
  const stale = present.some((s) => s.settingsVersion !== current);
  const notices: PageView['notices'] = [];
  if (present.length < sections.length) notices.push({ tone: 'info', text: label('empty.runJobs') });
  if (computedAt) notices.push({ tone: 'info', text: label('rollout.computedAt', { at: computedAt }) });
  if (stale) notices.push({ tone: 'warning', text: label('rollout.stale') });
  return { stored, computedAt, stale, notices };
}

/** Keeps the periods (days or Mondays) of a stored trend that fall in the page's range. */
export function periodsIn(periods: readonly string[], granularity: 'day' | 'week', range: { from: string; to: string }): number[] {
  const from = granularity === 'week' ? mondayOf(range.from) : range.from;
  const out: number[] = [];
  periods.forEach((p, i) => {
    if (p >= from && p <= range.to) out.push(i);
  });
  return out;
}

