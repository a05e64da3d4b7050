// Knowledge bases of the RAG chatbot agent (nlps.chatbot), through its own operations on the agent API: list with
// counts, create, delete, upload documents as an ingestion job with a live bar and a per-document report, and a
// search box that shows the ranked passages and which retriever found each.
import { h, replace } from '../dom.js';
import { t } from '../i18n.js';
import { call } from '../api.js';
import { attempt, badge, notice, progressBar, section, table } from '../ui.js';
import { number } from '../format.js';

const agent = '/v1/agents/nlps.chatbot';
const pollSeconds = 1;

export async function renderKnowledge(main) {
  const problems = h('div');
  const list = h('div');
  const newName = h('input', { name: 'kb', required: true, 'data-testid': 'kb-name', pattern: '[^/\\\\]+' });
  const target = h('select', { 'data-testid': 'kb-target', 'aria-label': t('kb.target') });
  const files = h('input', { type: 'file', multiple: true, required: true, 'data-testid': 'kb-files', accept: '.txt,.md,.html,.htm,.docx,.xlsx,.pdf' });
  const progress = progressBar('kb-progress');
  progress.element.hidden = true;
  const report = h('div', { 'data-testid': 'kb-report' });
  const query = h('input', { type: 'search', required: true, 'data-testid': 'kb-query' });
  const mode = h('select', { 'data-testid': 'kb-mode', 'aria-label': t('kb.mode') }, ['hybrid', 'bm25', 'dense'].map(m => h('option', { value: m }, t(`kb.mode.${m}`))));
  const results = h('div', { 'data-testid': 'kb-results' });

  const create = h('form', {
    class: 'inline',
    onsubmit: event => {
      event.preventDefault();
      attempt(problems, async () => {
        await call('POST', `${agent}/kb_create`, { kb: newName.value.trim() });
        newName.value = '';
        await load();
      });
    },
  }, h('label', null, t('kb.name'), newName), h('button', { type: 'submit', class: 'primary', 'data-testid': 'kb-create' }, t('kb.create')));

  const upload = h('form', {
    class: 'stack',
    onsubmit: event => {
      event.preventDefault();
      attempt(report, () => ingest());
    },
  },
  h('label', null, t('kb.target'), target),
  h('label', null, t('kb.files'), files),
  h('button', { type: 'submit', class: 'primary', 'data-testid': 'kb-upload' }, t('kb.upload')),
  progress.element,
  report);

  const search = h('form', {
    class: 'inline',
    onsubmit: event => {
      event.preventDefault();
      attempt(results, () => find());
    },
  },
  h('label', null, t('kb.query'), query),
  h('label', null, t('kb.mode'), mode),
  h('button', { type: 'submit', 'data-testid': 'kb-search' }, t('kb.search')));

  replace(main, problems,
    section(t('kb.title'), 'kb', h('p', { class: 'hint' }, t('kb.hint')), list, create),
    section(t('kb.uploadTitle'), 'kb-ingest', h('p', { class: 'hint' }, t('kb.uploadHint')), upload),
    section(t('kb.searchTitle'), 'kb-find', search, results));

  async function load() {
    const { knowledgeBases } = await call('POST', `${agent}/kb_list`, { kb: '' });
    const chosen = target.value;
    replace(target, knowledgeBases.map(kb => h('option', { value: kb.kb, selected: kb.kb === chosen }, kb.kb)));
    replace(list, table('kb-table',
      [t('kb.name'), t('kb.documents'), t('kb.chunks'), t('kb.vectors'), t('plugins.actions')],
      knowledgeBases.map(kb => h('tr', { 'data-testid': 'kb-row', dataset: { kb: kb.kb } },
        h('td', null, kb.kb),
        h('td', { 'data-testid': 'kb-documents' }, number(kb.documents)),
        h('td', null, number(kb.chunks)),
        h('td', null, number(kb.vectors)),
        h('td', { class: 'actions' }, h('button', {
          type: 'button',
          'data-testid': 'kb-delete',
          onclick: () => {
            if (!window.confirm(t('kb.confirmDelete', { kb: kb.kb }))) return;
            attempt(problems, async () => {
              await call('POST', `${agent}/kb_delete`, { kb: kb.kb });
              await load();
            });
          },
        }, t('kb.delete'))))),
      t('kb.none')));
  }

  async function ingest() {
    const documents = await Promise.all([...files.files].map(async file => ({ name: file.name, contentBase64: await base64(file) })));
    let job = await call('POST', `${agent}/ingest`, { kb: target.value, documents });
    progress.element.hidden = false;
    for (;;) {
      progress.set(job.processed, job.total, t('kb.progress', { done: job.processed, total: job.total }));
      if (job.state !== 'running') break;
      await new Promise(resolve => setTimeout(resolve, pollSeconds * 1000));
      job = await call('POST', `${agent}/ingest_status`, { jobId: job.jobId });
    }
    const counts = { ingested: 0, skipped: 0, failed: 0 };
    for (const item of job.items) counts[item.status] = (counts[item.status] ?? 0) + 1;
    replace(report,
      notice(counts.failed > 0 ? 'error' : 'ok', t('kb.report', counts)),
      table('kb-items', [t('kb.document'), t('kb.status'), t('kb.passages'), t('kb.chunks')],
        job.items.map(item => h('tr', { 'data-testid': 'kb-item', dataset: { status: item.status } },
          h('td', null, item.documentId),
          h('td', null, badge(t(`kb.status.${item.status}`), { ingested: 'ok', skipped: 'muted', failed: 'error' }[item.status] ?? 'info'), item.error ? h('div', { class: 'reason' }, item.error) : null),
          h('td', null, number(item.passages)),
          h('td', null, number(item.chunks)))),
        ''),
      job.notes.map(text => h('p', { class: 'hint' }, text)));
    files.value = '';
    await load();
  }

  async function find() {
    const answer = await call('POST', `${agent}/search`, { kb: target.value, query: query.value, mode: mode.value, limit: 5 });
    replace(results,
      answer.notes.map(text => notice('info', text)),
      answer.passages.length === 0 ? h('p', { class: 'empty', 'data-testid': 'kb-no-results' }, t('kb.noResults')) : h('ol', { class: 'passages' },
        answer.passages.map(hit => h('li', { 'data-testid': 'kb-hit' },
          h('div', { class: 'hit-head' },
            h('strong', null, hit.documentId), hit.heading ? ` · ${hit.heading}` : '',
            hit.retrievers.map(r => badge(`${r.retriever} #${r.rank}`, 'info'))),
          h('p', null, hit.text)))));
  }

  await attempt(problems, () => load());
}

function base64(file) {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result).split(',', 2)[1] ?? '');
    reader.onerror = () => reject(reader.error);
    reader.readAsDataURL(file);
  });
}
