import { language } from './i18n.js';

const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];

export function bytes(value) {
  if (value === null || value === undefined) return '–';
  let unit = 0;
  let amount = value;
  while (amount >= 1024 && unit < units.length - 1) { amount /= 1024; unit++; }
  return `${amount.toLocaleString(language(), { maximumFractionDigits: unit === 0 ? 0 : 1 })} ${units[unit]}`;
}

export function number(value) {
  return value === null || value === undefined ? '–' : value.toLocaleString(language());
}

export function dateTime(value) {
  if (!value) return '–';
  return new Date(value).toLocaleString(language(), { dateStyle: 'medium', timeStyle: 'medium' });
}

export function percent(part, whole) {
  return whole > 0 ? Math.min(100, Math.max(0, (part / whole) * 100)) : 0;
}
