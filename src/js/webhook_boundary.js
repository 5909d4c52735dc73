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
