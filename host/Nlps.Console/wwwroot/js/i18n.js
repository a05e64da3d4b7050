// Every string the console shows comes from i18n/<language>.json; this file holds no language of its own.
const languages = ['ko', 'en'];
const storageKey = 'nlps.console.language';
let strings = {};
let current = 'ko';

export function language() { return current; }
export function supportedLanguages() { return languages; }

/** Loads the language the operator chose last (Korean by default). */
export async function loadLanguage(wanted) {
  const choice = languages.includes(wanted) ? wanted
    : languages.includes(localStorage.getItem(storageKey)) ? localStorage.getItem(storageKey) : 'ko';
  const response = await fetch(`i18n/${choice}.json`, { credentials: 'same-origin' });
  strings = await response.json();
  current = choice;
  localStorage.setItem(storageKey, choice);
  document.documentElement.lang = choice;
  document.title = t('app.title');
}

/** The string for `key` with {placeholders} filled from `values`; the key itself when missing (visible, not silent). */
export function t(key, values) {
  const text = strings[key] ?? key;
  return values ? text.replace(/\{(\w+)\}/g, (match, name) => (name in values ? String(values[name]) : match)) : text;
}

/** True when the language file has `key` (used to prefer a translated problem over the server's English detail). */
export function has(key) { return Object.prototype.hasOwnProperty.call(strings, key); }
