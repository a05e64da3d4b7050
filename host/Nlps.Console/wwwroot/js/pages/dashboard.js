// Appliance status, serving traffic (requests/s and p50/p95 latency of the last minute, refreshed), hardware (GPU memory bars; a SIMULATED badge when the snapshot is a recorded box) and plugins
// (state, reason, enable/disable/rollback/uninstall, the config editor, upload of a .nlpkg with a live progress bar).
import { h, replace } from '../dom.js';
import { t } from '../i18n.js';
import { call, upload } from '../api.js';
import { attempt, badge, notice, progressBar, section, table } from '../ui.js';
import { bytes, dateTime, number, percent } from '../format.js';
import { renderPluginConfig } from './pluginconfig.js';

export async function renderDashboard(main) {
  const statusCard = h('div');
  const trafficCard = h('div');
  const hardwareCard = h('div');
  const pluginsCard = h('div');
  replace(main, h('div', { class: 'grid' }, h('div', { class: 'cards' }, statusCard, trafficCard), hardwareCard), pluginsCard);
  const problems = h('div');
  main.prepend(problems);
  await Promise.all([
    attempt(problems, async () => renderStatus(statusCard, await call('GET', '/v1/admin/status'))),
    watchTraffic(trafficCard, problems),
    attempt(problems, async () => renderHardware(hardwareCard, await call('GET', '/v1/admin/hardware'))),
    renderPlugins(pluginsCard),
  ]);
}

function renderStatus(card, status) {
  const row = (key, value) => h('tr', null, h('th', { scope: 'row' }, t(key)), h('td', null, value));
  replace(card, section(t('status.title'), 'status',
    h('table', { class: 'facts' }, h('tbody', null,
      row('status.version', status.version),
      row('status.sdk', status.sdkVersion),
      row('status.started', dateTime(status.startedAt)),
      row('status.state', status.stateDirectory),
      row('status.plugins', t('status.pluginCounts', { running: status.pluginsRunning, faulted: status.pluginsFaulted, total: status.pluginsTotal }))))));
}

const trafficRefreshMs = 2000;

// Loads the traffic summary now and every couple of seconds while the card is on screen.
async function watchTraffic(card, problems) {
  const load = () => attempt(problems, async () => renderTraffic(card, await call('GET', '/v1/admin/traffic')));
  await load();
  const timer = setInterval(() => {
    if (card.isConnected) load();
    else clearInterval(timer);
  }, trafficRefreshMs);
}

function renderTraffic(card, traffic) {
  const ms = seconds => (seconds === null || seconds === undefined ? '–' : t('traffic.milliseconds', { value: number(Math.round(seconds * 10000) / 10) }));
  const row = (key, value, testid) => h('tr', null, h('th', { scope: 'row' }, t(key)), h('td', { 'data-testid': testid }, value));
  replace(card, section(t('traffic.title'), 'traffic',
    h('table', { class: 'facts' }, h('tbody', null,
      row('traffic.rate', number(Math.round(traffic.requestsPerSecond * 100) / 100), 'traffic-rate'),
      row('traffic.requests', number(traffic.requests), 'traffic-requests'),
      row('traffic.errors', number(traffic.serverErrors), 'traffic-errors'),
      row('traffic.p50', ms(traffic.p50Seconds), 'traffic-p50'),
      row('traffic.p95', ms(traffic.p95Seconds), 'traffic-p95'))),
    h('p', { class: 'hint' }, t('traffic.hint', { seconds: traffic.windowSeconds }))));
}

function renderHardware(card, hardware) {
  const gpus = hardware.gpus.devices;
  const title = h('span', null, t('hardware.title'), ' ',
    hardware.simulated ? badge(t('hardware.simulated'), 'simulated', 'simulated-badge') : null);
  const memoryUsed = hardware.memory.totalBytes - hardware.memory.availableBytes;
  replace(card, h('section', { class: 'card', 'data-testid': 'hardware' },
    h('h2', null, title),
    hardware.simulated ? h('p', { class: 'hint', 'data-testid': 'simulated-from' }, t('hardware.simulatedFrom', { folder: hardware.simulatedFrom ?? '' })) : null,
    h('p', null, t('hardware.cpu', { model: hardware.cpu.model, cores: hardware.cpu.cores, threads: hardware.cpu.threads })),
    meter(t('hardware.ram'), memoryUsed, hardware.memory.totalBytes, 'ram'),
    hardware.disk ? meter(t('hardware.disk', { path: hardware.disk.path }), hardware.disk.totalBytes - hardware.disk.freeBytes, hardware.disk.totalBytes, 'disk') : null,
    gpus.length === 0
      ? h('p', { class: 'empty', 'data-testid': 'no-gpus' }, hardware.gpus.problem ? t('hardware.gpuProblem', { problem: hardware.gpus.problem }) : t('hardware.noGpus'))
      : h('div', { class: 'gpus' }, gpus.map(gpu => gpuCard(gpu))),
    hardware.gpus.driverVersion ? h('p', { class: 'hint' }, t('hardware.driver', { driver: hardware.gpus.driverVersion, cuda: hardware.gpus.cudaVersion ?? '–' })) : null));
}

