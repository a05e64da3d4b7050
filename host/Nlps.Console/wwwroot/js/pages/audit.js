// The audit log, newest first, a page at a time (older pages by the smallest id seen).
import { h, replace } from '../dom.js';
import { t } from '../i18n.js';
import { call } from '../api.js';
import { attempt, badge, section, table } from '../ui.js';
import { dateTime } from '../format.js';

const pageSize = 25;

export async function renderAudit(main) {
  const problems = h('div');
  const list = h('div');
  const pager = h('div', { class: 'pager' });
  const pages = [null]; // the `before` of each page seen, so "newer" can go back
  replace(main, problems, section(t('audit.title'), 'audit', list, pager));

  async function show(index) {
    await attempt(problems, async () => {
      const before = pages[index];
      const rows = await call('GET', `/v1/admin/audit?limit=${pageSize}${before ? `&before=${before}` : ''}`);
      replace(list, table('audit-table',
        [t('audit.at'), t('audit.actor'), t('audit.action'), t('audit.target'), t('audit.result'), t('audit.detail')],
        rows.map(row => h('tr', { 'data-testid': 'audit-row', dataset: { action: row.action } },
          h('td', { class: 'nowrap' }, dateTime(row.at)),
          h('td', { class: 'mono' }, row.actor),
          h('td', { class: 'mono' }, row.action),
          h('td', null, row.target ?? ''),
          h('td', null, badge(t(`audit.result.${row.result}`), { Ok: 'ok', Refused: 'warn', Failed: 'error' }[row.result] ?? 'info', 'audit-result')),
          h('td', { class: 'reason' }, row.detail ?? ''))),
        t('audit.none')));
      if (rows.length === pageSize) pages[index + 1] = rows[rows.length - 1].id;
      replace(pager,
        h('button', { type: 'button', disabled: index === 0, 'data-testid': 'audit-newer', onclick: () => show(index - 1) }, t('audit.newer')),
        h('span', { 'data-testid': 'audit-page' }, t('audit.page', { page: index + 1 })),
        h('button', { type: 'button', disabled: rows.length < pageSize, 'data-testid': 'audit-older', onclick: () => show(index + 1) }, t('audit.older')));
    });
  }

  await show(0);
}
