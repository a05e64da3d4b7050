// The playground: pick a running agent and one of its operations, fill the form built from the operation's request
// schema (or write the JSON yourself), run it, and watch a streaming operation's items arrive one by one.
import { h, replace } from '../dom.js';
import { t } from '../i18n.js';
import { call, stream } from '../api.js';
import { attempt, notice, section } from '../ui.js';
import { fieldsFor, readFields } from '../schemaform.js';

export async function renderPlayground(main) {
  const problems = h('div');
  const agentSelect = h('select', { 'data-testid': 'playground-agent', 'aria-label': t('playground.agent') });
  const operationSelect = h('select', { 'data-testid': 'playground-operation', 'aria-label': t('playground.operation') });
  const description = h('p', { class: 'hint', 'data-testid': 'playground-description' });
  const fields = h('div', { class: 'stack' });
  const raw = h('textarea', { rows: 4, class: 'mono', 'data-testid': 'playground-raw', placeholder: '{ … }' });
  const status = h('div', { 'data-testid': 'playground-status' });
  const output = h('pre', { class: 'output', 'data-testid': 'playground-output' });
  const items = h('ol', { class: 'stream', 'data-testid': 'playground-stream' });
  const run = h('button', { type: 'submit', class: 'primary', 'data-testid': 'playground-run' }, t('playground.run'));
  let operations = [];
  let current = null;
  let running = null;

  const form = h('form', {
    class: 'stack wide',
    onsubmit: event => {
      event.preventDefault();
      if (running) {
        running.abort();
        return;
      }
      attempt(status, () => invoke());
    },
  },
  h('label', null, t('playground.agent'), agentSelect),
  h('label', null, t('playground.operation'), operationSelect),
  description,
  fields,
  h('details', null, h('summary', null, t('playground.rawTitle')), h('p', { class: 'hint' }, t('playground.rawHint')), raw),
  run);

  replace(main, problems,
    section(t('playground.title'), 'playground', h('p', { class: 'hint' }, t('playground.hint')), form),
    section(t('playground.result'), 'playground-result', status, items, output));

  agentSelect.addEventListener('change', () => attempt(problems, () => loadOperations()));
  operationSelect.addEventListener('change', () => showOperation());

  async function loadAgents() {
    const agents = (await call('GET', '/v1/agents')).filter(agent => agent.state === 'Running');
    replace(agentSelect, agents.map(agent => h('option', { value: agent.id }, `${agent.name ?? agent.id} (${agent.id})`)));
    if (agents.length === 0) {
      replace(fields, notice('info', t('playground.noAgents')));
      run.disabled = true;
      return;
    }
    const wanted = new URLSearchParams(location.hash.split('?')[1] ?? '').get('agent');
    if (wanted && agents.some(agent => agent.id === wanted)) agentSelect.value = wanted;
    await loadOperations();
  }

  async function loadOperations() {
    operations = await call('GET', `/v1/agents/${encodeURIComponent(agentSelect.value)}/operations`);
    replace(operationSelect, operations.map(op => h('option', { value: op.name }, op.streaming ? `${op.name} · ${t('playground.streaming')}` : op.name)));
    showOperation();
  }

  function showOperation() {
    current = operations.find(op => op.name === operationSelect.value) ?? null;
    description.textContent = current?.description ?? '';
    replace(fields, current ? fieldsFor(current.requestSchema) : []);
    raw.value = '';
  }

  async function invoke() {
    if (!current) return;
    const body = raw.value.trim() ? parseRaw(raw.value) : readFields(fields, current.requestSchema);
    const path = `/v1/agents/${encodeURIComponent(agentSelect.value)}/${encodeURIComponent(current.name)}`;
    items.replaceChildren();
    output.textContent = '';
    if (!current.streaming) {
      status.replaceChildren(notice('info', t('playground.running')));
      const answer = await call('POST', path, body);
      output.textContent = JSON.stringify(answer, null, 2);
      status.replaceChildren(notice('ok', t('playground.done')));
      return;
    }

    running = new AbortController();
    run.textContent = t('playground.stop');
    let count = 0;
    try {
      status.replaceChildren(notice('info', t('playground.streamingNow')));
      const end = await stream(path, body, running.signal, item => {
        count += 1;
        items.append(h('li', { 'data-testid': 'playground-item' }, h('code', null, JSON.stringify(item))));
        status.replaceChildren(notice('info', t('playground.received', { count })));
      });
      status.replaceChildren(end.error
        ? notice('error', t('playground.streamError', { count, detail: end.error.detail ?? end.error.code ?? '' }))
        : notice('ok', t('playground.streamDone', { count })));
    } catch (error) {
      if (error?.name !== 'AbortError') throw error;
      status.replaceChildren(notice('info', t('playground.stopped', { count })));
    } finally {
      running = null;
      run.textContent = t('playground.run');
    }
  }

  function parseRaw(text) {
    try {
      return JSON.parse(text);
    } catch (error) {
      throw new Error(t('playground.badJson', { detail: error.message }));
    }
  }

  await attempt(problems, () => loadAgents());
}
