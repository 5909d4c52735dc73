// The one error class the package throws. The package makes its errors with `fromRust` (called
// by src/js/error.rs); users may construct one too, with the same fields (`new WhatsAppError(
// message, { kind, code, ... })`), e.g. to reject from a token provider with a typed error.
export class WhatsAppError extends Error {
  constructor(message, init) {
    if (init === null || typeof init !== 'object' || typeof init.kind !== 'string' || typeof init.code !== 'string') {
      throw new TypeError('new WhatsAppError(message, init): init must be an object with a string `kind` and `code`.');
    }
    super(String(message), init.cause === undefined ? undefined : { cause: init.cause });
    this.name = 'WhatsAppError';
    this.kind = init.kind;
    this.code = init.code;
    this.subcode = init.subcode ?? null;
    this.httpStatus = init.httpStatus ?? null;
    this.retryable = init.retryable ?? false;
    this.ambiguous = init.ambiguous ?? false;
    this.hint = init.hint ?? '';
    this.fbtraceId = init.fbtraceId ?? null;
    this.type = init.type ?? null;
    this.details = init.details ?? null;
    this.issues = init.issues ?? [];
  }
}

// An error made by the package: `props` is JSON text we wrote (every field), `cause` what the
// caller's code threw (kind `callback`, code `unreadable_input`) or undefined.
export function fromRust(message, props, cause) {
  const init = JSON.parse(props);
  if (cause !== undefined) init.cause = cause;
  return new WhatsAppError(message, init);
}
