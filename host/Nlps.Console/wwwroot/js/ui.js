// Small pieces every page uses: problem text, notices, badges, progress bars, tables.
import { h } from './dom.js';
import { t, has } from './i18n.js';
import { ApiError } from './api.js';
import { percent } from './format.js';

let onSignedOut = () => {};

/** Called when the API says the session is gone (401), so the shell can show the login form again. */
export function whenSignedOut(handler) { onSignedOut = handler; }

/** The operator-facing text for a failed call: our own translation of its code when we have one, else the server's detail. */
export function errorText(error) {
  if (error instanceof ApiError) {
    if (has(`error.${error.code}`)) return t(`error.${error.code}`, { detail: error.detail ?? '' });
    return error.detail ? t('error.withDetail', { detail: error.detail }) : t('error.generic', { status: error.status });
  }
  return t('error.generic', { status: String(error?.message ?? error) });
}

/** Runs `action`; on failure shows the problem in `where` (401 goes back to the login form). Returns the action's value or undefined. */
export async function attempt(where, action) {
  try {
    where?.replaceChildren();
    return await action();
  } catch (error) {
    if (error instanceof ApiError && error.status === 401 && error.code !== 'invalid_credentials') {
      onSignedOut();
      return undefined;
    }
    where?.replaceChildren(notice('error', errorText(error)));
    return undefined;
  }
}

export function notice(kind, text) {
  return h('p', { class: `notice ${kind}`, role: kind === 'error' ? 'alert' : 'status', 'data-testid': `notice-${kind}` }, text);
}

export function badge(text, kind, testid) {
  return h('span', { class: `badge ${kind}`, 'data-testid': testid }, text);
}

/** A labelled bar: a <progress> element plus a caption, updated with set(done, total, caption). */
export function progressBar(testid) {
  const bar = h('progress', { max: 100, value: 0, 'data-testid': testid });
  const caption = h('span', { class: 'progress-caption', 'data-testid': `${testid}-caption` });
  const element = h('div', { class: 'progress' }, bar, caption);
  return {
    element,
    set(done, total, text) {
      bar.value = percent(done, total);
      bar.dataset.done = String(done);
      bar.dataset.total = String(total);
      caption.textContent = text ?? `${Math.round(bar.value)}%`;
    },
  };
}

/** A table from column headers and rows of cells (cells are text or nodes). */
export function table(testid, headers, rows, emptyText) {
  if (rows.length === 0) return h('p', { class: 'empty', 'data-testid': `${testid}-empty` }, emptyText);
  return h('table', { 'data-testid': testid },
    h('thead', null, h('tr', null, headers.map(text => h('th', { scope: 'col' }, text)))),
    h('tbody', null, rows));
}

export function section(title, testid, ...children) {
  return h('section', { class: 'card', 'data-testid': testid }, h('h2', null, title), children);
}
