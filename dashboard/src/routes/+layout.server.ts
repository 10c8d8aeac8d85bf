// The interface language for every page. Only English exists yet; zh-Hant will be chosen here
// (from a cookie or Accept-Language) once its dictionary lands.
import { DEFAULT_LOCALE } from '$lib/i18n/index.ts';
import type { LayoutServerLoad } from './$types';

export const load: LayoutServerLoad = () => ({ locale: DEFAULT_LOCALE });
