// A plugin's configuration editor: a form generated from its configSchema and filled with the configuration it runs
// with. Saving sends the whole configuration; the server checks it against the schema and either restarts the agent
// with it or answers every error, which is shown next to its field (or above the form when it has no field).
import { h, replace } from '../dom.js';
import { t, has } from '../i18n.js';
import { call, ApiError } from '../api.js';
import { attempt, badge, notice, section } from '../ui.js';
import { fieldsFor, readFields } from '../schemaform.js';

const topLevelName = /^\$(?:\.([A-Za-z_][A-Za-z0-9_]*)|\['((?:[^'\\]|\\.)*)'\])/;

/** Shows the editor for `pluginId` in `card`; `onSaved` runs after a save (the plugin list shows the new state). */
export async function renderPluginConfig(card, pluginId, onSaved) {
  const path = `/v1/admin/plugins/${encodeURIComponent(pluginId)}/config`;
  const problems = h('div');
  replace(card, problems);
  const view = await attempt(problems, () => call('GET', path));
  if (!view) return;

  const close = h('button', { type: 'button', class: 'link', 'data-testid': 'config-close', onclick: () => card.replaceChildren() }, t('pluginConfig.close'));
  const title = t('pluginConfig.title', { id: pluginId });
  if (!view.schema) {
    replace(card, section(title, 'plugin-config', notice('info', t('pluginConfig.noSchema')), close));
    return;
  }

  const fields = h('div', { class: 'fields' }, fieldsFor(view.schema, view.config ?? {}));
  const unplaced = h('ul', { class: 'config-errors', 'data-testid': 'config-errors' });
  const status = h('div', { class: 'form-status', 'data-testid': 'config-status' });
  const form = h('form', {
    'data-testid': 'config-form',
    onsubmit: event => {
      event.preventDefault();
      save();
    },
  }, unplaced, fields,
  h('div', { class: 'buttons' }, h('button', { type: 'submit', class: 'primary', 'data-testid': 'config-save' }, t('pluginConfig.save')), close));

  replace(card, section(title, 'plugin-config',
    h('p', { class: 'hint' }, t(view.source === 'saved' ? 'pluginConfig.sourceSaved' : 'pluginConfig.sourceFile')),
    form, status));

  function save() {
    for (const shown of form.querySelectorAll('.field-error')) shown.remove();
    unplaced.replaceChildren();
    attempt(status, async () => {
      const body = readFields(fields, view.schema);
      try {
        const plugin = await call('PUT', path, body);
        status.replaceChildren(notice(plugin.state === 'Faulted' ? 'error' : 'ok', t('pluginConfig.saved', { state: t(`plugins.state.${plugin.state}`), reason: plugin.reason ?? '' })),
          badge(t(`plugins.state.${plugin.state}`), plugin.state === 'Running' ? 'ok' : 'error', 'config-plugin-state'));
        await onSaved();
      } catch (error) {
        if (error instanceof ApiError && error.code === 'config_invalid') showErrors(error.problem?.errors ?? []);
        throw error;
      }
    });
  }

  function showErrors(errors) {
    for (const error of errors) {
      const match = topLevelName.exec(error.path);
      const name = match ? (match[1] ?? match[2].replace(/\\(.)/g, '$1')) : null;
      const field = name ? [...fields.querySelectorAll('[name]')].find(element => element.name === name) : null;
      const text = errorText(error);
      if (field) {
        field.closest('label').append(h('span', { class: 'field-error', role: 'alert', 'data-testid': `config-error-${name}` }, text));
      } else {
        unplaced.append(h('li', { class: 'field-error' }, text));
      }
    }
  }
}

// The error in the console's language when it knows the keyword; the server's English otherwise.
function errorText(error) {
  const key = `pluginConfig.error.${error.keyword}`;
  return has(key) ? `${error.path}: ${t(key, { expected: error.expected })}` : `${error.path}: ${error.message}`;
}
