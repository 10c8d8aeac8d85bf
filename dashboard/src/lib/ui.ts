// The interface context a signed-in page shares with its components: translator, Intl formatters,
// locale and theme. Set once by the (app) layout with getters, so a language or theme change reaches
// every component without threading props through each page.
import { getContext, setContext } from 'svelte';
import type { Formatters, Locale, Translate } from './i18n/index.ts';
import type { Theme } from './preferences.ts';

export interface Ui {
  readonly t: Translate;
  readonly fmt: Formatters;
  readonly locale: Locale;
  readonly theme: Theme;
}

const KEY = Symbol('waypoint-ui');

export function setUi(ui: Ui): void {
  setContext(KEY, ui);
}

export function getUi(): Ui {
  const ui = getContext<Ui | undefined>(KEY);
  if (!ui) throw new Error('getUi() outside the (app) layout');
  return ui;
}
