// Which rollup days a run recomputes. Pure functions, so the choice is tested without a database:
// the days touched by new events (late ones included), widened by what each job's events can change.
import { addDays } from './days.ts';
import type { DayRange } from './job.ts';

/**
 * Merges touched days into the fewest ranges of rollup days to recompute: each day X becomes
 * X − back … X + forward (never past `today`), and overlapping or adjacent ranges join.
 */
export function rangesToRecompute(
  touchedDays: readonly string[],
  affects: { back: number; forward: number },
  today: string,
): DayRange[] {
  const widened = [...new Set(touchedDays)]
    .sort()
    .map((d) => ({ from: addDays(d, -affects.back), to: addDays(d, affects.forward) }))
    .map((r) => ({ from: r.from, to: r.to > today ? today : r.to }))
    .filter((r) => r.from <= r.to);
  const merged: DayRange[] = [];
  for (const r of widened) {
    const last = merged.at(-1);
    if (last && r.from <= addDays(last.to, 1)) {
      if (r.to > last.to) last.to = r.to;
    } else {
      merged.push({ ...r });
    }
  }
  return merged;
}

/** The last `days` local days up to today, widened back by what their events can change. */
export function recentRange(today: string, days: number, affects: { back: number; forward: number }): DayRange {
  return { from: addDays(today, -(days - 1) - affects.back), to: today };
}
