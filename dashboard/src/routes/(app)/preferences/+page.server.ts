// Saves a language or theme choice in a cookie and returns to the page it was made on. A form action
// (POST), so SvelteKit's origin check applies and a link elsewhere cannot change it; a GET just
// goes home.
import { fail, redirect } from '@sveltejs/kit';
import { isLocale } from '$lib/i18n/index.ts';
import { isTheme, LOCALE_COOKIE, THEME_COOKIE } from '$lib/preferences.ts';
import type { Actions, PageServerLoad } from './$types';

const ONE_YEAR = 365 * 24 * 3600;

function sameSitePath(next: FormDataEntryValue | null): string {
  if (typeof next !== 'string' || !next.startsWith('/') || next.startsWith('//') || next.startsWith('/\\')) return '/';
  return next;
}

export const load: PageServerLoad = () => redirect(303, '/');

export const actions: Actions = {
  default: async ({ request, cookies }) => {
    const form = await request.formData();
    const locale = form.get('locale');
    const theme = form.get('theme');
    const options = { path: '/', httpOnly: false, sameSite: 'lax' as const, maxAge: ONE_YEAR, secure: false };
    if (locale !== null) {
      if (!isLocale(locale)) return fail(400, { problem: 'locale must be "en" or "zh-Hant"' });
      cookies.set(LOCALE_COOKIE, locale, options);
    }
    if (theme !== null) {
      if (!isTheme(theme)) return fail(400, { problem: 'theme must be "light" or "dark"' });
      cookies.set(THEME_COOKIE, theme, options);
    }
    redirect(303, sameSitePath(form.get('next')));
  },
};
