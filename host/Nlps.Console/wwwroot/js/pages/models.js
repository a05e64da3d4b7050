// The model store (list, import a folder on the appliance as a job with a live progress bar, verify, remove) and the
// deployments the scheduler runs from it (state, memory, load / unload / pin / unpin).
import { h, replace } from '../dom.js';
import { t } from '../i18n.js';
import { call } from '../api.js';
import { attempt, badge, notice, progressBar, section, table } from '../ui.js';
import { bytes, dateTime, number } from '../format.js';
import { plannerSection } from './planner.js';

export async function renderModels(main) {
  const problems = h('div');
  const list = h('div');
  const deployments = h('div');
  const planner = h('div');
  const path = h('input', { name: 'path', required: true, placeholder: '/srv/models/…', 'data-testid': 'import-path' });
  const id = h('input', { name: 'id', 'data-testid': 'import-id' });
  const progress = progressBar('import-progress');
  progress.element.hidden = true;
  const jobStatus = h('div', { class: 'form-status', 'data-testid': 'import-status' });
  const form = h('form', {
    class: 'stack',
    onsubmit: event => {
      event.preventDefault();
      attempt(jobStatus, async () => {
        const job = await call('POST', '/v1/admin/models/import', { path: path.value, id: id.value || null });
        await follow(job, progress, jobStatus);
        await load();
      });
    },
  },
  h('label', null, t('models.path'), path),
  h('label', null, t('models.id'), id),
  h('button', { type: 'submit', class: 'primary', 'data-testid': 'import-submit' }, t('models.import')),
  progress.element,
  jobStatus);

  replace(main, problems,
    section(t('deployments.title'), 'deployments', h('p', { class: 'hint' }, t('deployments.hint')), deployments),
    section(t('models.title'), 'models', list),
    section(t('plan.title'), 'plan', planner),
    section(t('models.importTitle'), 'model-import', h('p', { class: 'hint' }, t('models.importHint')), form));

  async function load() {
    await attempt(problems, async () => {
      const models = await call('GET', '/v1/admin/models');
      if (!planner.hasChildNodes()) replace(planner, plannerSection(models));
      replace(list, table('model-table',
        [t('models.idColumn'), t('models.type'), t('models.parameters'), t('models.size'), t('models.imported'), t('models.verified'), t('plugins.actions')],
        models.map(model => h('tr', { 'data-testid': 'model-row', dataset: { model: model.id } },
          h('td', { class: 'mono' }, model.id),
          h('td', null, `${model.modelType} · ${model.task}${model.dtype ? ` · ${model.dtype}` : ''}`),
          h('td', null, number(model.parameterCount)),
          h('td', null, bytes(model.totalBytes)),
          h('td', null, dateTime(model.importedAt)),
          h('td', null, model.verifyProblem ? badge(model.verifyProblem, 'error') : model.verifiedAt ? dateTime(model.verifiedAt) : '–'),
          h('td', { class: 'actions' },
            h('button', { type: 'button', 'data-testid': 'model-verify', onclick: () => attempt(problems, async () => {
              await follow(await call('POST', `/v1/admin/models/${encodeURIComponent(model.id)}/verify`), progress, jobStatus);
              await load();
            }) }, t('models.verify')),
            h('button', { type: 'button', 'data-testid': 'model-remove', onclick: () => {
              if (!window.confirm(t('models.confirmRemove', { id: model.id }))) return;
              attempt(problems, async () => {
                await call('DELETE', `/v1/admin/models/${encodeURIComponent(model.id)}`);
                await load();
              });
            } }, t('models.remove'))))),
        t('models.none')));
    });
  }

  async function loadDeployments() {
    await attempt(problems, async () => {
      const status = await call('GET', '/v1/admin/deployments');
      const act = (name, action) => attempt(problems, async () => {
        await call('POST', `/v1/admin/deployments/${encodeURIComponent(name)}/${action}`);
        await loadDeployments();
      });
      replace(deployments,
        table('deployment-table',
          [t('deployments.name'), t('deployments.model'), t('deployments.state'), t('deployments.engine'), t('deployments.requests'), t('deployments.memory'), t('deployments.loads'), t('plugins.actions')],
          status.deployments.map(d => h('tr', { 'data-testid': 'deployment-row', dataset: { deployment: d.id } },
            h('td', { class: 'mono' }, d.id),
            h('td', { class: 'mono' }, d.modelId),
            h('td', null,
              badge(t(`deployments.state.${d.state}`), { Resident: 'ok', Loading: 'info', Unloading: 'info', Faulted: 'error' }[d.state] ?? 'muted', 'deployment-state'),
              d.pinned ? badge(t('deployments.pinned'), 'info', 'deployment-pinned') : null),
            engineCell(d.engine),
            h('td', null, `${d.active} / ${d.waiting}`),
            h('td', null, Object.entries(d.bytesPerDevice).map(([device, size]) => `${device} ${bytes(size)}`).join(', ')),
            h('td', null, `${d.loads} / ${d.evictions}`),
            h('td', { class: 'actions' },
              d.state === 'Unloaded' ? h('button', { type: 'button', 'data-testid': 'deployment-load', onclick: () => act(d.id, 'load') }, t('deployments.load')) : null,
              d.state === 'Resident' && !d.pinned ? h('button', { type: 'button', 'data-testid': 'deployment-unload', onclick: () => act(d.id, 'unload') }, t('deployments.unload')) : null,
              d.pinned
                ? h('button', { type: 'button', 'data-testid': 'deployment-unpin', onclick: () => act(d.id, 'unpin') }, t('deployments.unpin'))
                : h('button', { type: 'button', 'data-testid': 'deployment-pin', onclick: () => act(d.id, 'pin') }, t('deployments.pin'))))),
          t('deployments.none')),
        h('div', { class: 'budget', 'data-testid': 'deployment-budget' }, status.devices.map(device =>
          h('span', null, t('deployments.budget', { device: device.deviceId, held: bytes(device.heldBytes), capacity: bytes(device.capacityBytes) })))));
    });
  }

  await Promise.all([load(), loadDeployments()]);
}

