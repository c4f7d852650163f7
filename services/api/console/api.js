// The console's calls to /api/v1 (docs/api.md): JSON in and out, the session cookie sent by
// the browser, and the CSRF token of GET /api/v1/session on every request that changes
// something (the API refuses cookie writes without it). Errors become ApiError carrying the
// API's error body ({"error": {code, message, field}}), so forms can name the field at fault.

let csrfToken = '';
let onUnauthorized = () => {};

export class ApiError extends Error {
  constructor(status, code, message, field) {
    super(message);
    this.status = status;
    this.code = code;
    this.field = field || '';
  }
}

export function setCsrfToken(token) {
  csrfToken = token || '';
}

// Called when a request comes back 401 (the session expired or was revoked).
export function setUnauthorizedHandler(handler) {
  onUnauthorized = handler;
}

// '?a=1&b=x' from an object, leaving out empty values; '' when nothing is left.
export function queryString(params) {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value !== undefined && value !== null && value !== '') search.set(key, String(value));
  }
  const text = search.toString();
  return text ? '?' + text : '';
}

// One path segment, percent-encoded (identity arguments contain ':' and '@' and '+').
export function segment(value) {
  return encodeURIComponent(value);
}

// method, path under /api/v1 ('/customers/...'), optional JSON body -> the parsed JSON answer.
export async function api(method, path, body, {quietUnauthorized = false} = {}) {
  const headers = {Accept: 'application/json'};
  if (method !== 'GET' && method !== 'HEAD' && csrfToken) headers['X-CSRF-Token'] = csrfToken;
  const init = {method, headers, credentials: 'same-origin', cache: 'no-store'};
  if (body !== undefined) {
    headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  let response;
  try {
    response = await fetch('/api/v1' + path, init);
  } catch (e) {
    throw new ApiError(0, 'network', 'The console cannot reach omnihub-api: ' + e.message);
  }
  const text = await response.text();
  let data = null;
  if (text) {
    try {
      data = JSON.parse(text);
    } catch {
      data = null;
    }
  }
  if (!response.ok) {
    const error = (data && data.error) || {};
    if (response.status === 401 && !quietUnauthorized) onUnauthorized();
    throw new ApiError(response.status, error.code || 'http_' + response.status,
                       error.message || response.statusText || 'request failed', error.field);
  }
  return data;
}

export const get = (path, options) => api('GET', path, undefined, options);
export const post = (path, body, options) => api('POST', path, body, options);
