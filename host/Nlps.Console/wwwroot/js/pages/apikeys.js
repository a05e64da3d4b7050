// API keys: create (the key text is shown once, here, and never again), list, revoke.
import { h, replace } from '../dom.js';
import { t } from '../i18n.js';
import { call } from '../api.js';
import { attempt, badge, notice, section, table } from '../ui.js';
import { dateTime } from '../format.js';

export async function renderApiKeys(main) {
  const problems = h('div');
  const list = h('div');
  const created = h('div', { 'data-testid': 'created-key' });
  const name = h('input', { name: 'name', required: true, maxlength: 100, 'data-testid': 'key-name' });
  const scopes = h('input', { name: 'scopes', required: true, placeholder: 'translator/* metrics', 'data-testid': 'key-scopes' });
  const expires = h('input', { name: 'expires', type: 'date', 'data-testid': 'key-expires' });
  const perMinute = h('input', { name: 'rpm', type: 'number', min: 1, max: 1000000, 'data-testid': 'key-rpm' });
  const formStatus = h('div', { class: 'form-status' });
  const form = h('form', {
    class: 'stack',
    onsubmit: event => {
      event.preventDefault();
      attempt(formStatus, async () => {
        const answer = await call('POST', '/v1/admin/api-keys', {
          name: name.value,
          scopes: scopes.value.split(/\s+/).filter(Boolean),
          expiresAt: expires.value ? new Date(`${expires.value}T23:59:59`).toISOString() : null,
          requestsPerMinute: perMinute.value ? Number(perMinute.value) : null,
        });
        form.reset();
        replace(created, h('div', { class: 'notice ok once' },
          h('p', null, t('keys.createdOnce', { name: answer.apiKey.name })),
          h('code', { class: 'secret', 'data-testid': 'created-key-text' }, answer.key)));
        await load();
      });
    },
  },
  h('label', null, t('keys.name'), name),
  h('label', null, t('keys.scopes'), scopes),
  h('p', { class: 'hint' }, t('keys.scopesHint')),
  h('label', null, t('keys.expires'), expires),
  h('label', null, t('keys.perMinute'), perMinute),
  h('button', { type: 'submit', class: 'primary', 'data-testid': 'key-create' }, t('keys.create')),
  formStatus);

  replace(main, problems, section(t('keys.title'), 'api-keys', list), section(t('keys.createTitle'), 'api-key-create', created, form));

  async function load() {
    await attempt(problems, async () => {
      const keys = await call('GET', '/v1/admin/api-keys');
      replace(list, table('key-table',
        [t('keys.id'), t('keys.name'), t('keys.scopes'), t('keys.perMinute'), t('keys.expires'), t('keys.lastUsed'), t('keys.state'), t('plugins.actions')],
        keys.map(key => h('tr', { 'data-testid': 'key-row', dataset: { key: key.id } },
          h('td', { class: 'mono' }, key.id),
          h('td', null, key.name),
          h('td', { class: 'mono' }, key.scopes.join(' ')),
          h('td', null, String(key.requestsPerMinute)),
          h('td', null, dateTime(key.expiresAt)),
          h('td', null, dateTime(key.lastUsedAt)),
          h('td', null, badge(t(`keys.state.${key.state}`), key.state === 'active' ? 'ok' : 'muted', 'key-state')),
          h('td', { class: 'actions' }, key.state === 'active'
            ? h('button', { type: 'button', 'data-testid': 'key-revoke', onclick: () => {
              if (!window.confirm(t('keys.confirmRevoke', { name: key.name }))) return;
              attempt(problems, async () => {
                await call('DELETE', `/v1/admin/api-keys/${encodeURIComponent(key.id)}`);
                problems.replaceChildren(notice('ok', t('keys.revoked', { name: key.name })));
                await load();
              });
            } }, t('keys.revoke'))
            : null))),
        t('keys.none')));
    });
  }

  await load();
}
