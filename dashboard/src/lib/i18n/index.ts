// Looks up interface text by key for a locale and fills `{name}` placeholders; formats numbers and
// dates per locale. Client-safe; the only place components get their words from.
import { en, type MessageKey, type Messages } from './en.ts';

export type { MessageKey } from './en.ts';

export const LOCALES = ['en'] as const;
export type Locale = (typeof LOCALES)[number];
export const DEFAULT_LOCALE: Locale = 'en';

const dictionaries: Record<Locale, Messages> = { en };

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

export interface Formatters {
  /** 0.75 → "75%"; null → the "n/a" text. */
  percent(value: number | null): string;
  integer(value: number): string;
  /** `YYYY-MM-DD` → a short local date, e.g. "3 Mar 2025". */
  day(value: string): string;
  /** `YYYY-MM-DD` → an axis label, e.g. "3 Mar". */
  shortDay(value: string): string;
}

export function createFormatters(locale: Locale, noValue: string): Formatters {
  const percent = new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 1 });
  const integer = new Intl.NumberFormat(locale, { maximumFractionDigits: 0 });
  const day = new Intl.DateTimeFormat(locale, { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' });
  const shortDay = new Intl.DateTimeFormat(locale, { day: 'numeric', month: 'short', timeZone: 'UTC' });
  const asDate = (value: string) => new Date(`${value}T00:00:00Z`);
  return {
    percent: (value) => (value === null ? noValue : percent.format(value)),
    integer: (value) => integer.format(value),
    day: (value) => day.format(asDate(value)),
    shortDay: (value) => shortDay.format(asDate(value)),
  };
}
