// The WhatsAppClient class users get (every entry exports this one; its types are wasm-bindgen's
// declaration of the same surface).
//
// wasm-bindgen's generated class hands wasm the object's address from a plain `__wbg_ptr`
// property. A freed client, a method called with another `this`
// (`WhatsAppClient.prototype.sendText.call({})`) or a Proxy whose trap answers any number would
// give wasm a null or forged address: wasm-bindgen then throws through wasm frames, or reads
// whatever lies there. This class keeps wasm-bindgen's object in a private field, which only an
// object made by this constructor has (no Proxy, getter or prototype can fake one), and answers
// any other `this` with a rejected WhatsAppError (code `not_a_client`) without entering wasm.
import { WhatsAppClient as Bound, WhatsAppError } from './whatsapp_business.js';

export class WhatsAppClient {
  #bound;

  constructor(options) {
    this.#bound = new Bound(options);
  }

  // Calls wasm-bindgen's `method` on the object `that` holds, if it is a live client.
  static #call(that, method, arg) {
    const bound = typeof that === 'object' && that !== null && #bound in that ? that.#bound : undefined;
    if (bound === undefined) return notAClient(method);
    return bound[method](arg);
  }

  /** Releases the client's wasm memory now; later calls are refused (`not_a_client`). Twice is harmless. */
  free() {
    if (typeof this !== 'object' || this === null || !(#bound in this) || this.#bound === undefined) return;
    const bound = this.#bound;
    this.#bound = undefined;
    bound.free();
  }

  sendTemplate(input) { return WhatsAppClient.#call(this, 'sendTemplate', input); }
  sendText(input) { return WhatsAppClient.#call(this, 'sendText', input); }
  sendMedia(input) { return WhatsAppClient.#call(this, 'sendMedia', input); }
  markAsRead(input) { return WhatsAppClient.#call(this, 'markAsRead', input); }
  createTemplate(input) { return WhatsAppClient.#call(this, 'createTemplate', input); }
  getTemplates(input) { return WhatsAppClient.#call(this, 'getTemplates', input); }
  getPhoneNumbers(businessAccountId) { return WhatsAppClient.#call(this, 'getPhoneNumbers', businessAccountId); }
  discoverAccounts(options) { return WhatsAppClient.#call(this, 'discoverAccounts', options); }
  getMessageStatus(messageId) { return WhatsAppClient.#call(this, 'getMessageStatus', messageId); }
  exchangeCode(options) { return WhatsAppClient.#call(this, 'exchangeCode', options); }
  exchangeLongLivedToken(options) { return WhatsAppClient.#call(this, 'exchangeLongLivedToken', options); }
  debugToken(options) { return WhatsAppClient.#call(this, 'debugToken', options); }
  uploadMedia(input) { return WhatsAppClient.#call(this, 'uploadMedia', input); }
}
// The package joins this file with wasm-bindgen's glue, whose class has the same name; the bundler
// renames one of the two, so the name users see is set here.
Object.defineProperty(WhatsAppClient, 'name', { value: 'WhatsAppClient' });
if (typeof Symbol.dispose === 'symbol') WhatsAppClient.prototype[Symbol.dispose] = WhatsAppClient.prototype.free;

function notAClient(method) {
  const init = {
    kind: 'validation', code: 'not_a_client', retryable: false, ambiguous: false,
    hint: 'Call it on a client made with new WhatsAppClient(options) that was not freed.',
  };
  return Promise.reject(new WhatsAppError(`WhatsAppClient.${method}() was called on something that is not a live WhatsAppClient (freed, or another this).`, init));
}
