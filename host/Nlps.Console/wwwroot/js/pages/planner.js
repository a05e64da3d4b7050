// The what-if planner as a form: deployments (a stored model, or a config.json for a model not on the box yet) are
// placed on this box's devices by POST /v1/admin/plan; nothing is loaded. Each answer shows the devices, the
// tensor-parallel degree and the bytes per device by cause, or the shortfall per device and the changes that would fit.
import { h, replace } from '../dom.js';
import { t } from '../i18n.js';
import { call } from '../api.js';
import { attempt, badge, notice, table } from '../ui.js';
import { bytes, number } from '../format.js';

const quantizations = ['Bf16', 'Fp16', 'Fp8', 'Int8', 'Int4', 'Fp32'];
const kvTypes = ['Bf16', 'Fp8', 'Fp32'];

/** The planner's form and result, for the models page; `models` are the stored models to choose from. */
export function plannerSection(models) {
  const wanted = [];
  const queue = h('div', { 'data-testid': 'plan-queue' });
  const result = h('div', { 'data-testid': 'plan-result' });
  const status = h('div');
  const id = h('input', { required: true, 'data-testid': 'plan-id', value: 'assistant' });
  const model = h('select', { 'data-testid': 'plan-model', 'aria-label': t('plan.model') },
    h('option', { value: '' }, t('plan.useConfig')),
    models.map(m => h('option', { value: m.id }, m.id)));
  const config = h('textarea', { rows: 4, class: 'mono', 'data-testid': 'plan-config', placeholder: '{ "model_type": "llama", … }' });
  const quantization = h('select', { 'data-testid': 'plan-quantization', 'aria-label': t('plan.quantization') }, quantizations.map(q => h('option', { value: q }, q.toLowerCase())));
  const kv = h('select', { 'data-testid': 'plan-kv', 'aria-label': t('plan.kv') }, kvTypes.map(q => h('option', { value: q }, q.toLowerCase())));
  const context = h('input', { type: 'number', min: 1, required: true, value: 8192, 'data-testid': 'plan-context' });
  const sequences = h('input', { type: 'number', min: 1, required: true, value: 4, 'data-testid': 'plan-sequences' });
  const pinned = h('input', { type: 'checkbox', 'data-testid': 'plan-pinned' });
  const allowCpu = h('input', { type: 'checkbox', 'data-testid': 'plan-cpu' });

  const form = h('form', {
    class: 'stack wide',
    onsubmit: event => {
      event.preventDefault();
      attempt(status, async () => {
        wanted.push(read());
        showQueue();
        await plan();
      });
    },
  },
  h('label', null, t('plan.id'), id),
  h('label', null, t('plan.model'), model),
  h('label', null, t('plan.config'), config),
  h('div', { class: 'inline-fields' },
    h('label', null, t('plan.quantization'), quantization),
    h('label', null, t('plan.kv'), kv),
    h('label', null, t('plan.context'), context),
    h('label', null, t('plan.sequences'), sequences)),
  h('div', { class: 'inline-fields' },
    h('label', { class: 'check' }, pinned, t('plan.pinned')),
    h('label', { class: 'check' }, allowCpu, t('plan.allowCpu'))),
  h('button', { type: 'submit', class: 'primary', 'data-testid': 'plan-add' }, t('plan.add')));

  function read() {
    const base = {
      id: id.value.trim(),
      quantization: quantization.value,
      kvCache: kv.value,
      maxContext: Number(context.value),
      maxSequences: Number(sequences.value),
      pinned: pinned.checked,
      allowCpu: allowCpu.checked,
    };
    if (wanted.some(w => w.id === base.id)) throw new Error(t('plan.duplicate', { id: base.id }));
    if (model.value) return { ...base, model: model.value };
    try {
      return { ...base, config: JSON.parse(config.value) };
    } catch (error) {
      throw new Error(t('plan.badConfig', { detail: error.message }));
    }
  }

  function showQueue() {
    replace(queue, wanted.length === 0 ? null : h('ul', { class: 'plan-queue' }, wanted.map((w, i) => h('li', null,
      `${w.id} · ${w.model ?? w.config?.model_type ?? '?'} · ${w.quantization.toLowerCase()} · ${number(w.maxContext)} × ${w.maxSequences} `,
      h('button', {
        type: 'button',
        class: 'link',
        'data-testid': 'plan-remove',
        onclick: () => attempt(status, async () => {
          wanted.splice(i, 1);
          showQueue();
          if (wanted.length > 0) await plan(); else result.replaceChildren();
        }),
      }, t('plan.remove'))))));
  }

  async function plan() {
    const answer = await call('POST', '/v1/admin/plan', { deployments: wanted, includeCpu: true });
    replace(result,
      answer.simulated ? notice('info', t('plan.simulated', { from: answer.simulatedFrom ?? '' })) : null,
      answer.outcomes.map(outcome => outcome.placement ? placed(outcome) : refused(outcome)),
      table('plan-devices', [t('plan.device'), t('plan.free'), t('plan.reserve'), t('plan.planned'), t('plan.left')],
        answer.devices.map(d => h('tr', null,
          h('td', { class: 'mono' }, d.deviceId),
          h('td', null, bytes(d.availableBytes)),
          h('td', null, bytes(d.reserveBytes)),
          h('td', null, bytes(d.plannedBytes)),
          h('td', null, bytes(d.availableBytes - d.reserveBytes - d.plannedBytes)))),
        ''));
  }

  function placed(outcome) {
    const p = outcome.placement;
    const b = p.perDevice;
    return h('div', { class: 'plan-outcome', 'data-testid': 'plan-outcome', dataset: { deployment: outcome.deploymentId, result: 'placed' } },
      h('p', null, badge(t('plan.placed'), 'ok'), ' ', h('strong', null, outcome.deploymentId), ' → ',
        h('span', { 'data-testid': 'plan-placement' }, t('plan.placement', { devices: p.devices.join(', '), tp: p.tensorParallel }))),
      h('p', { class: 'hint' }, t('plan.breakdown', {
        total: bytes(b.totalBytes), weights: bytes(b.weightBytes), kv: bytes(b.kvCacheBytes), workspace: bytes(b.workspaceBytes),
        reserved: number(p.kvTokensReserved), room: number(p.kvTokensCapacity),
      })));
  }

  function refused(outcome) {
    const r = outcome.refusal;
    return h('div', { class: 'plan-outcome', 'data-testid': 'plan-outcome', dataset: { deployment: outcome.deploymentId, result: 'refused' } },
      h('p', null, badge(t('plan.refused'), 'error'), ' ', h('strong', null, outcome.deploymentId), ': ', h('span', { 'data-testid': 'plan-refusal' }, r.message)),
      r.shortfalls.length === 0 ? null : h('ul', null, r.shortfalls.map(s => h('li', null,
        t('plan.shortfall', { device: s.deviceId, required: bytes(s.requiredBytes), available: bytes(s.availableBytes), missing: bytes(s.requiredBytes - s.availableBytes) })))),
      r.suggestions.length === 0 ? null : h('ul', { 'data-testid': 'plan-suggestions' }, r.suggestions.map(s => h('li', null, t('plan.try', { change: s.change })))));
  }

  return h('div', null, h('p', { class: 'hint' }, t('plan.hint')), form, status, queue, result);
}
