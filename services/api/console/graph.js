// The identity graph from the console (docs/api.md "Changing the identity graph"): why the
// open customer's identities are together (GET /customers/{id}/explain), linking an identity,
// merging another customer in after a preview of what moves, and undoing a merge (split).
// Every change is recorded by the API with the signed-in token's name as the actor.

import {get, post, segment} from './api.js';
import {byId, clear, h} from './dom.js';
import {timeElement} from './format.js';
import {openDialog} from './dialogs.js';

function reasonText(reason) {
  if (!reason) return '';
  const parts = [(reason.rule || 'linked').replaceAll('_', ' ')];
  if (reason.actor) parts.push(`by ${reason.actor}`);
  if (reason.reason) parts.push(`“${reason.reason}”`);
  if (reason.anchor && reason.anchor.argument) parts.push(`with ${reason.anchor.argument}`);
  if (reason.merged_from) parts.push(`merged from ${reason.merged_from}`);
  if (reason.event_id) parts.push(`(event ${reason.event_id})`);
  return parts.join(' ');
}

function sideList(side, title) {
  return h('section', {class: 'merge-side'},
           h('h3', {text: title}),
           h('p', {text: `Customer ${side.customer_id}: ${side.event_count} events`}),
           h('ul', {}, side.identities.map((i) => h('li', {dir: 'auto', text: `${i.argument} (${i.event_count} events)`}))),
           side.conversations.length
               ? h('p', {text: `Conversations: ${side.conversations.filter(Boolean).join(', ') || 'none'}`})
               : '');
}

export class GraphActions {
  // customer(): the open customer's id; changed(): refresh after a change; onError(e).
  constructor({customer, changed, onError}) {
    this.customer = customer;
    this.changed = changed;
    this.onError = onError;
    this.pendingMerge = null;
    byId('explain-button').addEventListener('click', () => this.explain());
    byId('link-button').addEventListener('click', () => this.openLink());
    byId('merge-button').addEventListener('click', () => this.openMerge());
    byId('link-form').addEventListener('submit', (e) => {
      e.preventDefault();
      this.link();
    });
    byId('merge-form').addEventListener('submit', (e) => {
      e.preventDefault();
      this.preview();
    });
    byId('merge-confirm-button').addEventListener('click', () => this.merge());
    byId('split-form').addEventListener('submit', (e) => {
      e.preventDefault();
      this.split();
    });
    for (const id of ['merge-other', 'merge-reason']) {
      // The preview is of what was typed: typing again asks for a new preview.
      byId(id).addEventListener('input', () => this.clearPreview());
    }
  }

  async explain() {
    const body = clear(byId('explain-body'));
    body.append(h('p', {text: 'Loading…'}));
    openDialog('explain-dialog');
    try {
      const explain = await get(`/customers/${segment(this.customer())}/explain`);
      body.replaceChildren(this.renderExplain(explain));
    } catch (e) {
      body.replaceChildren(h('p', {class: 'form-error', text: e.message}));
    }
  }

  renderExplain(explain) {
    const identities = h('ul', {class: 'explain-identities'},
                         explain.identities.map((i) => h('li', {},
                                                         h('strong', {dir: 'auto', text: i.argument}),
                                                         ` — ${i.event_count} events — `,
                                                         h('span', {dir: 'auto', text: reasonText(i.reason)}),
                                                         i.reason && i.reason.at ? [' ', timeElement(i.reason.at)] : '')));
    const merges = explain.merges.map((m) => {
      const what = `Merge ${m.merge_id}: customer ${m.other_id} into ${m.survivor_id}` +
                   (m.actor ? ` by ${m.actor}` : '') + (m.reason ? ` (“${m.reason}”)` : '');
      const state = m.split
          ? h('span', {}, ` — undone${m.split.actor ? ' by ' + m.split.actor : ''} `, timeElement(m.split.at))
          : h('button', {type: 'button', class: 'split-button', onclick: () => this.openSplit(m.merge_id, what)}, 'Undo this merge');
      return h('li', {}, h('span', {dir: 'auto', text: what}), ' ', timeElement(m.merged_at), ' ', state);
    });
    const history = explain.history.map((e) => h('li', {dir: 'auto'},
                                                 `${e.kind.replaceAll('_', ' ')}${e.identity ? ' ' + e.identity : ''}` +
                                                 `${e.actor ? ' by ' + e.actor : ''}${e.reason ? ' (“' + e.reason + '”)' : ''} `,
                                                 timeElement(e.at)));
    return h('div', {},
             h('p', {text: `Customer ${explain.customer.customer_id}: ${explain.customer.event_count} events.`}),
             h('h3', {text: 'Identities and why each one is here'}), identities,
             h('h3', {text: 'Merges'}), merges.length ? h('ul', {}, merges) : h('p', {text: 'None.'}),
             h('h3', {text: 'History'}), history.length ? h('ol', {}, history) : h('p', {text: 'None.'}));
  }

