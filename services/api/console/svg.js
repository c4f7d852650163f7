// The console's own small drawing kit for the metrics plots: SVG elements built like dom.js
// builds HTML (createElementNS, attributes and text nodes only, never markup from strings), and
// the scales that map figures to positions. Nothing is loaded from anywhere; the plots are
// plain inline SVG styled by app.css. Stateless functions, safe to call from anywhere.

const SVG_NS = 'http://www.w3.org/2000/svg';

// s('rect', {x: 1, class: 'bar', dataset: {k: 2}}, child, 'text') -> the SVG element.
// Props as dom.js's h(): class, text, dataset, anything else an attribute; null/false skipped.
export function s(tag, props = {}, ...children) {
  const el = document.createElementNS(SVG_NS, tag);
  for (const [key, value] of Object.entries(props)) {
    if (value === undefined || value === null || value === false) continue;
    if (key === 'class') el.setAttribute('class', value);
    else if (key === 'text') el.textContent = String(value);
    else if (key === 'dataset') {
      for (const [name, data] of Object.entries(value)) {
        if (data !== undefined) el.dataset[name] = data === null ? '' : String(data);
      }
    } else el.setAttribute(key, value === true ? '' : String(value));
  }
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return el;
}

// The <svg> of one plot: scales with its box (viewBox), named for screen readers by `label`.
export function plotSvg(width, height, label, ...children) {
  return s('svg', {viewBox: `0 0 ${width} ${height}`, class: 'plot fluid', role: 'img', 'aria-label': label,
                   preserveAspectRatio: 'xMinYMin meet'}, children);
}

// value in [domain0, domain1] -> [range0, range1], straight.
export function linearScale([d0, d1], [r0, r1]) {
  const span = d1 - d0 || 1;
  return (value) => r0 + ((value - d0) / span) * (r1 - r0);
}

// value in [d0, d1] (both > 0) -> [r0, r1] on a log axis; values below d0 sit at r0.
export function logScale([d0, d1], [r0, r1]) {
  const l0 = Math.log10(d0);
  const span = Math.log10(d1) - l0 || 1;
  return (value) => r0 + ((Math.log10(Math.max(value, d0)) - l0) / span) * (r1 - r0);
}

// Tick values for a log time axis: the round durations a person reads (1 s … 30 d) that fall
// within [low, high].
const TIME_TICKS = [1, 10, 60, 300, 900, 3600, 4 * 3600, 86400, 3 * 86400, 7 * 86400, 30 * 86400, 90 * 86400];
export function timeTicks(low, high) {
  return TIME_TICKS.filter((t) => t >= low && t <= high);
}

// The domain of a log time axis that holds every value with room on both sides.
export function timeDomain(values) {
  const positive = values.filter((v) => Number.isFinite(v) && v > 0);
  if (!positive.length) return [1, 3600];
  const low = Math.min(...positive);
  const high = Math.max(...positive);
  const below = [...TIME_TICKS].reverse().find((t) => t <= low) ?? 1;
  const above = TIME_TICKS.find((t) => t >= high) ?? high * 2;
  return [Math.min(below, low), Math.max(above, high * 1.0001, below * 10)];
}
