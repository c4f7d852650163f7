// The agent console (docs/console.md): signs in (GET /api/v1/session, else a token form that
// POSTs /api/v1/session), opens a customer from whatever identifies them, shows the unified
// timeline with live updates, searches, adds notes and changes the identity graph; the metrics
// page (#view=metrics) shows the relationship metrics. Each area lives in its own module; this
// one wires them to the page and to each other.

import {ApiError, get, post, api, queryString, segment, setCsrfToken, setUnauthorizedHandler} from './api.js';
import {announce, byId, clear, h, showAlert} from './dom.js';
import {openDialog, wireDialogs} from './dialogs.js';
import {channelLabel, identityText, timeElement} from './format.js';
import {GraphActions} from './graph.js';
import {classifyCustomerInput} from './identity_input.js';
import {wireShortcuts} from './keys.js';
import {LiveUpdates, coalesced} from './live.js';
import {MetricsPage} from './metrics_page.js';
import {SearchPanel, hitSummary, searchMessages} from './search.js';
import {Timeline} from './timeline.js';

const state = {customerId: '', session: null};

function reportError(e) {
  if (e instanceof ApiError && e.status === 401) return;  // the login form is shown instead
  showAlert(e.field ? `${e.message} (${e.field})` : e.message);
}

// ---- session ----

function showLogin() {
  state.session = null;
  live.disconnect('offline');
  byId('workspace').hidden = true;
  byId('metrics-view').hidden = true;
  byId('logout-button').hidden = true;
  byId('session-name').textContent = '';
  byId('login-view').hidden = false;
  byId('login-token').focus();
}

function showWorkspace(session) {
  state.session = session;
  setCsrfToken(session.csrf_token);
  byId('login-view').hidden = true;
  byId('logout-button').hidden = false;
  byId('session-name').replaceChildren(h('span', {class: 'visually-hidden', text: 'Signed in as '}), session.name);
  showAlert('');
}

async function startSession() {
  try {
    showWorkspace(await get('/session', {quietUnauthorized: true}));
  } catch (e) {
    if (e.status === 401) return showLogin();
    throw e;
  }
  const params = new URLSearchParams(location.hash.slice(1));
  if (params.get('view') === 'metrics') return openMetrics(params);
  showView('customers');
  const fromHash = params.get('customer');
  if (fromHash) return openCustomer(fromHash);
  byId('jump-input').focus();
  await showRecentCustomers();
}

// ---- views: the customer workspace or the metrics page ----

function showView(name) {
  byId('workspace').hidden = name !== 'customers';
  byId('metrics-view').hidden = name !== 'metrics';
  for (const [link, view] of [['nav-customers', 'customers'], ['nav-metrics', 'metrics']]) {
    if (view === name) byId(link).setAttribute('aria-current', 'page');
    else byId(link).removeAttribute('aria-current');
  }
}

async function openMetrics(params) {
  showView('metrics');
  await metrics.show(params);
  byId('metrics-heading').focus();
  announce('Metrics page opened.');
}

// The fragment changed (a navigation link, a pasted link, back/forward): show what it names.
async function route() {
  if (!state.session) return;
  const params = new URLSearchParams(location.hash.slice(1));
  if (params.get('view') === 'metrics') return openMetrics(params);
  showView('customers');
  const customer = params.get('customer');
  if (customer && customer !== state.customerId) return openCustomer(customer);
  if (!customer && state.customerId) {
    // Back from the metrics page to the open customer: the fragment names it again.
    history.replaceState(null, '', '#' + new URLSearchParams({customer: state.customerId}));
  }
  byId(state.customerId ? 'timeline-heading' : 'jump-input').focus();
}

// Before a customer is open: the customers with the newest activity, one click away.
async function showRecentCustomers() {
  let page;
  try {
    page = await get('/customers/recent' + queryString({limit: 15}));
  } catch (e) {
    return reportError(e);
  }
  if (state.customerId || !page.customers.length) return;
  const items = page.customers.map((customer) => {
    const first = (customer.identities || [])[0];
    return h('li', {},
             h('button', {type: 'button', class: 'pick', onclick: () => openCustomer(customer.customer_id)},
               h('span', {class: 'identity', dir: 'auto', text: first ? first.argument : customer.customer_id}),
               h('span', {class: 'why'}, 'Last activity ', timeElement(customer.last_activity_at))));
  });
  const section = h('div', {id: 'recent-customers'}, h('h3', {text: 'Recent customers'}),
                    h('ul', {class: 'pick-list recent'}, items));
  const shown = byId('recent-customers');
  if (shown) shown.replaceWith(section);  // signed in again: one list, the current one
  else byId('profile-body').append(section);
}

