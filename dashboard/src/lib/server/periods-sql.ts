// The SQL for a trend bucket: the day itself, or its Monday (the week's first day, ISO weeks).
import { trustedSql, type SqlFragment } from '$warehouse/sql.ts';
import type { Granularity } from '$lib/periods.ts';

export function periodOf(granularity: Granularity, column = 'day'): SqlFragment {
  // Only two fixed expressions are possible; `column` is a constant of the caller's code.
  if (!/^[a-z_]+$/.test(column)) throw new Error(`bad column ${column}`);
  return trustedSql(granularity === 'day' ? `toString(${column})` : `toString(toMonday(${column}))`);
}
