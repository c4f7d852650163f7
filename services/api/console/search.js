// Message search (GET /api/v1/search, docs/search.md) across all customers or the open one.
// Hits show their channel, time, customer identity, subject and the snippet with the matched
// words highlighted; choosing a hit opens its customer at that entry.

import {get, queryString} from './api.js';
import {byId, clear, h} from './dom.js';
import {channelBadge, highlightedSnippet, timeElement} from './format.js';

const PAGE = 20;

// One page of hits: {hits, next_cursor}.
export function searchMessages({q, customer, cursor, limit = PAGE}) {
  return get('/search' + queryString({q, customer, cursor, limit}));
}

export function hitSummary(hit) {
  return h('span', {class: 'hit-summary'},
           channelBadge(hit.channel), ' ', h('span', {dir: 'auto', class: 'hit-identity', text: hit.identity || hit.customer_id}),
           ' ', timeElement(hit.occurred_at));
}

export class SearchPanel {
  // openHit(hit): open the hit's customer at its entry. currentCustomer(): the open customer's id or ''.
  constructor({openHit, currentCustomer, onError}) {
    this.openHit = openHit;
    this.currentCustomer = currentCustomer;
    this.onError = onError;
    this.input = byId('search-input');
    this.scope = byId('search-scope');
    this.list = byId('results-list');
    this.summary = byId('results-summary');
    this.more = byId('results-more');
    this.request = null;
    byId('search-form').addEventListener('submit', (e) => {
      e.preventDefault();
      this.run();
    });
    this.more.addEventListener('click', () => this.loadMore());
  }

  focus() {
    this.input.focus();
    this.input.select();
  }

  async run() {
    const q = this.input.value.trim();
    if (!q) return;
    const customer = this.scope.value === 'customer' ? this.currentCustomer() : '';
    this.request = {q, customer, cursor: ''};
    clear(this.list);
    this.summary.textContent = 'Searching…';
    await this.loadMore();
  }

  async loadMore() {
    const request = this.request;
    if (!request) return;
    try {
      const page = await searchMessages(request);
      if (request !== this.request) return;
      request.cursor = page.next_cursor || '';
      for (const hit of page.hits) this.list.append(this.renderHit(hit));
      const count = this.list.childElementCount;
      const where = request.customer ? 'this customer' : 'all customers';
      this.summary.textContent = count
          ? `${count}${request.cursor ? '+' : ''} ${count === 1 && !request.cursor ? 'message matches' : 'messages match'} “${request.q}” in ${where}.`
          : `No message matches “${request.q}” in ${where}.`;
      this.more.hidden = !request.cursor;
    } catch (e) {
      this.summary.textContent = '';
      this.onError(e);
    }
  }

  renderHit(hit) {
    const button = h('button', {type: 'button', class: 'hit-open'},
                     hitSummary(hit),
                     hit.subject ? h('span', {class: 'hit-subject', dir: 'auto', text: hit.subject}) : '',
                     h('span', {class: 'snippet', dir: 'auto'}, highlightedSnippet(hit.snippet)));
    button.addEventListener('click', () => this.openHit(hit));
    return h('li', {class: 'hit'}, button);
  }
}
