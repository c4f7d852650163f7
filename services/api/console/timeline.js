// The open customer's unified timeline (GET /api/v1/customers/{id}/timeline): newest first,
// consecutive entries of one conversation grouped under its heading, every channel marked,
// statuses, edits, deletions, reactions and attachments shown. Older pages load as the end
// of the list scrolls into view (next_cursor). Live updates fetch the newest page and merge
// it by event_id, so an entry is never shown twice and a changed one (a new status, an edit)
// is replaced in place.

import {get, queryString, segment} from './api.js';
import {byId, clear, h} from './dom.js';
import {byteSize, channelBadge, channelLabel, identityText, timeElement} from './format.js';

const PAGE = 50;
// While catching up after a reconnect, at most this many newest pages are read looking for
// an entry already shown; older gaps are filled by scrolling.
const CATCH_UP_PAGES = 10;

// Newest first: RFC 3339 UTC times with microseconds compare as text; the id breaks ties.
function newestFirst(a, b) {
  if (a.occurred_at !== b.occurred_at) return a.occurred_at < b.occurred_at ? 1 : -1;
  return a.event_id < b.event_id ? 1 : a.event_id > b.event_id ? -1 : 0;
}

function attachmentLink(attachment) {
  const name = attachment.name || attachment.sha256 || 'attachment';
  const meta = [attachment.media_type, byteSize(attachment.size)].filter(Boolean).join(', ');
  if (!/^[0-9a-f]{64}$/i.test(attachment.sha256 || '')) {
    return h('li', {}, h('span', {dir: 'auto', text: name}), ` (${meta}; not stored)`);
  }
  // A download, never shown inline: the API serves it as an attachment with a sandbox CSP.
  const href = `/api/v1/attachments/${attachment.sha256}` + queryString({name: attachment.name});
  return h('li', {},
           h('a', {href, download: name, rel: 'noopener', class: 'attachment-link'},
             h('span', {dir: 'auto', text: name})),
           meta ? ` (${meta})` : '');
}

function statusLine(event) {
  if (!event.status) return null;
  const list = h('ol', {class: 'status-history'},
                 (event.statuses || []).map((s) => h('li', {}, s.state, ' — ', timeElement(s.at),
                                                     s.detail ? ` (${s.detail})` : '',
                                                     s.error_code ? ` error ${s.error_code}` : '')));
  return h('details', {class: 'status'},
           h('summary', {}, 'Status: ', h('strong', {text: event.status})), list);
}

function amendmentLines(event) {
  const lines = [];
  if (event.edited) {
    const history = h('ol', {class: 'edit-history'},
                      (event.history || []).map((e) => h('li', {}, timeElement(e.at), ' ',
                                                         h('span', {dir: 'auto', class: 'old-text', text: e.text}))));
    lines.push(h('details', {class: 'edited'},
                 h('summary', {}, 'Edited ', timeElement(event.edited_at)), h('p', {text: 'Earlier versions:'}), history));
  }
  if (event.deleted) {
    lines.push(h('p', {class: 'deleted'}, 'Deleted by the sender ', timeElement(event.deleted_at)));
  }
  if (event.reactions && event.reactions.length) {
    lines.push(h('ul', {class: 'reactions', 'aria-label': 'Reactions'},
                 event.reactions.map((r) => h('li', {title: (r.by || []).join(', ')},
                                              h('span', {text: r.emoji}), ` ${r.count}`,
                                              r.name ? h('span', {class: 'visually-hidden', text: ` ${r.name}`}) : ''))));
  }
  return lines;
}

function partyLine(event) {
  if (event.kind === 'note') {
    const author = (event.provider_fields && event.provider_fields.author) || identityText(event.from) || 'an agent';
    return h('span', {class: 'party'}, 'Note by ', h('span', {dir: 'auto', text: author}));
  }
  if (event.direction === 'outbound') {
    const to = (event.to || []).map(identityText).filter(Boolean).join(', ');
    return h('span', {class: 'party'}, '→ Sent', to ? ' to ' : '', h('span', {dir: 'auto', text: to}));
  }
  return h('span', {class: 'party'}, '← Received', event.from ? ' from ' : '',
           h('span', {dir: 'auto', text: identityText(event.from)}));
}

