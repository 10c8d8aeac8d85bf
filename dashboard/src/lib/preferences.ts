// Interface preferences kept in cookies (language and theme), read on the server for the first paint.
// Client-safe: the names and parsers are shared by the layout and the preferences endpoint.
import { DEFAULT_LOCALE, isLocale, localeFromAcceptLanguage, type Locale } from './i18n/index.ts';

export const LOCALE_COOKIE = 'waypoint_locale';
export const THEME_COOKIE = 'waypoint_theme';
export const THEMES = ['light', 'dark'] as const;
export type Theme = (typeof THEMES)[number];

export function isTheme(value: unknown): value is Theme {
  return value === 'light' || value === 'dark';
}

export function resolveLocale(cookie: string | undefined, acceptLanguage: string | null): Locale {
  if (isLocale(cookie)) return cookie;
  return acceptLanguage ? localeFromAcceptLanguage(acceptLanguage) : DEFAULT_LOCALE;
}

export function resolveTheme(cookie: string | undefined): Theme {
  return isTheme(cookie) ? cookie : 'light';
}
