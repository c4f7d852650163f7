// Building the page from data without ever parsing data as markup: every element comes from
// createElement and every piece of text from a text node, so a message that contains
// "<script>" is shown as those characters and never runs (the CSP would refuse it too).
// No framework: the console is small enough that plain DOM calls stay readable.

// h('li', {class: 'entry', dir: 'auto', onclick: fn}, child, 'text', [more]) -> the element.
// Props: class, text (textContent), dataset {..}, on<event> functions, anything else an attribute
// (true = present, false/null/undefined = absent).
export function h(tag, props = {}, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (value === undefined || value === null || value === false) continue;
    if (key === 'class') el.className = value;
    else if (key === 'text') el.textContent = String(value);
    else if (key === 'dataset') Object.assign(el.dataset, value);
    else if (key.startsWith('on') && typeof value === 'function') el.addEventListener(key.slice(2), value);
    else el.setAttribute(key, value === true ? '' : String(value));
  }
  append(el, children);
  return el;
}

// A table only screen readers read (a plot's text alternative). The hiding goes on a wrapper:
// a table sizes itself to its content whatever its width, so hidden directly it would still
// widen the page.
export function hiddenTable(...children) {
  return h('div', {class: 'visually-hidden'}, h('table', {}, ...children));
}

// Appends nodes and strings (as text nodes); nested arrays are flattened, null/false skipped.
export function append(parent, children) {
  for (const child of [children].flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    parent.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return parent;
}

export function clear(el) {
  el.replaceChildren();
  return el;
}

export function byId(id) {
  return document.getElementById(id);
}

// The polite live region: screen readers read `message` once, without moving focus.
export function announce(message) {
  const region = byId('announcer');
  region.append(h('p', {text: message}));
  // Keep only the last few, so the region does not grow without bound.
  while (region.childElementCount > 5) region.firstElementChild.remove();
}

// The page-wide alert (role=alert): an error the agent should see; '' hides it.
export function showAlert(message) {
  const alert = byId('alert');
  alert.textContent = message;
  alert.classList.toggle('shown', Boolean(message));
}

// True when keyboard input goes to a text field, where shortcuts must not fire.
export function isTyping(target) {
  if (!(target instanceof Element)) return false;
  if (target.isContentEditable) return true;
  return Boolean(target.closest('input, textarea, select'));
}
