// Node entry: the wasm is read from disk and instantiated synchronously at import, so every
// export is usable at once. `await init()` is still accepted (it does nothing more).
import { readFileSync } from 'node:fs';
import { initSync } from './whatsapp_business.js';

initSync({ module: readFileSync(new URL('./whatsapp_business_bg.wasm', import.meta.url)) });

export * from './whatsapp_business.js';
export { WhatsAppClient } from './client.js'; // shadows the generated class (see client.js)
export { default } from './whatsapp_business.js';
