// Builds form fields from a JSON Schema object (what System.Text.Json's schema exporter writes for a request type)
// and reads them back into a request body. Strings get a text area, numbers and integers a number box, booleans a
// checkbox, arrays of strings one item per line; anything else is edited as JSON. Fields can start filled from a
// value of the schema's shape, with a property's description and default shown under it.
import { h } from './dom.js';
import { t } from './i18n.js';

function kinds(property) {
  const type = property?.type;
  return (Array.isArray(type) ? type : [type]).filter(kind => kind && kind !== 'null');
}

function nullable(property) {
  const type = property?.type;
  return Array.isArray(type) && type.includes('null');
}

function editorFor(name, property) {
  const [kind] = kinds(property);
  const common = { name, 'data-testid': `field-${name}`, dataset: { kind: kind ?? 'json' } };
  if (property?.enum) {
    // An enum without a type reads back as text when every choice is text, else as JSON.
    const choices = property.enum.filter(value => value !== null);
    const enumKind = kind ?? (choices.every(value => typeof value === 'string') ? 'string' : 'json');
    return h('select', { ...common, dataset: { kind: enumKind } },
      choices.map(value => h('option', { value: enumKind === 'json' ? JSON.stringify(value) : String(value) }, String(value))));
  }
  switch (kind) {
    case 'string': return h('textarea', { ...common, rows: 2 });
    case 'integer': return h('input', { ...common, type: 'number', step: 1 });
    case 'number': return h('input', { ...common, type: 'number', step: 'any' });
    case 'boolean': return h('input', { ...common, type: 'checkbox' });
    case 'array':
      if (kinds(property.items)[0] === 'string') {
        return h('textarea', { ...common, rows: 3, dataset: { kind: 'lines' }, placeholder: t('playground.onePerLine') });
      }
      return h('textarea', { ...common, rows: 3, class: 'mono', dataset: { kind: 'json' }, placeholder: '[ … ]' });
    default: return h('textarea', { ...common, rows: 3, class: 'mono', dataset: { kind: 'json' }, placeholder: '{ … }' });
  }
}

function fill(editor, value) {
  if (value === undefined || value === null) return editor;
  switch (editor.dataset.kind) {
    case 'boolean': editor.checked = value === true; break;
    case 'lines': editor.value = Array.isArray(value) ? value.join('\n') : ''; break;
    case 'json': editor.value = JSON.stringify(value, null, 2); break;
    default: editor.value = String(value);
  }
  return editor;
}

function about(property) {
  const parts = [property?.description, property?.default !== undefined ? t('schemaform.default', { value: JSON.stringify(property.default) }) : null];
  const text = parts.filter(part => part).join(' ');
  return text ? h('span', { class: 'hint' }, text) : null;
}

/** The labelled fields for every property of `schema`, filled from `values` when given; required ones are marked. */
export function fieldsFor(schema, values) {
  const properties = schema?.properties ?? {};
  const required = new Set(schema?.required ?? []);
  const names = Object.keys(properties);
  if (names.length === 0) return [h('p', { class: 'hint', 'data-testid': 'playground-no-fields' }, t('playground.noFields'))];
  return names.map(name => h('label', null,
    h('span', null, name, required.has(name) && !nullable(properties[name]) ? h('span', { class: 'required', title: t('playground.required') }, ' *') : null),
    fill(editorFor(name, properties[name]), values?.[name]),
    values ? about(properties[name]) : null));
}

/** The request body the fields describe; empty optional fields are left out. Throws with the field's name on bad input. */
export function readFields(container, schema) {
  const body = {};
  for (const element of container.querySelectorAll('[name]')) {
    const name = element.name;
    const required = (schema?.required ?? []).includes(name);
    const kind = element.dataset.kind;
    if (kind === 'boolean') {
      body[name] = element.checked;
      continue;
    }
    const text = element.value;
    if (text === '' && !required) continue;
    switch (kind) {
      case 'string': body[name] = text; break;
      case 'integer':
      case 'number': {
        const value = Number(text);
        if (text === '' || Number.isNaN(value) || (kind === 'integer' && !Number.isInteger(value))) {
          throw new Error(t('playground.badNumber', { name }));
        }
        body[name] = value;
        break;
      }
      case 'lines': body[name] = text.split('\n').map(line => line.trim()).filter(line => line.length > 0); break;
      default:
        if (text === '') {
          body[name] = null;
          break;
        }
        try {
          body[name] = JSON.parse(text);
        } catch (error) {
          throw new Error(t('playground.badField', { name, detail: error.message }));
        }
    }
  }
  return body;
}
