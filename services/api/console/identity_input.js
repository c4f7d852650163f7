// What the agent typed into the customer box, read as the API's customer argument
// (docs/api.md, common/client/customer_selector.h): a customer id, an identity argument
// (email:, phone:, x:@handle, ...), or free text to search for. Phone numbers are passed as
// typed, in any spelling ("+49 151 1234-5678", "(415) 555-0100"): the hub normalizes them.

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const PREFIXED = /^(email|mailto|phone|tel|sms|whatsapp|messenger|instagram|telegram|x|shortcode|sender):\S/i;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const PHONE = /^\+?[\d\s().\-/]+$/;
const HANDLE = /^@[A-Za-z0-9_]{1,50}$/;

// {kind: 'customer_id'|'identity'|'search', value}
export function classifyCustomerInput(raw) {
  const text = raw.trim();
  if (UUID.test(text)) return {kind: 'customer_id', value: text.toLowerCase()};
  if (PREFIXED.test(text)) return {kind: 'identity', value: text};
  if (EMAIL.test(text)) return {kind: 'identity', value: 'email:' + text};
  if (PHONE.test(text) && (text.match(/\d/g) || []).length >= 5) return {kind: 'identity', value: 'phone:' + text};
  // The hub resolves a handle reference to the user last seen with it (x only).
  if (HANDLE.test(text)) return {kind: 'identity', value: 'x:' + text};
  return {kind: 'search', value: text};
}