// Kinds other than message and note, in one line (a reaction or an edit that the hub has not
// folded into its message, an activity).
function otherKindLine(event) {
  if (event.kind === 'reaction' && event.reaction) {
    return h('p', {class: 'kind-line'}, event.reaction.removed ? 'Removed reaction ' : 'Reacted ',
             h('span', {text: event.reaction.emoji}));
  }
  if (event.kind === 'activity') return h('p', {class: 'kind-line', dir: 'auto', text: event.activity || 'activity'});
  return h('p', {class: 'kind-line', text: event.kind});
}

// No aria-label on the entry: a screen reader reads its whole text (channel, direction, time,
// message) when j/k moves focus to it, not a summary in place of the message.
export function renderEntry(event) {
  const body = [];
  if (event.subject) body.push(h('p', {class: 'subject', dir: 'auto', text: event.subject}));
  if (event.kind === 'message' || event.kind === 'note') {
    if (event.text) body.push(h('p', {class: 'message-text', dir: 'auto', text: event.text}));
  } else {
    body.push(otherKindLine(event));
  }
  body.push(...amendmentLines(event));
  if (event.attachments && event.attachments.length) {
    body.push(h('div', {class: 'attachments'}, h('p', {class: 'attachments-title', text: 'Attachments'}),
                h('ul', {}, event.attachments.map(attachmentLink))));
  }
  return h('li', {class: `entry channel-${event.channel} dir-${event.direction} kind-${event.kind}`,
                  tabindex: '-1', dataset: {eventId: event.event_id}},
           h('div', {class: 'entry-head'}, channelBadge(event.channel), ' ', partyLine(event), ' ',
             timeElement(event.occurred_at), statusLine(event)),
           body);
}

export class Timeline {
  constructor({onError}) {
    this.list = byId('timeline');
    this.olderButton = byId('older-button');
    this.endText = byId('timeline-end-text');
    this.onError = onError;
    this.customerId = '';
    this.reset();
    this.olderButton.addEventListener('click', () => this.loadOlder());
    // Older history loads when the end of the list comes into view.
    this.observer = new IntersectionObserver((entries) => {
      if (entries.some((e) => e.isIntersecting)) this.loadOlder();
    }, {root: byId('timeline-panel'), rootMargin: '200px'});
    this.observer.observe(this.olderButton.parentElement);
  }

  reset() {
    this.events = new Map();  // event_id -> event JSON
    // event_id -> {json, li}: an entry whose JSON did not change keeps its element, so an
    // expanded status or edit history stays open across live updates.
    this.rendered = new Map();
    this.nextCursor = null;
    this.loadingOlder = false;
    this.generation = (this.generation || 0) + 1;  // answers for an earlier customer are dropped
    this.currentId = '';
  }

  async open(customerId) {
    this.customerId = customerId;
    this.reset();
    clear(this.list);
    this.endText.textContent = 'Loading…';
    const generation = this.generation;
    const page = await this.fetchPage('');
    if (generation !== this.generation) return null;
    this.nextCursor = page.next_cursor || null;
    this.merge(page.events);
    if (this.nextCursor && this.endInView()) this.loadOlder();
    return page.customer;
  }

  fetchPage(cursor) {
    return get(`/customers/${segment(this.customerId)}/timeline` + queryString({limit: PAGE, cursor}));
  }

  async loadOlder() {
    if (!this.customerId || !this.nextCursor || this.loadingOlder) return;
    this.loadingOlder = true;
    const generation = this.generation;
    try {
      const page = await this.fetchPage(this.nextCursor);
      if (generation !== this.generation) return;
      this.nextCursor = page.next_cursor || null;
      this.merge(page.events);
    } catch (e) {
      this.onError(e);
      return;
    } finally {
      this.loadingOlder = false;
    }
    // The observer only reports changes: if the end is still in view, keep going.
    if (this.nextCursor && this.endInView()) this.loadOlder();
  }

