// Looks up interface text by key for a locale and fills `{name}` placeholders; formats numbers,
// durations and dates per locale with Intl. Client-safe; the only place components get their words from.
import { en, type MessageKey, type Messages } from './en.ts';
import { zhHant } from './zh-hant.ts';

export type { MessageKey } from './en.ts';

export const LOCALES = ['en', 'zh-Hant'] as const;
export type Locale = (typeof LOCALES)[number];
export const DEFAULT_LOCALE: Locale = 'en';

const dictionaries: Record<Locale, Messages> = { en, 'zh-Hant': zhHant };

export function isLocale(value: unknown): value is Locale {
  return typeof value === 'string' && (LOCALES as readonly string[]).includes(value);
}

/** The locale for an Accept-Language header: Chinese (any region but the mainland's zh-CN/zh-Hans) → zh-Hant. */
export function localeFromAcceptLanguage(header: string | null): Locale {
  if (!header) return DEFAULT_LOCALE;
  for (const part of header.split(',')) {
    const tag = part.split(';')[0]?.trim().toLowerCase() ?? '';
    if (tag.startsWith('en')) return 'en';
    if (tag === 'zh-hant' || tag === 'zh-tw' || tag === 'zh-hk' || tag === 'zh-mo' || tag.startsWith('zh-hant')) return 'zh-Hant';
  }
  return DEFAULT_LOCALE;
}

export type Translate = (key: MessageKey, params?: Record<string, string | number>) => string;

export function createTranslator(locale: Locale): Translate {
  const messages = dictionaries[locale];
  return (key, params) => {
    const template = messages[key];
    if (!params) return template;
    return template.replace(/\{(\w+)\}/g, (whole, name: string) => {
      const value = params[name];
      return value === undefined ? whole : String(value);
    });
  };
}

export type DurationUnit = 'second' | 'minute' | 'hour' | 'day';

/** Seconds per DurationUnit. */
export const SECONDS_PER: Readonly<Record<DurationUnit, number>> = { second: 1, minute: 60, hour: 3600, day: 86400 };

export interface Formatters {
  /** 0.75 → "75%"; null → the "n/a" text. */
  percent(value: number | null): string;
  /** A signed percentage change, e.g. "+12%" or "−8%". */
  signedPercent(value: number | null): string;
  integer(value: number): string;
  /** A number with up to `digits` decimals (default 1). */
  decimal(value: number | null, digits?: number): string;
  /** Money in a currency, without decimals. */
  currency(value: number | null, currency: string): string;
  /** Compact money, e.g. "HK$1.2M". */
  compactCurrency(value: number | null, currency: string): string;
  /** Seconds → the largest sensible unit: "45 s", "12 min", "3.4 h", "2.1 days". */
  duration(seconds: number | null): string;
  /** Seconds in one given unit, e.g. an axis's ticks: "36 h", "48 h" (not "36 h", "2 days"). */
  durationIn(seconds: number, unit: DurationUnit): string;
  /** Hours, e.g. "3.4 h". */
  hours(value: number | null): string;
  /** `YYYY-MM-DD` → a short local date, e.g. "3 Mar 2025". */
  day(value: string): string;
  /** `YYYY-MM-DD` → an axis label, e.g. "3 Mar". */
  shortDay(value: string): string;
  /** `YYYY-MM-DD HH:MM:SS` (UTC) → local date and time. */
  dateTime(value: string): string;
  /** `YYYY-MM-DD` of any day in a month → "Mar 2025". */
  month(value: string): string;
  /** 0 = Monday … 6 = Sunday → short weekday name. */
  weekday(index: number): string;
  noValue: string;
}

const cache = new Map<string, Formatters>();

export function createFormatters(locale: Locale, noValue: string): Formatters {
  const key = `${locale}\u0000${noValue}`;
  const cached = cache.get(key);
  if (cached) return cached;
  const percent = new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 1 });
  const signedPercent = new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 0, signDisplay: 'exceptZero' });
  const integer = new Intl.NumberFormat(locale, { maximumFractionDigits: 0 });
  const decimals = [0, 1, 2, 3].map((d) => new Intl.NumberFormat(locale, { maximumFractionDigits: d }));
  const money = new Map<string, Intl.NumberFormat>();
  const compactMoney = new Map<string, Intl.NumberFormat>();
  const unit = (u: string) => new Intl.NumberFormat(locale, { style: 'unit', unit: u, unitDisplay: 'short', maximumFractionDigits: 1 });
  const seconds = unit('second');
  const minutes = unit('minute');
  const hours = unit('hour');
  const days = unit('day');
  const day = new Intl.DateTimeFormat(locale, { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' });
  const shortDay = new Intl.DateTimeFormat(locale, { day: 'numeric', month: 'short', timeZone: 'UTC' });
  const month = new Intl.DateTimeFormat(locale, { month: 'short', year: 'numeric', timeZone: 'UTC' });
  const dateTime = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short', timeZone: 'UTC' });
  const weekday = new Intl.DateTimeFormat(locale, { weekday: 'short', timeZone: 'UTC' });
  const asDate = (value: string) => new Date(`${value.slice(0, 10)}T00:00:00Z`);
  const formatters: Formatters = {
    noValue,
    percent: (value) => (value === null || !Number.isFinite(value) ? noValue : percent.format(value)),
    signedPercent: (value) => (value === null || !Number.isFinite(value) ? noValue : signedPercent.format(value)),
    integer: (value) => integer.format(value),
    decimal: (value, digits = 1) => (value === null || !Number.isFinite(value) ? noValue : (decimals[digits] ?? decimals[1]!).format(value)),
    currency: (value, code) => {
      if (value === null || !Number.isFinite(value)) return noValue;
      let f = money.get(code);
      if (!f) money.set(code, (f = new Intl.NumberFormat(locale, { style: 'currency', currency: code, maximumFractionDigits: 0 })));
      return f.format(value);
    },
    compactCurrency: (value, code) => {
      if (value === null || !Number.isFinite(value)) return noValue;
      let f = compactMoney.get(code);
      if (!f) compactMoney.set(code, (f = new Intl.NumberFormat(locale, { style: 'currency', currency: code, notation: 'compact', maximumFractionDigits: 1 })));
      return f.format(value);
    },
    duration: (value) => {
      if (value === null || !Number.isFinite(value)) return noValue;
      const abs = Math.abs(value);
      if (abs < 90) return seconds.format(value);
      if (abs < 90 * 60) return minutes.format(value / 60);
      if (abs < 48 * 3600) return hours.format(value / 3600);
      return days.format(value / 86400);
    },
    durationIn: (value, u) => ({ second: seconds, minute: minutes, hour: hours, day: days })[u].format(value / SECONDS_PER[u]),
    hours: (value) => (value === null || !Number.isFinite(value) ? noValue : hours.format(value)),
    day: (value) => day.format(asDate(value)),
    shortDay: (value) => shortDay.format(asDate(value)),
    month: (value) => month.format(asDate(value)),
    dateTime: (value) => {
      const ms = Date.parse(`${value.replace(' ', 'T')}Z`);
      return Number.isNaN(ms) ? value : dateTime.format(new Date(ms));
    },
    // 2024-01-01 was a Monday.
    weekday: (index) => weekday.format(new Date(Date.UTC(2024, 0, 1 + index))),
  };
  cache.set(key, formatters);
  return formatters;
}