function gpuCard(gpu) {
  const used = gpu.usedBytes ?? (gpu.freeBytes !== null && gpu.freeBytes !== undefined ? gpu.totalBytes - gpu.freeBytes : null);
  return h('div', { class: 'gpu', 'data-testid': 'gpu' },
    h('div', { class: 'gpu-name' }, `GPU ${gpu.index} · ${gpu.name}`),
    meter(t('hardware.gpuMemory'), used ?? 0, gpu.totalBytes, `gpu-${gpu.index}`),
    h('div', { class: 'gpu-facts' },
      t('hardware.utilization', { value: gpu.utilizationPercent ?? '–' }), ' · ',
      t('hardware.temperature', { value: gpu.temperatureCelsius ?? '–' })));
}

function meter(label, used, total, testid) {
  const share = percent(used, total);
  const fill = h('div', { class: `meter-fill${share > 90 ? ' high' : ''}`, dataset: { share: Math.round(share) } });
  // Set through the CSSOM: the CSP forbids style attributes, not script-set styles.
  fill.style.width = `${share}%`;
  return h('div', { class: 'meter', 'data-testid': `meter-${testid}` },
    h('div', { class: 'meter-label' }, h('span', null, label), h('span', null, `${bytes(used)} / ${bytes(total)}`)),
    h('div', { class: 'meter-track', role: 'meter', 'aria-valuemin': 0, 'aria-valuemax': 100, 'aria-valuenow': Math.round(share), 'aria-label': label }, fill));
}

async function renderPlugins(card) {
  const problems = h('div');
  const list = h('div');
  const configArea = h('div', { 'data-testid': 'plugin-config-area' });
  const progress = progressBar('upload-progress');
  progress.element.hidden = true;
  const file = h('input', { type: 'file', accept: '.nlpkg', 'data-testid': 'upload-file' });
  const uploadStatus = h('div', { class: 'form-status', 'data-testid': 'upload-status' });
  const form = h('form', {
    class: 'inline',
    onsubmit: event => {
      event.preventDefault();
      const chosen = file.files[0];
      if (!chosen) return;
      progress.element.hidden = false;
      progress.set(0, chosen.size, t('plugins.uploading', { percent: 0 }));
      attempt(uploadStatus, async () => {
        const status = await upload('/v1/admin/plugins', chosen, (done, total, finished) =>
          progress.set(done, total, finished ? t('plugins.installing') : t('plugins.uploading', { percent: Math.round(percent(done, total)) })));
        progress.set(chosen.size, chosen.size, t('plugins.installed', { id: status.id, version: status.version }));
        uploadStatus.replaceChildren(notice('ok', t('plugins.installed', { id: status.id, version: status.version })));
        form.reset();
        await load();
      });
    },
  }, h('label', null, t('plugins.upload'), file), h('button', { type: 'submit', class: 'primary', 'data-testid': 'upload-submit' }, t('plugins.uploadButton')));

  replace(card, section(t('plugins.title'), 'plugins', problems, list, configArea, h('h3', null, t('plugins.uploadTitle')), form, progress.element, uploadStatus));

  async function load() {
    await attempt(problems, async () => {
      const plugins = await call('GET', '/v1/admin/plugins');
      replace(list, table('plugin-table',
        [t('plugins.id'), t('plugins.name'), t('plugins.version'), t('plugins.state'), t('plugins.reason'), t('plugins.actions')],
        plugins.map(plugin => pluginRow(plugin)),
        t('plugins.none')));
    });
  }

  function pluginRow(plugin) {
    const act = (key, method, path, confirmKey) => h('button', {
      type: 'button',
      'data-testid': `plugin-${key}`,
      onclick: () => {
        if (confirmKey && !window.confirm(t(confirmKey, { id: plugin.id }))) return;
        attempt(problems, async () => {
          await call(method, path);
          await load();
        });
      },
    }, t(`plugins.${key}`));
    const id = encodeURIComponent(plugin.id);
    return h('tr', { 'data-testid': 'plugin-row', dataset: { plugin: plugin.id } },
      h('td', { class: 'mono' }, plugin.id),
      h('td', { 'data-testid': 'plugin-name' }, plugin.name ?? ''),
      h('td', null, plugin.version),
      h('td', null, badge(t(`plugins.state.${plugin.state}`), stateKind(plugin.state), 'plugin-state')),
      h('td', { class: 'reason', 'data-testid': 'plugin-reason' }, plugin.reason ?? ''),
      h('td', { class: 'actions' },
        plugin.enabled ? act('disable', 'POST', `/v1/admin/plugins/${id}/disable`) : act('enable', 'POST', `/v1/admin/plugins/${id}/enable`),
        h('button', { type: 'button', 'data-testid': 'plugin-configure', onclick: () => renderPluginConfig(configArea, plugin.id, load) }, t('plugins.configure')),
        plugin.versions.length > 1 ? act('rollback', 'POST', `/v1/admin/plugins/${id}/rollback`, 'plugins.confirmRollback') : null,
        act('uninstall', 'DELETE', `/v1/admin/plugins/${id}`, 'plugins.confirmUninstall')));
  }

  await load();
}

function stateKind(state) {
  return { Running: 'ok', Disabled: 'muted', Faulted: 'error' }[state] ?? 'info';
}

