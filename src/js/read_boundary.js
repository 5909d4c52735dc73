// Reading the caller's values. Everything here may run the caller's code (getters, proxy traps,
// toJSON, a Date subclass) or meet a revoked Proxy, so every reader is imported with
// wasm-bindgen's `catch`: a throw comes back to Rust as an `Err` holding the thrown value (the
// WhatsAppError's `cause`) instead of unwinding through wasm frames, which would leave the
// shadow stack pointer and any borrow flags behind. The last three (`encodeText`,
// `describeThrown`, `toPromise`) cannot throw and are imported without it (scripts/build-pkg.mjs
// step 4 lists them). Size limits are checked here, before a value
// is copied into wasm memory: a result that is a number is the size of an input that is too large.

const encoder = new TextEncoder();

// The intrinsic getters, so an own `buffer`/`byteLength` property (or a Proxy) cannot lie.
const getter = (proto, key) => Object.getOwnPropertyDescriptor(proto, key).get;
const typedArray = Object.getPrototypeOf(Uint8Array.prototype);
const viewGetters = [
  [getter(typedArray, 'buffer'), getter(typedArray, 'byteOffset'), getter(typedArray, 'byteLength')],
  [getter(DataView.prototype, 'buffer'), getter(DataView.prototype, 'byteOffset'), getter(DataView.prototype, 'byteLength')],
];
const bufferLength = getter(ArrayBuffer.prototype, 'byteLength');
const dateTime = Date.prototype.getTime;

// The bytes of a body as a fresh Uint8Array: a string as UTF-8, a view as the bytes it views, an
// ArrayBuffer whole. `undefined` for another type; the byte length when it is over `max`.
export function bytesOf(body, max) {
  if (typeof body === 'string') {
    if (body.length > max) return body.length;
    const bytes = encoder.encode(body);
    return bytes.length > max ? bytes.length : bytes;
  }
  if (body === null || typeof body !== 'object') return undefined;
  if (ArrayBuffer.isView(body)) {
    const [buffer, offset, length] = viewGetters[body instanceof DataView ? 1 : 0];
    const n = length.call(body);
    return n > max ? n : new Uint8Array(buffer.call(body), offset.call(body), n);
  }
  let n;
  try {
    n = bufferLength.call(body); // throws unless body is a real ArrayBuffer
  } catch {
    return undefined;
  }
  return n > max ? n : new Uint8Array(body);
}

// JSON text of an argument (a string is taken as JSON text already): `undefined` when the value
// has no JSON form (undefined, a function, a symbol); a throw for a cycle, a BigInt, a throwing
// getter, trap or toJSON; the length when the text is over `max` characters.
export function jsonTextOf(value, max) {
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  if (typeof text !== 'string') return undefined;
  return text.length > max ? text.length : text;
}

// A fresh array with the items of an array argument (read through its getters and traps here),
// `undefined` for something else, or its length when it has more than `max` items. A string item
// longer than `maxChars` throws (the error's message says which).
export function arrayItems(value, max, maxChars) {
  if (!Array.isArray(value)) return undefined;
  const n = value.length;
  if (n > max) return n;
  const items = Array.prototype.slice.call(value, 0, n);
  items.forEach((item, i) => {
    if (typeof item === 'string' && item.length > maxChars) {
      throw new RangeError(`item ${i} has ${item.length} characters; the limit is ${maxChars}`);
    }
  });
  return items;
}

// The time value of a Date (the intrinsic getter: an own or inherited `getTime` is not called),
// `undefined` for anything else; throws for a Proxy of a Date.
export function timeOf(value) {
  return value instanceof Date ? dateTime.call(value) : undefined;
}

// `Array.isArray`, which throws for a revoked Proxy.
export function isArray(value) {
  return Array.isArray(value);
}

// `obj[key]` for an object or function, `undefined` for a primitive.
export function propOf(obj, key) {
  return (obj !== null && typeof obj === 'object') || typeof obj === 'function' ? obj[key] : undefined;
}

// Text crossing into wasm as UTF-8: `text` encoded straight into wasm memory at `at`, which has
// `room` bytes (3 per UTF-16 unit: always enough). Returns the bytes written. Callers check the
// documented input limits first, so `room` is bounded.
export function encodeText(text, memory, at, room) {
  return encoder.encodeInto(text, new Uint8Array(memory.buffer, at, room)).written;
}

// A short text for a thrown value: an Error's message, a string, else `undefined`. Never throws:
// the message getter, `toString` or the prototype chain of what was thrown may throw themselves.
export function describeThrown(e, max) {
  try {
    const m = e instanceof Error ? e.message : e;
    const text = typeof m === 'string' ? m : undefined;
    return text === undefined || text.length <= max ? text : text.slice(0, max) + '…';
  } catch {
    return undefined;
  }
}

// A promise of a callback's result: settles with the value, or with what a thenable (a promise
// included) settles with; reading `then` happens inside the promise job, so even a throwing
// `then` getter or a hostile promise subclass becomes a rejection, never a synchronous throw.
export function toPromise(value) {
  return new Promise((resolve) => resolve(value));
}
