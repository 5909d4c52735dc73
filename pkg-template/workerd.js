// Cloudflare Workers (workerd) entry: the runtime hands us the compiled WebAssembly.Module for the
// .wasm import, so instantiation is synchronous and no await is needed before the first request.
import wasmModule from './whatsapp_business_bg.wasm';
import { initSync } from './whatsapp_business.js';

initSync({ module: wasmModule });

export * from './whatsapp_business.js';
export { WhatsAppClient } from './client.js'; // shadows the generated class (see client.js)
export { default } from './whatsapp_business.js';
