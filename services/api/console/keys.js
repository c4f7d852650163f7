// Keyboard shortcuts (docs/console.md). Keys are matched by KeyboardEvent.code, the key's
// place on the keyboard, so j/k/n/m and / work the same on Hebrew, Cyrillic or any layout.
// Letter shortcuts never fire while the agent types in a field or while a dialog is open;
// Ctrl/Cmd+K works everywhere. Esc is the dialogs' own (closes the open one).

import {isTyping} from './dom.js';
import {anyDialogOpen} from './dialogs.js';

// actions: {jump, search, next, previous, note, help, metrics}
export function wireShortcuts(actions) {
  document.addEventListener('keydown', (e) => {
    if ((e.ctrlKey || e.metaKey) && !e.altKey && !e.shiftKey && e.code === 'KeyK') {
      e.preventDefault();
      actions.jump();
      return;
    }
    if (e.ctrlKey || e.metaKey || e.altKey) return;
    if (isTyping(e.target) || anyDialogOpen()) return;
    // Holding j or k walks the list; holding any other key does its thing once.
    if (e.repeat && e.code !== 'KeyJ' && e.code !== 'KeyK') return;
    let action = null;
    if (e.code === 'KeyJ') action = actions.next;
    else if (e.code === 'KeyK') action = actions.previous;
    else if (e.code === 'KeyN') action = actions.note;
    else if (e.code === 'KeyM') action = actions.metrics;
    else if (e.code === 'Slash') action = e.shiftKey ? actions.help : actions.search;
    else if (e.key === '?') action = actions.help;  // layouts where ? is not Shift+Slash
    if (!action) return;
    e.preventDefault();
    action();
  });
}
