// The one error class the package throws. Built only by src/js/error.rs (Error -> WhatsAppError).
export class WhatsAppError extends Error {
  // `cause`: what the caller's code threw, for kind `callback` and code `unreadable_input`.
  constructor(message, props, cause) {
    super(message, cause === undefined ? undefined : { cause });
    this.name = 'WhatsAppError';
    const p = JSON.parse(props);
    this.kind = p.kind;
    this.code = p.code;
    this.subcode = p.subcode;
    this.httpStatus = p.httpStatus;
    this.retryable = p.retryable;
    this.ambiguous = p.ambiguous;
    this.hint = p.hint;
    this.fbtraceId = p.fbtraceId;
    this.type = p.type;
    this.details = p.details;
    this.issues = p.issues;
  }
}