/** Polls a store job (long-polling with waitSeconds) and moves the bar until it ends. */
// The deployment's engine (built-in, process, remote) and its state there; when not ready, why (a fault carries the
// last lines of the engine's stderr).
function engineCell(engine) {
  if (!engine) return h('td', null, '');
  const tone = { Ready: 'ok', Starting: 'info', Restarting: 'warn', Faulted: 'error', Unavailable: 'error' }[engine.state] ?? 'muted';
  return h('td', { 'data-testid': 'deployment-engine' },
    h('span', { class: 'mono' }, t(`deployments.engine.${engine.kind}`)), ' ',
    badge(t(`deployments.engineState.${engine.state}`), tone, 'deployment-engine-state'),
    engine.detail ? h('div', { class: 'hint mono', 'data-testid': 'deployment-engine-detail' }, engine.detail) : null);
}

async function follow(job, progress, status) {
  progress.element.hidden = false;
  let current = job;
  for (;;) {
    const phase = current.phase ? t(`models.phase.${current.phase}`) : '';
    progress.set(current.bytesDone, current.bytesTotal || 1, t('models.progress', {
      phase,
      done: bytes(current.bytesDone),
      total: bytes(current.bytesTotal),
      file: current.currentFile ?? '',
    }));
    if (current.state !== 'Running') break;
    current = await call('GET', `/v1/admin/models/jobs/${encodeURIComponent(current.id)}?waitSeconds=1`);
  }
  if (current.state === 'Succeeded') {
    progress.set(1, 1, t('models.done', { id: current.modelId }));
    status.replaceChildren(notice('ok', t('models.done', { id: current.modelId })));
  } else {
    status.replaceChildren(notice('error', t('models.failed', { id: current.modelId, error: current.error ?? current.state })));
  }
}