async function signIn(event) {
  event.preventDefault();
  const input = byId('login-token');
  try {
    await post('/session', {token: input.value.trim()}, {quietUnauthorized: true});
    input.value = '';
    // The session's own answer carries the CSRF token and the name.
    await startSession();
  } catch (e) {
    showAlert(e.status === 401 ? 'That token is not valid (unknown, revoked or expired).' : e.message);
    input.focus();
  }
}

async function signOut() {
  try {
    await api('DELETE', '/session');
  } catch (e) {
    reportError(e);
  }
  setCsrfToken('');
  showLogin();
}

// ---- the open customer ----

function profileFacts(profile) {
  const facts = [];
  const fact = (term, ...value) => facts.push(h('dt', {text: term}), h('dd', {}, value));
  if (profile.channels && profile.channels.length) fact('Channels', profile.channels.map(channelLabel).join(', '));
  if (profile.first_contact_at) fact('First contact', timeElement(profile.first_contact_at));
  if (profile.last_contact_at) fact('Last contact', timeElement(profile.last_contact_at));
  fact('Events', String(profile.event_count ?? (profile.counts && profile.counts.events) ?? ''));
  if (profile.counts) {
    for (const [name, count] of Object.entries(profile.counts)) {
      if (name !== 'events') fact(name.replaceAll('_', ' '), String(count));
    }
  }
  if (Array.isArray(profile.open_conversations)) {
    fact('Awaiting a reply', profile.open_conversations.length
        ? profile.open_conversations.map((c) => (typeof c === 'string' ? c : c.conversation || c.key || '')).join(', ')
        : 'none');
  }
  return h('dl', {class: 'facts'}, facts);
}

function renderProfile(profile) {
  const identities = (profile.identities || []).map((identity) => {
    const why = identity.reason ? (identity.reason.rule || '').replaceAll('_', ' ') : identity.linked;
    return h('li', {}, h('span', {dir: 'auto', class: 'identity', text: identity.argument || identityText(identity)}),
             identity.name ? h('span', {dir: 'auto', class: 'identity-name', text: ` (${identity.name})`}) : '',
             why ? h('span', {class: 'why', text: ` — ${why}`}) : '');
  });
  byId('profile-body').replaceChildren(
      h('p', {class: 'customer-id'}, 'Customer ', h('code', {text: profile.customer_id})),
      h('h3', {text: 'Identities'}), h('ul', {class: 'identities'}, identities),
      profileFacts(profile));
  byId('profile-actions').hidden = false;
}

async function refreshProfile() {
  if (!state.customerId) return;
  try {
    renderProfile(await get(`/customers/${segment(state.customerId)}`));
  } catch (e) {
    reportError(e);
  }
}

// Opens a customer by id or identity argument; `eventId` = an entry to show once loaded,
// `profile` = the customer's profile when the caller has just read it.
async function openCustomer(selector, {eventId = '', profile = null} = {}) {
  showAlert('');
  try {
    profile = profile || await get(`/customers/${segment(selector)}`);
  } catch (e) {
    if (e.status === 404) return showAlert(`No customer found for ${selector}.`);
    return reportError(e);
  }
  state.customerId = profile.customer_id;
  showView('customers');
  history.replaceState(null, '', '#' + new URLSearchParams({customer: profile.customer_id}));
  renderProfile(profile);
  live.follow(state.customerId);
  try {
    await timeline.open(state.customerId);
  } catch (e) {
    reportError(e);
  }
  byId('timeline-heading').textContent = `Timeline of ${profile.identities && profile.identities[0]
      ? profile.identities[0].argument : profile.customer_id}`;
  announce(`Opened customer ${profile.customer_id}, ${timeline.events.size} entries shown.`);
  if (eventId) timeline.reveal(eventId);
  else byId('timeline-heading').focus();
}

// The customer box: an identity-looking text goes to GET /customers?identity=, anything else
// is searched for and the agent picks among the customers of the hits.
async function jump(event) {
  event.preventDefault();
  const typed = byId('jump-input').value;
  const input = classifyCustomerInput(typed);
  if (!input.value) return;
  if (input.kind === 'customer_id') return openCustomer(input.value);
  if (input.kind === 'identity') {
    try {
      const profile = await get('/customers' + queryString({identity: input.value}));
      return openCustomer(profile.customer_id, {profile});
    } catch (e) {
      if (e.status === 404) return showAlert(`No customer has the identity ${input.value}.`);
      return reportError(e);
    }
  }
  try {
    const page = await searchMessages({q: input.value, limit: 50});
    const byCustomer = new Map();
    for (const hit of page.hits) if (!byCustomer.has(hit.customer_id)) byCustomer.set(hit.customer_id, hit);
    if (byCustomer.size === 0) return showAlert(`No customer or message matches “${input.value}”.`);
    if (byCustomer.size === 1) return openCustomer([...byCustomer.keys()][0]);
    pickCustomer(input.value, [...byCustomer.values()]);
  } catch (e) {
    reportError(e);
  }
}