  endInView() {
    const root = byId('timeline-panel').getBoundingClientRect();
    return this.olderButton.parentElement.getBoundingClientRect().top < root.bottom + 200;
  }

  // The newest entries after a change: pages from the newest until one holds an entry already
  // shown. Returns the entries that were not shown before.
  async loadNewest() {
    if (!this.customerId) return [];
    const generation = this.generation;
    const fresh = [];
    let cursor = '';
    for (let i = 0; i < CATCH_UP_PAGES; ++i) {
      const page = await this.fetchPage(cursor);
      if (generation !== this.generation) return [];
      const known = page.events.some((e) => this.events.has(e.event_id));
      fresh.push(...this.merge(page.events));
      if (known || !page.next_cursor) break;
      cursor = page.next_cursor;
    }
    return fresh;
  }

  // Adds or replaces entries by event_id and redraws; returns the entries that are new.
  merge(events) {
    const fresh = [];
    for (const event of events) {
      if (!this.events.has(event.event_id)) fresh.push(event);
      this.events.set(event.event_id, event);
    }
    this.render(new Set(fresh.map((e) => e.event_id)));
    return fresh;
  }

  render(freshIds = new Set()) {
    const hadFocus = this.list.contains(document.activeElement) ? this.currentId : '';
    const sorted = [...this.events.values()].sort(newestFirst);
    const groups = [];
    for (const event of sorted) {
      const last = groups[groups.length - 1];
      if (event.conversation && last && last.conversation === event.conversation) last.events.push(event);
      else groups.push({conversation: event.conversation, events: [event]});
    }
    const items = groups.map((group) => {
      const entries = group.events.map((event) => {
        const json = JSON.stringify(event);
        const kept = this.rendered.get(event.event_id);
        if (kept && kept.json === json) return kept.li;
        const li = renderEntry(event);
        if (freshIds.has(event.event_id)) li.classList.add('fresh');
        this.rendered.set(event.event_id, {json, li});
        return li;
      });
      if (!group.conversation) return h('li', {class: 'group single'}, h('ol', {class: 'entries'}, entries));
      const first = group.events[0];
      return h('li', {class: 'group conversation'},
               h('h3', {class: 'conversation-head'}, 'Conversation ',
                 h('span', {class: 'conversation-key', dir: 'auto', text: group.conversation}),
                 ` · ${channelLabel(first.channel)}`),
               h('ol', {class: 'entries'}, entries));
    });
    this.list.replaceChildren(...items);
    if (!this.events.has(this.currentId)) this.currentId = sorted.length ? sorted[0].event_id : '';
    this.setCurrent(this.currentId, Boolean(hadFocus));
    this.olderButton.hidden = !this.nextCursor;
    this.endText.textContent = !sorted.length ? 'No messages yet.' : this.nextCursor ? '' : 'Start of the history.';
  }

  entries() {
    return [...this.list.querySelectorAll('.entry')];
  }

  // Roving tabindex: the current entry is the one tab stop of the list.
  setCurrent(eventId, focus) {
    this.currentId = eventId;
    for (const li of this.entries()) {
      const current = li.dataset.eventId === eventId;
      li.tabIndex = current ? 0 : -1;
      if (current && focus) {
        li.focus();
        li.scrollIntoView({block: 'nearest'});
      }
    }
  }

  // j/k: the next (+1, older) or previous (-1, newer) entry. From outside the list the first
  // press goes to the current entry, so the agent sees where j and k start from.
  move(delta) {
    const entries = this.entries();
    if (!entries.length) return;
    const at = entries.findIndex((li) => li.dataset.eventId === this.currentId);
    const inList = this.list.contains(document.activeElement);
    const step = inList && at >= 0 ? delta : 0;
    const next = Math.min(entries.length - 1, Math.max(0, (at < 0 ? 0 : at) + step));
    this.setCurrent(entries[next].dataset.eventId, true);
    if (next === entries.length - 1) this.loadOlder();
  }

  // Shows an entry (from a search hit) when it is loaded.
  reveal(eventId) {
    if (this.events.has(eventId)) this.setCurrent(eventId, true);
  }
}
