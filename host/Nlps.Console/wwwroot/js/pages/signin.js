// First run (create the first administrator) and login. Both need the antiforgery token from GET /v1/admin/session.
import { h, replace } from '../dom.js';
import { t } from '../i18n.js';
import { call, useSession } from '../api.js';
import { attempt, notice } from '../ui.js';

export function renderSignIn(root, session, { languageSwitch, onSignedIn }) {
  const setup = session.state === 'setup';
  const status = h('div', { class: 'form-status' });
  const username = h('input', { name: 'username', autocomplete: 'username', required: true, maxlength: 64, 'data-testid': 'username' });
  const password = h('input', { name: 'password', type: 'password', autocomplete: setup ? 'new-password' : 'current-password', required: true, 'data-testid': 'password' });
  const confirm = setup ? h('input', { name: 'confirm', type: 'password', autocomplete: 'new-password', required: true, 'data-testid': 'password-confirm' }) : null;

  const form = h('form', {
    class: 'signin card',
    'data-testid': setup ? 'setup-form' : 'login-form',
    onsubmit: event => {
      event.preventDefault();
      if (setup && password.value !== confirm.value) {
        status.replaceChildren(notice('error', t('signin.mismatch')));
        return;
      }
      attempt(status, async () => {
        const body = { username: username.value, password: password.value };
        const next = await call('POST', setup ? '/v1/admin/session/setup' : '/v1/admin/session/login', body);
        onSignedIn(useSession(next));
      });
    },
  },
  h('h1', null, t('app.title')),
  h('h2', null, t(setup ? 'signin.setupTitle' : 'signin.loginTitle')),
  setup ? h('p', { class: 'hint' }, t('signin.setupHint', { min: session.minPasswordLength })) : null,
  h('label', null, t('signin.username'), username),
  h('label', null, t('signin.password'), password),
  setup ? h('label', null, t('signin.confirm'), confirm) : null,
  h('button', { type: 'submit', class: 'primary', 'data-testid': 'signin-submit' }, t(setup ? 'signin.create' : 'signin.login')),
  status,
  h('div', { class: 'signin-language' }, languageSwitch()));

  replace(root, h('main', { class: 'signin-page' }, form));
  username.focus();
}
