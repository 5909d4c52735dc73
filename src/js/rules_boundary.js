// Boundary helpers for the rules exports (src/js/rules.rs). Each replaces two crossings of the
// JS/wasm boundary (and wasm-bindgen's catch wrapper) with one.

// The plain `{ method, url, headers, body }` object of a built request, made directly: cheaper
// than JSON.parse of a JSON text whose body is itself escaped JSON.
export function apiRequest(method, url, headerName, headerValue, body) {
  const headers = {};
  if (headerName !== undefined) headers[headerName] = headerValue;
  return body === undefined ? { method, url, headers } : { method, url, headers, body };
}

// A value from JSON text we wrote ourselves (always valid).
export function fromJsonText(text) {
  return JSON.parse(text);
}

// `{ valid: true, issues: [] }` (a fresh object each call: callers may mutate it).
export function validResult() {
  return { valid: true, issues: [] };
}

// A JSON POST request: the method and header are made here, not passed.
export function jsonPost(url, body) {
  return { method: 'POST', url, headers: { 'Content-Type': 'application/json' }, body };
}
