// Interface language and theme for every page, including sign-in: from the reader's cookies, else
// the browser's Accept-Language (Traditional Chinese for zh-TW/zh-HK/zh-Hant), else English.
import { LOCALE_COOKIE, resolveLocale, resolveTheme, THEME_COOKIE } from '$lib/preferences.ts';
import type { LayoutServerLoad } from './$types';

export const load: LayoutServerLoad = ({ cookies, request }) => ({
  locale: resolveLocale(cookies.get(LOCALE_COOKIE), request.headers.get('accept-language')),
  theme: resolveTheme(cookies.get(THEME_COOKIE)),
});
