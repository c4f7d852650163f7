// The console's metrics page (docs/console.md "Metrics page"): relationship metrics of
// GET /api/v1/metrics (docs/metrics.md) for a date range, channel and account, as headline
// figures and three plots. Its state lives in the URL fragment (#view=metrics&range=90&
// channel=sms&account=...), so a link opens the same page. The page asks the API twice per
// filter change: by=account (the headline, the first-response figures, the cohorts, and the
// accounts to offer) and by=week|month (the FCR trend). An answer to an older filter choice is
// dropped, so quick changes never show mixed figures. Runs on the page's one thread.

import {get, queryString} from './api.js';
import {byId, clear, h} from './dom.js';
import {channelLabel, durationText, percentText, timeElement} from './format.js';
import {cohortHeatmap} from './plot_cohorts.js';
import {fcrTrendPlot} from './plot_fcr_trend.js';
import {firstResponsePlot} from './plot_first_response.js';

// Date ranges the filter offers: days back from the start of today (UTC), or everything.
export const RANGES = {30: 'Last 30 days', 90: 'Last 90 days', 365: 'Last 365 days', all: 'All time'};
const DEFAULT_RANGE = '90';
const CHANNELS = ['email', 'sms', 'whatsapp', 'messenger', 'instagram', 'telegram', 'x'];
const DAY_MS = 86400 * 1000;

// The filters of a fragment's parameters, with unknown values replaced by the defaults.
export function metricsFilters(params) {
  const range = Object.hasOwn(RANGES, params.get('range') || '') ? params.get('range') : DEFAULT_RANGE;
  return {range, channel: params.get('channel') || '', account: params.get('account') || ''};
}

// since (RFC 3339, the start of the UTC day `days` before today) of a range; '' for all time.
export function rangeSince(range, now = new Date()) {
  if (range === 'all') return '';
  const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  return new Date(today - Number(range) * DAY_MS).toISOString().replace('.000Z', 'Z');
}

// Weeks for a short range; months when weeks would be too many points to read.
export function trendUnit(range) {
  return range === '30' || range === '90' ? 'week' : 'month';
}

function headline(report) {
  const totals = report.totals || {};
  const frt = totals.first_response || {};
  const fcr = totals.first_contact_resolution || {};
  const customers = report.customers || {};
  const ror = customers.return_on_relationship || {};
  const tile = (figure, title, value, text, detail) => h('div', {class: 'tile', dataset: {figure, value: value ?? ''}},
      h('dt', {text: title}), h('dd', {}, h('span', {class: 'tile-value', text}), h('span', {class: 'tile-detail', text: detail})));
  return h('dl', {class: 'headline', id: 'metrics-headline'},
      tile('frt-p50', 'First response, median', frt.p50_s, durationText(frt.p50_s), `${frt.count ?? 0} first responses`),
      tile('frt-p90', 'First response, p90', frt.p90_s, durationText(frt.p90_s), `9 in 10 answered within`),
      tile('fcr', 'First-contact resolution', fcr.share, percentText(fcr.share), `${fcr.resolved ?? 0} of ${fcr.closed ?? 0} closed episodes`),
      tile('returning', 'Returning customers', customers.returning_share, percentText(customers.returning_share),
           `${customers.returning ?? 0} of ${customers.customers ?? 0} customers`),
      tile('referral', 'Referred customers', customers.referral_share, percentText(customers.referral_share),
           `${customers.referred ?? 0} of ${customers.customers ?? 0} customers`),
      tile('ror', 'Return on relationship', ror.share, percentText(ror.share),
           `${ror.returning_or_referred ?? 0} of ${ror.customers ?? 0} customers in 12 months`));
}

function option(value, text, selected, props = {}) {
  return h('option', {value, text, selected: value === selected, ...props});
}

export class MetricsPage {
  constructor() {
    this.accounts = new Set();
    this.generation = 0;
    this.filters = metricsFilters(new URLSearchParams());
    for (const id of ['metrics-range', 'metrics-channel', 'metrics-account']) {
      byId(id).addEventListener('change', () => this.filtersChanged());
    }
    byId('metrics-filters').addEventListener('submit', (e) => {
      e.preventDefault();
      this.filtersChanged();
    });
  }

  // Shows the page for the fragment's parameters and loads its figures.
  show(params) {
    this.filters = metricsFilters(params);
    this.renderFilters();
    return this.load();
  }

  renderFilters() {
    const {range, channel, account} = this.filters;
    byId('metrics-range').replaceChildren(...Object.entries(RANGES).map(([value, text]) => option(value, text, range)));
    byId('metrics-channel').replaceChildren(option('', 'All channels', channel),
        ...CHANNELS.map((c) => option(c, channelLabel(c), channel)));
    if (account) this.accounts.add(account);
    byId('metrics-account').replaceChildren(option('', 'All accounts', account),
        ...[...this.accounts].sort().map((a) => option(a, a, account, {dir: 'auto'})));
  }

  // A filter changed: the fragment says the new state (a link to it opens the same page).
  filtersChanged() {
    const params = new URLSearchParams({view: 'metrics', range: byId('metrics-range').value});
    if (byId('metrics-channel').value) params.set('channel', byId('metrics-channel').value);
    if (byId('metrics-account').value) params.set('account', byId('metrics-account').value);
    history.replaceState(null, '', '#' + params);
    this.show(params);
  }

  async load() {
    const generation = ++this.generation;
    const view = byId('metrics-view');
    const {range, channel, account} = this.filters;
    const unit = trendUnit(range);
    const filter = {since: rangeSince(range), channel, account};
    const query = queryString(filter).slice(1);
    view.dataset.state = 'loading';
    view.setAttribute('aria-busy', 'true');
    let report;
    let trend;
    try {
      [report, trend] = await Promise.all([get('/metrics' + queryString({...filter, by: 'account'})),
                                           get('/metrics' + queryString({...filter, by: unit}))]);
    } catch (e) {
      if (generation !== this.generation) return;
      view.dataset.state = 'error';
      view.removeAttribute('aria-busy');
      // Said in place of the figures (a 401 brings the sign-in form back through api.js).
      clear(byId('metrics-body')).append(h('p', {class: 'empty-state', role: 'status',
          text: e.status === 503 ? `The hub has no relationship metrics to show: ${e.message}.`
                                 : `The metrics could not be loaded: ${e.message}`}));
      return;
    }
    if (generation !== this.generation) return;
    for (const group of report.groups || []) if (group.key) this.accounts.add(group.key);
    this.renderFilters();
    Object.assign(view.dataset, {query, unit, appliedChangeSeq: report.applied_change_seq,
                                 trendAppliedChangeSeq: trend.applied_change_seq});
    byId('metrics-body').replaceChildren(
        h('p', {class: 'metrics-as-of'}, `${RANGES[range]} · ${channel ? channelLabel(channel) : 'all channels'} · `,
          account ? h('span', {dir: 'auto', text: account}) : 'all accounts', '. Figures as of ', timeElement(report.as_of),
          ` (change ${report.applied_change_seq}).`),
        headline(report),
        firstResponsePlot(((report.totals || {}).first_response || {}).by_inbound_channel),
        fcrTrendPlot(trend.groups, unit),
        cohortHeatmap(report.cohorts));
    view.dataset.state = 'ready';
    view.removeAttribute('aria-busy');
  }
}
