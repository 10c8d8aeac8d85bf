// What the table view and CSV export show: raw numbers, suppressed groups as text (never a number),
// no spreadsheet formulas; and the shared filters and both dictionaries.
import { describe, expect, it } from 'vitest';
import { comparisonRange, filterSearch, parseFilterParams } from '../../../dashboard/src/lib/filters.ts';
import { en } from '../../../dashboard/src/lib/i18n/en.ts';
import { createFormatters, createTranslator, localeFromAcceptLanguage } from '../../../dashboard/src/lib/i18n/index.ts';
import { zhHant } from '../../../dashboard/src/lib/i18n/zh-hant.ts';
import { listPeriods } from '../../../dashboard/src/lib/periods.ts';
import { renderPanel } from '../../../dashboard/src/lib/render-view.ts';
import { exportFileName, tableToCsv } from '../../../dashboard/src/lib/table.ts';
import { SUPPRESSED, text, type Panel } from '../../../dashboard/src/lib/view.ts';

const t = createTranslator('en');
const ctx = { t, fmt: createFormatters('en', '—'), currency: 'HKD', k: 5 };

describe('renderPanel and CSV', () => {
  const panel: Panel = {
    kind: 'bars',
    id: 'after-hours',
    title: text('After hours'),
    unit: 'percent',
    categories: [text('Finance'), text('Legal')],
    series: [{ name: text('Share'), values: [0.25, SUPPRESSED] }],
  };

  it('keeps suppressed groups out of the chart and says so in the table', () => {
    const { option, table } = renderPanel(panel, ctx);
    expect((option?.series as { data: unknown[] }[])[0]?.data).toEqual([0.25, null]);
    expect(table.rows[1]?.[1]).toEqual({ text: 'fewer than 5 people', value: null, suppressed: true });
  });

  it('exports raw numbers and the suppression text, never a number for a small group', () => {
    const csv = tableToCsv(renderPanel(panel, ctx).table);
    expect(csv).toBe(',Share\r\nFinance,0.25\r\nLegal,fewer than 5 people\r\n');
  });

  it('neutralises cells a spreadsheet would run as formulas, and quotes commas', () => {
    const csv = tableToCsv({ columns: [{ label: 'a' }], rows: [[{ text: '=HYPERLINK("x")', value: '=HYPERLINK("x")' }], [{ text: 'a,b', value: 'a,b' }]] });
    expect(csv).toBe('a\r\n"\'=HYPERLINK(""x"")"\r\n"a,b"\r\n');
  });

  it('names exports after the chart and the range', () => {
    expect(exportFileName('latency-trend', '2026-01-01', '2026-01-28')).toBe('latency-trend-2026-01-01-2026-01-28');
  });
});

describe('filters in the URL', () => {
  it('round-trips every filter and leaves defaults out', () => {
    const parsed = parseFilterParams(new URLSearchParams('from=2026-01-01&to=2026-01-28&dept=fin&wave=pilot&compare=previous'));
    expect(parsed).toMatchObject({ department: 'fin', wave: 'pilot', compare: 'previous' });
    const filters = { range: { from: '2026-01-01', to: '2026-01-28' }, department: 'fin', wave: '', compare: 'none' as const };
    expect(filterSearch(filters)).toBe('?from=2026-01-01&to=2026-01-28&dept=fin');
  });

  it('ignores values that are not ids or known comparisons', () => {
    expect(parseFilterParams(new URLSearchParams("dept=x'%20OR%201&compare=bogus"))).toMatchObject({ department: '', compare: 'none' });
  });

  it('compares with the period just before, or the same weeks a year earlier', () => {
    expect(comparisonRange({ from: '2026-02-01', to: '2026-02-07' }, 'previous')).toEqual({ from: '2026-01-25', to: '2026-01-31' });
    expect(comparisonRange({ from: '2026-02-02', to: '2026-02-08' }, 'year')).toEqual({ from: '2025-02-03', to: '2025-02-09' });
  });

  it('buckets long ranges by Monday', () => {
    expect(listPeriods({ from: '2026-01-07', to: '2026-01-20' }, 'week')).toEqual(['2026-01-05', '2026-01-12', '2026-01-19']);
  });
});

describe('dictionaries', () => {
  it('zh-Hant has every English key, each translated (not left empty)', () => {
    expect(Object.keys(zhHant).sort()).toEqual(Object.keys(en).sort());
    expect(Object.entries(zhHant).filter(([, v]) => v === '')).toEqual([]);
  });

  it('keeps the same placeholders in both languages', () => {
    const names = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
    const mismatched = Object.keys(en).filter((k) => JSON.stringify(names(en[k as keyof typeof en])) !== JSON.stringify(names(zhHant[k as keyof typeof en])));
    expect(mismatched).toEqual([]);
  });

  it('picks Traditional Chinese for Hong Kong and Taiwan browsers', () => {
    expect(localeFromAcceptLanguage('zh-HK,zh;q=0.9')).toBe('zh-Hant');
    expect(localeFromAcceptLanguage('zh-TW')).toBe('zh-Hant');
    expect(localeFromAcceptLanguage('en-GB,en;q=0.8')).toBe('en');
  });

  it('formats numbers and durations per locale', () => {
    const zh = createFormatters('zh-Hant', '—');
    expect(zh.day('2026-03-05')).toBe('2026年3月5日');
    expect(ctx.fmt.duration(5400)).toMatch(/1\.5\s?hr/);
    expect(ctx.fmt.percent(null)).toBe('—');
  });
});
