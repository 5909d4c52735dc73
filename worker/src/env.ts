// The worker's bindings and configuration (names are the contract: worker/README.md).

export interface Env {
  /** D1: events, message statuses, windows, templates, phone numbers (migrations/). */
  DB: D1Database;
  /** Comma-separated bearer keys for /v1/* (several, so a key can be rotated). Secret. */
  API_KEYS?: string;
  /** Comma-separated Meta app secrets that sign webhooks (several during a rotation). Secret. */
  APP_SECRETS?: string;
  /** The token Meta's webhook verification request must carry. Secret. */
  VERIFY_TOKEN?: string;
  /** JSON: app_connection_id → "token" | { accessToken } | { tokenUrl, tokenAuthorization? }. Secret. */
  CONNECTIONS?: string;
  /** Graph API host (default https://graph.facebook.com; wa-emulator in dev and tests). */
  GRAPH_BASE_URL?: string;
  /** Days of events, statuses and windows to keep (default 30). */
  RETENTION_DAYS?: string;
}

/** Splits a comma-separated setting into its non-empty, trimmed items. */
export function list(value: string | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}
