// Boundary helpers for the rules exports (src/js/rules.rs). Each replaces two crossings of the
// JS/wasm boundary (and wasm-bindgen's catch wrapper) with one.

// The plain `{ method, url, headers, body }` object of a built request, made directly: cheaper
// than JSON.parse of a JSON text whose body is itself escaped JSON.
export function apiRequest(method, url, headerName, headerValue, body) {
  const headers = {};
  if (headerName !== undefined) headers[headerName] = headerValue;
  return body === undefined ? { method, url, headers } : { method, url, headers, body };
}

// JSON text of an argument (strings are taken as JSON text already); undefined when the value
// has no JSON form (undefined, a function, a symbol, a BigInt, a cycle).
export function jsonTextOf(value) {
  if (typeof value === 'string') return value;
  try {
    return JSON.stringify(value);
  } catch {
    return undefined;
  }
}

// A value from JSON text we wrote ourselves (always valid).
export function fromJsonText(text) {
  return JSON.parse(text);
}
