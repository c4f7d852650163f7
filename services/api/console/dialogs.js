// Modal dialogs (<dialog>.showModal): the browser keeps focus inside, Esc closes them, and
// focus returns to where it was. Every button marked .close-dialog closes its dialog.

import {byId} from './dom.js';

export function openDialog(id, focusId) {
  const dialog = byId(id);
  if (!dialog.open) dialog.showModal();
  if (focusId) byId(focusId).focus();
  return dialog;
}

export function anyDialogOpen() {
  return Boolean(document.querySelector('dialog[open]'));
}

export function wireDialogs() {
  for (const button of document.querySelectorAll('dialog .close-dialog')) {
    button.addEventListener('click', () => button.closest('dialog').close());
  }
}
