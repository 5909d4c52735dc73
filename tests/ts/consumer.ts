// A TypeScript consumer of the built package: must type-check, and every @ts-expect-error line
// must be an error (if the types were too loose, tsc reports the unused directive and fails).
import init, {
  validateTemplateName,
  version,
  WhatsAppError,
  type Issue,
  type Validation,
  type ErrorKind,
  type VersionInfo,
} from '@basecloud/whatsapp-business';

export async function main(): Promise<void> {
  await init();
  const v: Validation = validateTemplateName('order_confirm');
  const first: Issue | undefined = v.issues[0];
  const severity: 'error' | 'warning' | undefined = first?.severity;
  const info: VersionInfo = version();
  const api: string = info.defaultApiVersion;

  try {
    validateTemplateName('Order-Confirm');
  } catch (e) {
    if (e instanceof WhatsAppError) {
      const kind: ErrorKind = e.kind;
      const retry: boolean = e.retryable;
      const hint: string = e.hint;
      const sub: number | null = e.subcode;
      const issues: Issue[] = e.issues;
      // Errors from the caller's own code carry what it threw.
      const fromCallback: boolean = kind === 'callback';
      const cause: unknown = e.cause;
      console.log(kind, retry, hint, sub, issues.length, fromCallback, cause);
    }
  }
  console.log(severity, api);

  // @ts-expect-error the name must be a string
  validateTemplateName(42);
  // @ts-expect-error validity is a boolean, not a string
  const wrong: string = v.valid;
  // @ts-expect-error severity is a closed union
  const sev: Issue['severity'] = 'info';
  // @ts-expect-error kind is a closed union
  const k: ErrorKind = 'unknown_kind';
  // @ts-expect-error no such export
  validateEverything();
  // Users may make one, with the fields the types declare…
  const own = new WhatsAppError('no token', { kind: 'callback', code: 'vault_down', cause: new Error('x') });
  // @ts-expect-error …but not without them (it would have no kind)
  new WhatsAppError('x');
  // @ts-expect-error kind is a closed union here too
  new WhatsAppError('x', { kind: 'oops', code: 'c' });
  console.log(own.kind);
  console.log(wrong, sev, k);
}
