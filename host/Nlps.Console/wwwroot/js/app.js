// The console shell: language, session, navigation. Pages live in pages/*.js and talk only to the admin API.
import { h, replace } from './dom.js';
import { t, loadLanguage, language, supportedLanguages } from './i18n.js';
import { loadSession, call } from './api.js';
import { attempt, whenSignedOut } from './ui.js';
import { renderSignIn } from './pages/signin.js';
import { renderDashboard } from './pages/dashboard.js';
import { renderModels } from './pages/models.js';
import { renderPlayground } from './pages/playground.js';
import { renderKnowledge } from './pages/knowledge.js';
import { renderGraph } from './pages/graph.js';
import { renderApiKeys } from './pages/apikeys.js';
import { renderAudit } from './pages/audit.js';
import { renderLogs } from './pages/logs.js';
import { renderAccount } from './pages/account.js';

const pages = {
  dashboard: renderDashboard,
  models: renderModels,
  playground: renderPlayground,
  kb: renderKnowledge,
  graph: renderGraph,
  keys: renderApiKeys,
  audit: renderAudit,
  logs: renderLogs,
  account: renderAccount,
};
const root = document.getElementById('app');
let session = null;

async function start() {
  await loadLanguage();
  whenSignedOut(() => refresh());
  window.addEventListener('hashchange', () => render());
  await refresh();
}

async function refresh() {
  session = await loadSession();
  render();
}

function render() {
  if (session.state !== 'signed-in') {
    renderSignIn(root, session, { languageSwitch, onSignedIn });
    return;
  }

  const name = location.hash.replace(/^#\/?/, '').split('?')[0] || 'dashboard';
  const page = pages[name] ? name : 'dashboard';
  const main = h('main', { id: 'main', 'data-page': page });
  replace(root, header(page), main);
  pages[page](main, { session, onSessionChanged });
}

function onSignedIn(next) {
  session = next;
  if (location.hash !== '#/dashboard') location.hash = '#/dashboard';
  render();
}

function onSessionChanged(next) {
  session = next;
}

function header(active) {
  const link = (page, key) => h('a', {
    href: `#/${page}`,
    class: page === active ? 'active' : null,
    'aria-current': page === active ? 'page' : null,
    'data-testid': `nav-${page}`,
  }, t(key));
  const status = h('span', { class: 'header-error' });
  return h('header', { class: 'top' },
    h('div', { class: 'brand' }, t('app.title')),
    h('nav', null,
      link('dashboard', 'nav.dashboard'),
      link('models', 'nav.models'),
      link('playground', 'nav.playground'),
      link('kb', 'nav.kb'),
      link('graph', 'nav.graph'),
      link('keys', 'nav.keys'),
      link('audit', 'nav.audit'),
      link('logs', 'nav.logs')),
    h('div', { class: 'user' },
      languageSwitch(),
      h('a', { href: '#/account', 'data-testid': 'nav-account', class: active === 'account' ? 'active' : null }, session.username),
      h('button', {
        type: 'button',
        class: 'link',
        'data-testid': 'logout',
        onclick: () => attempt(status, async () => {
          await call('POST', '/v1/admin/session/logout');
          await refresh();
        }),
      }, t('nav.logout')),
      status));
}

function languageSwitch() {
  return h('select', {
    'aria-label': t('language.label'),
    'data-testid': 'language',
    onchange: async event => {
      await loadLanguage(event.target.value);
      render();
    },
  }, supportedLanguages().map(code => h('option', { value: code, selected: code === language() }, t(`language.name.${code}`))));
}

start();
