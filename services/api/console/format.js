// How data reads on screen: channel badges (a symbol, a name and a color, so the channel is
// never told by color alone), times, identities, sizes, and search snippets whose highlight
// markers ([[word]], docs/search.md) become <mark> elements around text nodes.

import {h} from './dom.js';

// Symbols are decoration (aria-hidden); the name is the accessible text.
const CHANNELS = {
  email: {label: 'Email', symbol: '✉'},
  sms: {label: 'SMS', symbol: '✆'},
  whatsapp: {label: 'WhatsApp', symbol: '☎'},
  messenger: {label: 'Messenger', symbol: '✦'},
  instagram: {label: 'Instagram', symbol: '◎'},
  telegram: {label: 'Telegram', symbol: '➤'},
  x: {label: 'X', symbol: '✕'},
  api: {label: 'API', symbol: '⚙'},
  note: {label: 'Note', symbol: '✎'},
};

export function channelLabel(channel) {
  return (CHANNELS[channel] || {label: channel || 'unknown'}).label;
}

export function channelBadge(channel) {
  const known = CHANNELS[channel] ? channel : 'other';
  const {label, symbol} = CHANNELS[channel] || {label: channel || 'unknown', symbol: '•'};
  return h('span', {class: `channel-badge channel-${known}`},
           h('span', {class: 'channel-symbol', 'aria-hidden': 'true', text: symbol}), ' ', label);
}

const TIME_FORMAT = new Intl.DateTimeFormat(undefined, {dateStyle: 'medium', timeStyle: 'short'});

// A <time> element with the RFC 3339 value as its datetime and a local reading as its text.
export function timeElement(rfc3339) {
  if (!rfc3339) return h('span', {text: '—'});
  const date = new Date(rfc3339);
  const text = Number.isNaN(date.getTime()) ? rfc3339 : TIME_FORMAT.format(date);
  return h('time', {datetime: rfc3339, title: rfc3339, text});
}

// An identity object of the event JSON ({email} | {phone} | {platform, account, user_id,
// handle?, name?}) as one line of text.
export function identityText(identity) {
  if (!identity) return '';
  let text = identity.email || identity.phone || '';
  if (!text && identity.platform) text = identity.handle ? '@' + identity.handle.replace(/^@/, '') : `${identity.platform}:${identity.user_id}`;
  if (!text) text = identity.value || '';
  return identity.name ? `${identity.name} <${text}>` : text;
}

export function byteSize(bytes) {
  if (!Number.isFinite(bytes)) return '';
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

// A snippet with [[...]] markers as a fragment: the text between markers as text nodes, the
// marked words inside <mark>. Nothing of the snippet is parsed as markup.
export function highlightedSnippet(snippet) {
  const fragment = document.createDocumentFragment();
  const marker = /\[\[(.*?)\]\]/gs;
  let last = 0;
  for (const match of (snippet || '').matchAll(marker)) {
    if (match.index > last) fragment.append(document.createTextNode(snippet.slice(last, match.index)));
    fragment.append(h('mark', {text: match[1]}));
    last = match.index + match[0].length;
  }
  if (last < (snippet || '').length) fragment.append(document.createTextNode(snippet.slice(last)));
  return fragment;
}

// A duration in seconds as an analyst reads it: "45 s", "5 min", "2 h", "3 d" (one decimal
// below ten of a unit, so 1.5 h and 90 min are told apart); '—' for null (nothing measured).
export function durationText(seconds) {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds)) return '—';
  const units = [[86400, 'd'], [3600, 'h'], [60, 'min']];
  for (const [size, name] of units) {
    if (seconds >= size) {
      const value = seconds / size;
      return `${value < 10 ? Number(value.toFixed(1)) : Math.round(value)} ${name}`;
    }
  }
  return `${Number(seconds.toFixed(seconds < 10 ? 1 : 0))} s`;
}

// A share in [0, 1] as a percentage ("60 %" reads as "60%"); '—' for null (no denominator).
export function percentText(share, digits = 0) {
  if (share === null || share === undefined || !Number.isFinite(share)) return '—';
  return `${(share * 100).toFixed(digits)}%`;
}
