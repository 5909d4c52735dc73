// Browser entry: call `await init()` (the default export) once before using the other exports;
// it fetches whatsapp_business_bg.wasm next to this file (or pass a URL/Response/Module).
export * from './whatsapp_business.js';
export { WhatsAppClient } from './client.js'; // shadows the generated class (see client.js)
export { default } from './whatsapp_business.js';
