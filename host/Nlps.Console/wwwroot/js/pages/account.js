// The signed-in administrator's password change. The answer carries a new antiforgery token for this session.
import { h, replace } from '../dom.js';
import { t } from '../i18n.js';
import { call, useSession } from '../api.js';
import { attempt, notice, section } from '../ui.js';

export function renderAccount(main, { session, onSessionChanged }) {
  const status = h('div', { class: 'form-status' });
  const current = h('input', { type: 'password', autocomplete: 'current-password', required: true, 'data-testid': 'current-password' });
  const next = h('input', { type: 'password', autocomplete: 'new-password', required: true, 'data-testid': 'new-password' });
  const form = h('form', {
    class: 'stack',
    onsubmit: event => {
      event.preventDefault();
      attempt(status, async () => {
        onSessionChanged(useSession(await call('POST', '/v1/admin/session/password', { currentPassword: current.value, newPassword: next.value })));
        current.value = '';
        next.value = '';
        status.replaceChildren(notice('ok', t('account.changed')));
      });
    },
  },
  h('label', null, t('account.current'), current),
  h('label', null, t('account.new', { min: session.minPasswordLength }), next),
  h('button', { type: 'submit', class: 'primary', 'data-testid': 'change-password' }, t('account.change')),
  status);
  replace(main, section(t('account.title', { name: session.username }), 'account', form));
}
