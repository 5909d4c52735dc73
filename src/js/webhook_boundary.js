// Boundary helper for the webhook exports (src/js/webhook.rs).

const encoder = new TextEncoder();

// The bytes of a webhook body, handed to wasm in one copy: a string is encoded as UTF-8 by the
// native TextEncoder (wasm-bindgen's own string path walks it char by char in JS), a view is
// taken as its viewed bytes only. `undefined` for anything else.
export function bodyBytes(body) {
  if (typeof body === 'string') return encoder.encode(body);
  if (body instanceof Uint8Array) return body;
  if (body instanceof ArrayBuffer) return new Uint8Array(body);
  if (ArrayBuffer.isView(body)) return new Uint8Array(body.buffer, body.byteOffset, body.byteLength);
  return undefined;
}

// The query string of a `verifyWebhookChallenge` argument: a query string as is, a
// `URLSearchParams` or `URL` as serialised by the platform, a plain object (Express-style parsed
// query) with each string value, or the first string of an array value. `undefined` otherwise.
export function queryText(query) {
  if (typeof query === 'string') return query;
  if (query instanceof URLSearchParams) return query.toString();
  if (query instanceof URL) return query.search;
  if (query === null || typeof query !== 'object' || Array.isArray(query)) return undefined;
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    const v = Array.isArray(value) ? value[0] : value;
    if (typeof v === 'string') params.append(key, v);
  }
  return params.toString();
}
