// The metrics page's first-contact-resolution trend (docs/console.md "Metrics page"): one point
// per week or month (the report's by=week|month groups) at its FCR share, joined by a line, over
// a bar of the closed episodes the share is taken of (their number written under it). A period
// without closed episodes has no share: it shows an open marker on the baseline, not a 0.
// Every mark carries its figures in data attributes; a visually hidden table repeats them.

import {h, hiddenTable} from './dom.js';
import {percentText} from './format.js';
import {linearScale, plotSvg, s} from './svg.js';

const WIDTH = 820;
const HEIGHT = 250;
const LEFT = 50;
const RIGHT = 20;
const TOP = 14;
const BOTTOM = 200;  // the share axis' baseline; labels and counts below

// groups: the report's groups for by=unit; unit: 'week' | 'month'.
export function fcrTrendPlot(groups, unit) {
  const points = (groups || []).map((g) => ({key: g.key, ...g.first_contact_resolution}));
  const caption = h('figcaption', {},
                    h('h2', {text: `First-contact resolution by ${unit}`}),
                    h('p', {class: 'plot-hint', text: 'Share of closed episodes resolved with one reply; bars and numbers: closed episodes.'}));
  if (!points.some((p) => p.closed > 0)) {
    return h('figure', {class: 'metrics-plot', id: 'fcr-plot'}, caption,
             h('p', {class: 'empty-state', text: 'No closed episodes in this range, so there is no first-contact resolution to show.'}));
  }
  const step = (WIDTH - LEFT - RIGHT) / points.length;
  const xOf = (i) => LEFT + step * (i + 0.5);
  const y = linearScale([0, 1], [BOTTOM, TOP]);
  const maxClosed = Math.max(...points.map((p) => p.closed || 0), 1);
  const barHeight = linearScale([0, maxClosed], [0, (BOTTOM - TOP) * 0.45]);
  // Labels thin out when there are many periods, so they never overlap.
  const labelEvery = Math.ceil(points.length / 14);
  const grid = [0, 0.25, 0.5, 0.75, 1].map((v) => s('g', {class: 'tick'},
      s('line', {x1: LEFT, x2: WIDTH - RIGHT, y1: y(v), y2: y(v), class: v === 0 ? 'axis-line' : 'grid'}),
      s('text', {x: LEFT - 6, y: y(v) + 4, 'text-anchor': 'end', text: percentText(v)})));
  const bars = points.map((p, i) => s('rect', {
      x: xOf(i) - step * 0.3, width: step * 0.6, y: BOTTOM - barHeight(p.closed || 0), height: barHeight(p.closed || 0),
      class: 'fcr-closed', dataset: {[unit]: p.key, closed: p.closed}}));
  const shared = points.map((p, i) => [p, i]).filter(([p]) => Number.isFinite(p.share));
  const line = shared.length > 1
      ? s('polyline', {class: 'fcr-line', points: shared.map(([p, i]) => `${xOf(i)},${y(p.share)}`).join(' ')})
      : null;
  const dots = points.map((p, i) => {
    const has = Number.isFinite(p.share);
    const words = has ? `${p.key}: ${percentText(p.share)} of ${p.closed} closed episodes resolved at first contact`
                      : `${p.key}: no closed episodes`;
    return s('circle', {cx: xOf(i), cy: has ? y(p.share) : BOTTOM, r: 5, class: has ? 'fcr-point' : 'fcr-point none',
                        dataset: {[unit]: p.key, key: p.key, share: has ? p.share : null, closed: p.closed, resolved: p.resolved}},
             s('title', {text: words}));
  });
  const labels = points.map((p, i) => s('g', {class: 'period-label'},
      i % labelEvery === 0 ? s('text', {x: xOf(i), y: BOTTOM + 18, 'text-anchor': 'middle', text: p.key}) : null,
      s('text', {x: xOf(i), y: BOTTOM + 36, 'text-anchor': 'middle', class: 'count', dataset: {[unit]: p.key, closed: p.closed},
                 text: String(p.closed)})));
  const table = hiddenTable(
      h('caption', {text: `First-contact resolution by ${unit}`}),
      h('thead', {}, h('tr', {}, [unit === 'week' ? 'Week' : 'Month', 'FCR', 'Resolved', 'Closed episodes'].map((t) => h('th', {scope: 'col', text: t})))),
      h('tbody', {}, points.map((p) => h('tr', {}, h('th', {scope: 'row', text: p.key}), h('td', {text: percentText(p.share, 1)}),
                                      h('td', {text: p.resolved}), h('td', {text: p.closed})))));
  const latest = [...shared].pop();
  const label = `First-contact resolution by ${unit}, ${points.length} periods` +
      (latest ? `; latest ${latest[0].key}: ${percentText(latest[0].share)}` : '');
  return h('figure', {class: 'metrics-plot', id: 'fcr-plot'}, caption,
           plotSvg(WIDTH, HEIGHT, label, s('g', {class: 'axis'}, grid), bars, line, dots, labels,
                   s('text', {x: LEFT - 40, y: BOTTOM + 36, class: 'count-title', text: 'closed'})),
           table);
}
