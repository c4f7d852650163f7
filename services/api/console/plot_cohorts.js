// The metrics page's cohort retention heatmap (docs/console.md "Metrics page"): one row per
// monthly cohort (customers by the month of their first contact), one column per month since
// then, each cell shaded by the share of the cohort still in contact with the percentage written
// in it. The text is black or white, whichever reads better on the cell's shade (at least
// 4.5:1). Every cell carries its figures in data attributes; a visually hidden table repeats them.

import {h, hiddenTable} from './dom.js';
import {percentText} from './format.js';
import {plotSvg, s} from './svg.js';

const CELL_W = 54;
const CELL_H = 26;
const LEFT = 150;
const TOP = 36;

// From near white (0) to deep blue (1): [r, g, b] of a retention share.
const LIGHT = [238, 244, 251];
const DARK = [11, 61, 122];
function shade(share) {
  return LIGHT.map((c, i) => Math.round(c + (DARK[i] - c) * Math.max(0, Math.min(1, share))));
}

function luminance(rgb) {
  const [r, g, b] = rgb.map((c) => {
    const v = c / 255;
    return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

// Black on light shades, white on dark ones: the one with the higher contrast.
function textClass(rgb) {
  const l = luminance(rgb);
  return (l + 0.05) / 0.05 >= 1.05 / (l + 0.05) ? 'on-light' : 'on-dark';
}

// cohorts: the report's cohorts -> a <figure>, or the empty state.
export function cohortHeatmap(cohorts) {
  const rows = cohorts || [];
  const caption = h('figcaption', {},
                    h('h2', {text: 'Retention by monthly cohort'}),
                    h('p', {class: 'plot-hint', text: 'Rows: month of first contact (customers); columns: months since; cells: share still in contact.'}));
  if (!rows.length) {
    return h('figure', {class: 'metrics-plot', id: 'cohort-plot'}, caption,
             h('p', {class: 'empty-state', text: 'No customers had their first contact in this range, so there are no cohorts.'}));
  }
  const columns = Math.max(...rows.map((c) => (c.retention || []).length), 1);
  const width = LEFT + columns * CELL_W + 10;
  const height = TOP + rows.length * CELL_H + 6;
  const heads = Array.from({length: columns}, (_, k) => s('text', {
      x: LEFT + k * CELL_W + CELL_W / 2, y: TOP - 10, 'text-anchor': 'middle', class: 'col-label', text: `+${k}`}));
  const cells = rows.map((cohort, r) => s('g', {class: 'cohort-row', dataset: {cohort: cohort.month, customers: cohort.customers}},
      s('text', {x: LEFT - 8, y: TOP + r * CELL_H + CELL_H / 2 + 5, 'text-anchor': 'end', class: 'row-label',
                 text: `${cohort.month} (${cohort.customers})`}),
      (cohort.retention || []).map((share, k) => {
        const fill = shade(share ?? 0);
        const x = LEFT + k * CELL_W;
        const y = TOP + r * CELL_H;
        const data = {cohort: cohort.month, k, retention: share, retained: (cohort.retained || [])[k]};
        return s('g', {class: 'cohort-cell', dataset: data},
                 s('rect', {x: x + 1, y: y + 1, width: CELL_W - 2, height: CELL_H - 2, fill: `rgb(${fill.join(',')})`,
                            class: 'cell', dataset: data},
                   s('title', {text: `${cohort.month}, month +${k}: ${percentText(share, 1)} (${data.retained} of ${cohort.customers})`})),
                 s('text', {x: x + CELL_W / 2, y: y + CELL_H / 2 + 5, 'text-anchor': 'middle', class: `cell-text ${textClass(fill)}`,
                            dataset: data, text: percentText(share)}));
      })));
  const table = hiddenTable(
      h('caption', {text: 'Retention by monthly cohort'}),
      h('thead', {}, h('tr', {}, h('th', {scope: 'col', text: 'Cohort'}), h('th', {scope: 'col', text: 'Customers'}),
                                 Array.from({length: columns}, (_, k) => h('th', {scope: 'col', text: `Month +${k}`})))),
      h('tbody', {}, rows.map((c) => h('tr', {}, h('th', {scope: 'row', text: c.month}), h('td', {text: c.customers}),
                                       Array.from({length: columns}, (_, k) => h('td', {text: percentText((c.retention || [])[k], 1)}))))));
  // Cells keep their size (the percentages stay readable); a long history scrolls sideways.
  const svg = plotSvg(width, height, `Retention of ${rows.length} monthly cohorts from ${rows[0].month} to ${rows[rows.length - 1].month}`,
                      heads, cells);
  svg.setAttribute('class', 'plot');
  svg.setAttribute('width', width);
  svg.setAttribute('height', height);
  return h('figure', {class: 'metrics-plot', id: 'cohort-plot'}, caption,
           h('div', {class: 'heatmap-scroll', tabindex: '0', role: 'group', 'aria-label': 'Cohort retention heatmap (scrolls)'}, svg),
           table);
}
