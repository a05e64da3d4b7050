// nlpsd's recent log lines (kept in memory; the journal has the full history): level and text filters, and a
// follow mode that asks for the lines after the last one shown every few seconds.
import { h, replace } from '../dom.js';
import { t } from '../i18n.js';
import { call } from '../api.js';
import { attempt, badge, section, table } from '../ui.js';
import { dateTime } from '../format.js';

const levels = ['Debug', 'Information', 'Warning', 'Error', 'Critical'];
const followEveryMs = 3000;
const kinds = { Warning: 'warn', Error: 'error', Critical: 'error', Information: 'info', Debug: 'muted' };

export async function renderLogs(main) {
  const problems = h('div');
  const list = h('div');
  const level = h('select', { 'data-testid': 'logs-level', 'aria-label': t('logs.level') },
    levels.map(name => h('option', { value: name, selected: name === 'Information' }, t(`logs.levelName.${name}`))));
  const contains = h('input', { type: 'search', 'data-testid': 'logs-contains', placeholder: t('logs.containsHint') });
  const follow = h('input', { type: 'checkbox', 'data-testid': 'logs-follow' });
  let lines = [];
  let timer = null;

  const form = h('form', {
    class: 'inline',
    onsubmit: event => {
      event.preventDefault();
      attempt(problems, () => reload());
    },
  },
  h('label', null, t('logs.level'), level),
  h('label', null, t('logs.contains'), contains),
  h('button', { type: 'submit', 'data-testid': 'logs-apply' }, t('logs.apply')),
  h('label', { class: 'check' }, follow, t('logs.follow')));

  replace(main, problems, section(t('logs.title'), 'logs', h('p', { class: 'hint' }, t('logs.hint')), form, list));
  level.addEventListener('change', () => attempt(problems, () => reload()));
  follow.addEventListener('change', () => {
    clearInterval(timer);
    timer = follow.checked ? setInterval(() => attempt(problems, () => more()), followEveryMs) : null;
  });
  // Leaving the page (another hash) stops following.
  window.addEventListener('hashchange', () => clearInterval(timer), { once: true });

  function query(after) {
    const text = contains.value.trim();
    return `/v1/admin/logs?level=${level.value}&limit=500&after=${after}${text ? `&contains=${encodeURIComponent(text)}` : ''}`;
  }

  // Each request is numbered; an answer that arrives after a newer request was sent (a slow first load overtaken by
  // the operator's filter) is dropped, so the table always shows the latest filters.
  let generation = 0;

  async function reload() {
    const mine = ++generation;
    const fresh = await call('GET', query(0));
    if (mine !== generation) return;
    lines = fresh;
    show();
  }

  async function more() {
    const mine = generation;
    const after = lines.length > 0 ? lines[lines.length - 1].id : 0;
    const added = await call('GET', query(after));
    if (mine !== generation || added.length === 0) return;
    lines = lines.concat(added).slice(-500);
    show();
  }

  function show() {
    replace(list, table('logs-table',
      [t('logs.at'), t('logs.level'), t('logs.category'), t('logs.message')],
      lines.slice().reverse().map(line => h('tr', { 'data-testid': 'log-row', dataset: { level: line.level } },
        h('td', { class: 'nowrap' }, dateTime(line.at)),
        h('td', null, badge(t(`logs.levelName.${line.level}`), kinds[line.level] ?? 'info')),
        h('td', { class: 'mono' }, line.category),
        h('td', { class: 'reason' }, line.message, line.exception ? h('div', { class: 'mono' }, line.exception) : null))),
      t('logs.none')));
  }

  await attempt(problems, () => reload());
}
