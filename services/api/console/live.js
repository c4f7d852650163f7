// Live updates of the open customer (GET /api/v1/customers/{id}/stream, server-sent events,
// docs/api.md "Live updates"). The browser's EventSource reconnects by itself and sends
// Last-Event-ID, so the API replays what was missed exactly once. When the console itself
// drops the connection (the browser went offline) it reconnects with ?last_event_id= of the
// last change it saw, which a new EventSource cannot send as a header. An `event: reset`
// (too far behind) asks for a full reload; every (re)connection also refreshes the newest
// page, which covers anything committed before the stream was open.

import {segment} from './api.js';

export class LiveUpdates {
  // onChange(change JSON), onReset(), onConnected(), onState('live'|'connecting'|'offline').
  constructor({onChange, onReset, onConnected, onState}) {
    this.handlers = {onChange, onReset, onConnected, onState};
    this.source = null;
    this.customerId = '';
    this.lastSeq = '';
    window.addEventListener('offline', () => this.disconnect('offline'));
    window.addEventListener('online', () => this.connect());
  }

  follow(customerId) {
    this.disconnect('connecting');
    this.customerId = customerId;
    this.lastSeq = '';  // live from now; the timeline's first page covers what came before
    this.connect();
  }

  connect() {
    if (!this.customerId || this.source) return;
    const resume = this.lastSeq ? `?last_event_id=${encodeURIComponent(this.lastSeq)}` : '';
    const source = new EventSource(`/api/v1/customers/${segment(this.customerId)}/stream${resume}`);
    this.source = source;
    this.handlers.onState('connecting');
    source.addEventListener('open', () => {
      if (this.source !== source) return;
      this.handlers.onState('live');
      this.handlers.onConnected();
    });
    source.addEventListener('error', () => {
      if (this.source !== source) return;
      // CONNECTING: the browser retries by itself (with Last-Event-ID). CLOSED: it gave up
      // (e.g. 401 or 404), so the console tries again later from the last change it saw.
      if (source.readyState === EventSource.CLOSED) {
        this.disconnect('connecting');
        setTimeout(() => this.connect(), 5000);
      } else {
        this.handlers.onState('connecting');
      }
    });
    source.addEventListener('change', (message) => {
      if (this.source !== source) return;
      if (message.lastEventId) this.lastSeq = message.lastEventId;
      let change;
      try {
        change = JSON.parse(message.data);
      } catch {
        return;
      }
      this.handlers.onChange(change);
    });
    source.addEventListener('reset', (message) => {
      if (this.source !== source) return;
      try {
        const data = JSON.parse(message.data);
        if (data.last_change_seq !== undefined) this.lastSeq = String(data.last_change_seq);
      } catch {
        // A reset without a body still means: reload.
      }
      this.handlers.onReset();
    });
  }

  disconnect(state) {
    if (this.source) this.source.close();
    this.source = null;
    this.handlers.onState(state);
  }
}

// fn() run one at a time: a call while it runs makes it run once more afterwards, so a burst
// of changes costs at most two fetches and the last one sees them all.
export function coalesced(fn) {
  let running = false;
  let again = false;
  const run = async () => {
    if (running) {
      again = true;
      return;
    }
    running = true;
    try {
      do {
        again = false;
        await fn();
      } while (again);
    } finally {
      running = false;
    }
  };
  return run;
}
