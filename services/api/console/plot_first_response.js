// The metrics page's first-response plot (docs/console.md "Metrics page"): one row per inbound
// channel with its p50, p90 and p99 first response time on a log time axis (a bar from p50 to
// p99, a dot on each percentile) and the number of first responses. Every mark carries the
// figure it draws in data attributes; a visually hidden table says the same in words.

import {h, hiddenTable} from './dom.js';
import {channelLabel, durationText} from './format.js';
import {logScale, plotSvg, s, timeDomain, timeTicks} from './svg.js';

const QUANTILES = [['p50', 'p50_s', 'Median'], ['p90', 'p90_s', '90th percentile'], ['p99', 'p99_s', '99th percentile']];
const ROW = 34;
const LEFT = 120;
const RIGHT = 110;
const WIDTH = 820;

// byInboundChannel: totals.first_response.by_inbound_channel of the report -> a <figure>, or
// the empty state when no channel has a first response.
export function firstResponsePlot(byInboundChannel) {
  const rows = Object.entries(byInboundChannel || {})
      .filter(([, figures]) => figures && figures.count > 0)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const caption = h('figcaption', {id: 'frt-caption'},
                    h('h2', {text: 'First response time by inbound channel'}),
                    h('p', {class: 'plot-hint'},
                      QUANTILES.map(([name, , title]) => [h('span', {class: `legend-dot ${name}`, 'aria-hidden': 'true'}), ` ${title} `]),
                      '· log time axis · n = first responses'));
  if (!rows.length) {
    return h('figure', {class: 'metrics-plot', id: 'frt-plot'}, caption,
             h('p', {class: 'empty-state', text: 'No first responses in this range: no episode got a reply.'}));
  }
  const values = rows.flatMap(([, f]) => QUANTILES.map(([, key]) => f[key]));
  const [low, high] = timeDomain(values);
  const x = logScale([low, high], [LEFT, WIDTH - RIGHT]);
  const top = 10;
  const height = top + rows.length * ROW + 30;
  const axisY = top + rows.length * ROW;
  const ticks = timeTicks(low, high).map((t) => s('g', {class: 'tick'},
      s('line', {x1: x(t), x2: x(t), y1: top, y2: axisY, class: 'grid'}),
      s('text', {x: x(t), y: axisY + 18, 'text-anchor': 'middle', text: durationText(t)})));
  const marks = rows.map(([channel, f], i) => {
    const y = top + i * ROW + ROW / 2;
    const known = QUANTILES.filter(([, key]) => Number.isFinite(f[key]));
    const ends = known.map(([, key]) => x(f[key]));
    return s('g', {class: `frt-row channel-${channel}`,
                   dataset: {channel, count: f.count, p50S: f.p50_s, p90S: f.p90_s, p99S: f.p99_s}},
      s('text', {x: LEFT - 10, y: y + 5, 'text-anchor': 'end', class: 'row-label', text: channelLabel(channel)}),
      ends.length > 1 ? s('line', {x1: Math.min(...ends), x2: Math.max(...ends), y1: y, y2: y, class: 'frt-span'}) : null,
      known.map(([name, key, title]) => s('circle', {
        cx: x(f[key]), cy: y, r: name === 'p50' ? 7 : 5, class: `frt-dot ${name}`,
        dataset: {channel, quantile: name, seconds: f[key], [`${name}S`]: f[key]}},
        s('title', {text: `${channelLabel(channel)} ${title}: ${durationText(f[key])}`}))),
      s('text', {x: WIDTH - RIGHT + 10, y: y + 5, class: 'row-count', dataset: {channel, count: f.count},
                 text: `n = ${f.count}`}));
  });
  const summary = rows.map(([c, f]) => `${channelLabel(c)} median ${durationText(f.p50_s)}`).join(', ');
  const table = hiddenTable(
      h('caption', {text: 'First response time by inbound channel'}),
      h('thead', {}, h('tr', {}, ['Channel', 'First responses', 'p50', 'p90', 'p99'].map((t) => h('th', {scope: 'col', text: t})))),
      h('tbody', {}, rows.map(([c, f]) => h('tr', {},
          h('th', {scope: 'row', text: channelLabel(c)}), h('td', {text: f.count}),
          QUANTILES.map(([, key]) => h('td', {text: durationText(f[key])}))))));
  return h('figure', {class: 'metrics-plot', id: 'frt-plot'}, caption,
           plotSvg(WIDTH, height, `First response time by inbound channel: ${summary}`,
                   s('g', {class: 'axis'}, ticks, s('line', {x1: LEFT, x2: WIDTH - RIGHT, y1: axisY, y2: axisY, class: 'axis-line'})),
                   marks),
           table);
}
