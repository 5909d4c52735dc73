// Structured JSON logs, one object per line. Callers pass only metadata (route, status, counts,
// ids, error codes): never secrets, tokens, signatures or message bodies.

export type LogFields = Record<string, string | number | boolean | null | undefined>;

export function log(level: 'info' | 'warn' | 'error', msg: string, fields: LogFields = {}): void {
  const line = JSON.stringify({ level, msg, time: new Date().toISOString(), ...fields });
  if (level === 'error') console.error(line);
  else if (level === 'warn') console.warn(line);
  else console.log(line);
}

/** The name and message of a thrown value, for a log line (never its stack or any payload). */
export function errorFields(e: unknown): LogFields {
  if (e instanceof Error) {
    const code = (e as { code?: unknown }).code;
    return { error: e.name, errorMessage: e.message.slice(0, 300), errorCode: typeof code === 'string' ? code : undefined };
  }
  return { error: String(e).slice(0, 300) };
}