  openLink() {
    byId('link-error').textContent = '';
    openDialog('link-dialog', 'link-identity');
  }

  async link() {
    const identity = byId('link-identity').value.trim();
    const reason = byId('link-reason').value.trim();
    try {
      await post(`/customers/${segment(this.customer())}/identities`, {identity, reason});
      byId('link-dialog').close();
      byId('link-form').reset();
      this.changed(`Linked ${identity}.`);
    } catch (e) {
      byId('link-error').textContent = e.field ? `${e.field}: ${e.message}` : e.message;
    }
  }

  openMerge() {
    this.clearPreview();
    byId('merge-error').textContent = '';
    openDialog('merge-dialog', 'merge-other');
  }

  clearPreview() {
    this.pendingMerge = null;
    clear(byId('merge-preview'));
    byId('merge-confirm-button').hidden = true;
  }

  // POST /merges with preview: true writes nothing; it shows what the merge would move.
  async preview() {
    const request = {survivor: this.customer(), other: byId('merge-other').value.trim(),
                     reason: byId('merge-reason').value.trim()};
    byId('merge-error').textContent = '';
    try {
      const preview = await post('/merges', {...request, preview: true});
      this.pendingMerge = request;
      byId('merge-preview').replaceChildren(
          h('p', {class: 'preview-total', text: `After the merge this customer has ${preview.event_count_after} events.`}),
          sideList(preview.other, 'Moves into this customer'),
          sideList(preview.survivor, 'This customer now'));
      const confirm = byId('merge-confirm-button');
      confirm.hidden = false;
      confirm.focus();
    } catch (e) {
      this.clearPreview();
      byId('merge-error').textContent = e.field ? `${e.field}: ${e.message}` : e.message;
    }
  }

  async merge() {
    if (!this.pendingMerge) return;
    try {
      const result = await post('/merges', this.pendingMerge);
      this.clearPreview();
      byId('merge-form').reset();
      const undo = h('button', {type: 'button', class: 'split-button',
                                onclick: () => this.openSplit(result.merge_id, `Merge ${result.merge_id}`)}, 'Undo this merge');
      byId('merge-preview').replaceChildren(h('p', {class: 'merge-done', text: `Merged (merge ${result.merge_id}).`}), undo);
      undo.focus();
      this.changed('Customers merged.');
    } catch (e) {
      byId('merge-error').textContent = e.field ? `${e.field}: ${e.message}` : e.message;
    }
  }

  openSplit(mergeId, what) {
    this.splitId = mergeId;
    byId('split-what').textContent = what;
    byId('split-error').textContent = '';
    for (const id of ['merge-dialog', 'explain-dialog']) {
      if (byId(id).open) byId(id).close();
    }
    openDialog('split-dialog', 'split-reason');
  }

  async split() {
    try {
      await post(`/merges/${segment(this.splitId)}/split`, {reason: byId('split-reason').value.trim()});
      byId('split-dialog').close();
      byId('split-form').reset();
      this.changed('Merge undone.');
    } catch (e) {
      byId('split-error').textContent = e.field ? `${e.field}: ${e.message}` : e.message;
    }
  }
}