function pickCustomer(q, hits) {
  byId('pick-summary').textContent = `${hits.length} customers have messages matching “${q}”.`;
  const list = clear(byId('pick-list'));
  for (const hit of hits) {
    const button = h('button', {type: 'button', class: 'pick'}, hitSummary(hit));
    button.addEventListener('click', () => {
      byId('pick-dialog').close();
      openCustomer(hit.customer_id);
    });
    list.append(h('li', {}, button));
  }
  openDialog('pick-dialog');
  list.querySelector('button').focus();
}

// ---- notes ----

function openNote() {
  if (!state.customerId) return showAlert('Open a customer first (Ctrl+K).');
  byId('note-error').textContent = '';
  openDialog('note-dialog', 'note-text');
}

async function saveNote(event) {
  event.preventDefault();
  const text = byId('note-text').value;
  try {
    await post(`/customers/${segment(state.customerId)}/notes`, {text});
    byId('note-dialog').close();
    byId('note-form').reset();
    announce('Note added.');
    await refreshTimeline();
  } catch (e) {
    byId('note-error').textContent = e.field ? `${e.field}: ${e.message}` : e.message;
  }
}

// ---- live updates ----

const timeline = new Timeline({onError: reportError});

const refreshTimeline = coalesced(async () => {
  try {
    const fresh = await timeline.loadNewest();
    for (const event of fresh) {
      if (event.kind === 'message' && event.direction === 'inbound') {
        announce(`New ${channelLabel(event.channel)} message from ${identityText(event.from)}: ${event.text || event.subject || ''}`);
      }
    }
  } catch (e) {
    reportError(e);
  }
});

const LIVE_STATES = {live: 'Live', connecting: 'Reconnecting…', offline: 'Offline: updates paused'};

// After a merge, split, link or unlink the customer's history itself may have changed (a split
// takes events away), so profile and timeline are read again from the start.
async function reloadCustomer() {
  if (!state.customerId) return;
  await refreshProfile();
  try {
    await timeline.open(state.customerId);
  } catch (e) {
    reportError(e);
  }
}

const GRAPH_CHANGE = /^(customers_|identity_)/;

const live = new LiveUpdates({
  onChange: (change) => {
    if (GRAPH_CHANGE.test(change.kind || '')) reloadCustomer();
    else refreshTimeline();
  },
  onReset: async () => {
    await reloadCustomer();
    announce('Reconnected after a long gap: the timeline was read again.');
  },
  onConnected: () => refreshTimeline(),
  onState: (s) => {
    byId('live-state').textContent = LIVE_STATES[s] || '';
    byId('live-state').dataset.state = s;
  },
});

// ---- wiring ----

const metrics = new MetricsPage();

const search = new SearchPanel({
  openHit: (hit) => openCustomer(hit.customer_id, {eventId: hit.event_id}),
  currentCustomer: () => state.customerId,
  onError: reportError,
});

new GraphActions({
  customer: () => state.customerId,
  changed: (message) => {
    announce(message);
    reloadCustomer();
  },
  onError: reportError,
});

function focusJump() {
  if (byId('workspace').hidden) return;
  byId('jump-input').focus();
  byId('jump-input').select();
}

setUnauthorizedHandler(showLogin);
wireDialogs();
wireShortcuts({
  jump: focusJump,
  search: () => search.focus(),
  next: () => timeline.move(1),
  previous: () => timeline.move(-1),
  note: openNote,
  help: () => openDialog('help-dialog'),
  metrics: () => {
    if (!byId('workspace').hidden) location.hash = '#view=metrics';
  },
});
byId('login-form').addEventListener('submit', signIn);
byId('logout-button').addEventListener('click', signOut);
byId('help-button').addEventListener('click', () => openDialog('help-dialog'));
byId('jump-form').addEventListener('submit', jump);
// Search results show in the customer workspace, so a search from the metrics page goes there.
byId('search-form').addEventListener('submit', () => {
  if (byId('metrics-view').hidden) return;
  showView('customers');
  history.replaceState(null, '', state.customerId ? '#' + new URLSearchParams({customer: state.customerId}) : '#');
});
window.addEventListener('hashchange', () => route().catch(reportError));
byId('note-button').addEventListener('click', openNote);
byId('note-form').addEventListener('submit', saveNote);
startSession().catch(reportError);
