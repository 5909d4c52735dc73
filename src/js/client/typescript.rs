//! The TypeScript declarations of the client surface (`WhatsAppClient`, `runTask`), emitted into
//! the package's .d.ts by wasm-bindgen. Casing: our options and results camelCase; Meta's payloads
//! verbatim (snake_case); the task configuration and outputs in the task contract's snake_case.

use wasm_bindgen::prelude::*;

#[wasm_bindgen(typescript_custom_section)]
const TS_CLIENT: &'static str = r#"
/** What a token provider resolves to: the token, or the token with its expiry (Unix **ms**, or a Date). */
export type TokenValue = string | { accessToken: string; expiresAtMs?: number | Date | null };

/**
 * Supplies access tokens. `refresh()` is called once (shared by all concurrent calls) when the
 * token is known to be expired or the Graph API rejects it with code 190.
 */
export interface TokenProvider {
  getToken(): TokenValue | Promise<TokenValue>;
  refresh?(): TokenValue | Promise<TokenValue>;
}

/** Retry bounds (retryable Graph codes, HTTP 5xx and, for reads, network failures). */
export interface RetryOptions {
  /** Attempts in total, the first included (default 4; 1 = never retry). */
  maxAttempts?: number;
  /** Backoff ceiling of the first retry in ms, doubled per retry (default 500). */
  baseDelayMs?: number;
  /** Largest backoff ceiling in ms (default 30000). */
  maxDelayMs?: number;
  /** Longest Retry-After the client waits for, in ms (default 60000). */
  maxRetryAfterMs?: number;
}

/** When each customer last wrote (fed by the messages webhook); enables the local window check. */
export interface WindowStore {
  /** Unix time in **ms** (or a Date) of the last inbound message from `waId` to `phoneNumberId`, or null.
   *  (A webhook's `timestamp` is in seconds: multiply it by 1000.)
   *  `waId` is the phone number's digits, or the business-scoped user id (`US.1349…`, webhook
   *  `fromUserId`) when the send has `recipient` and no `to`. */
  getLastInboundMs(phoneNumberId: string, waId: string): number | Date | null | Promise<number | Date | null>;
}

/** A message's delivery status, as status webhooks report it. */
export type MessageStatus = "sent" | "delivered" | "read" | "failed" | "played" | "deleted";

/** A phone number's quality rating. */
export type QualityRating = "GREEN" | "YELLOW" | "RED" | "NA" | "UNKNOWN";

/** A template's review status. */
export type TemplateStatus =
  | "APPROVED" | "PENDING" | "REJECTED" | "PAUSED" | "DISABLED" | "IN_APPEAL"
  | "PENDING_DELETION" | "DELETED" | "LIMIT_EXCEEDED" | "ARCHIVED";

/** A message status as recorded from a status webhook. */
export interface StatusRecord {
  status: MessageStatus;
  /** Unix seconds (as sent by Meta). */
  timestamp?: string | number;
  recipient_id?: string;
  errors?: Array<{ code: number; title?: string; message?: string; error_data?: { details?: string } }>;
  [key: string]: unknown;
}

/** Statuses recorded from webhooks, by wamid. */
export interface StatusStore {
  get(messageId: string): StatusRecord | null | Promise<StatusRecord | null>;
}

/** Options common to `WhatsAppClient` and `runTask`. */
export interface ClientSettings {
  /** Graph API version (default `v25.0`; v18.0 and older are retired). */
  apiVersion?: string;
  /** Graph host (default `https://graph.facebook.com`; point it at wa-emulator in tests). */
  baseUrl?: string;
  retry?: RetryOptions;
  /** Per-attempt timeout in ms (default 30000). A send that times out is not replayed. */
  timeoutMs?: number;
  statusStore?: StatusStore;
  windowStore?: WindowStore;
}

export type WhatsAppClientOptions = ClientSettings &
  ({ accessToken: string; tokenProvider?: never } | { tokenProvider: TokenProvider; accessToken?: never });

/** The answer to a send. */
export interface SendResult {
  /** The wamid. */
  messageId: string;
  waId: string | null;
  input: string | null;
  /** The business-scoped user id, when the send named one (`recipient`). */
  userId: string | null;
  /** Template sends only. */
  messageStatus: "accepted" | "held_for_quality_assessment" | "paused" | null;
}

export interface PhoneNumber {
  /** The phone number ID (not the number). */
  id: string;
  displayPhoneNumber: string | null;
  verifiedName: string | null;
  qualityRating: QualityRating | null;
  /** e.g. `TIER_2K` (whatsapp_business_manager_messaging_limit, else messaging_limit_tier). */
  messagingLimit: string | null;
  throughput: "STANDARD" | "HIGH" | "NOT_APPLICABLE" | null;
  codeVerificationStatus: string | null;
  nameStatus: string | null;
  status: string | null;
  platformType: string | null;
  accountMode: string | null;
}

export interface Business {
  id: string;
  name: string | null;
  verificationStatus: string | null;
}

export interface BusinessAccount {
  /** The WABA id (`business_account_id`). */
  id: string;
  name: string | null;
  relation: "owned" | "client";
  businessId: string;
  currency: string | null;
  timezoneId: string | null;
  messageTemplateNamespace: string | null;
  accountReviewStatus: string | null;
  businessVerificationStatus: string | null;
  ownershipType: string | null;
  phoneNumbers: PhoneNumber[];
}

/** A listing discovery could not read; the walk went on. */
export interface DiscoveryProblem {
  objectId: string;
  listing: "owned_wabas" | "client_wabas" | "phone_numbers";
  kind: ErrorKind;
  code: string;
  message: string;
}

export interface AccountDiscovery {
  businesses: Business[];
  accounts: BusinessAccount[];
  problems: DiscoveryProblem[];
}

export interface DiscoverAccountsOptions {
  /** Walk only this business (skips `/me/businesses`). */
  businessId?: string;
}

export interface TokenResponse {
  accessToken: string;
  tokenType: string;
  /** Seconds (as Graph gives it); null when the token does not expire. */
  expiresIn: number | null;
  /** Unix ms. */
  expiresAtMs: number | null;
}

export interface GranularScope {
  scope: string;
  targetIds: string[];
}

export interface TokenInfo {
  valid: boolean;
  appId: string | null;
  type: string | null;
  application: string | null;
  /** Unix ms; null = never expires. */
  expiresAtMs: number | null;
  /** Unix ms. */
  dataAccessExpiresAtMs: number | null;
  /** Unix ms. */
  issuedAtMs: number | null;
  scopes: string[];
  granularScopes: GranularScope[];
  /** WABA ids granted to the WhatsApp scopes. */
  wabaIds: string[];
  userId: string | null;
}

export interface ExchangeCodeOptions {
  appId: string;
  appSecret: string;
  code: string;
  /** The redirect URI used in the dialog (omit for Login-for-Business codes). */
  redirectUri?: string;
}

export interface ExchangeLongLivedOptions {
  appId: string;
  appSecret: string;
  accessToken: string;
}

export interface DebugTokenOptions {
  /** Token to inspect (default: the client's). */
  inputToken?: string;
  /** App credentials: authenticate with the app token instead of the client's token. */
  appId?: string;
  appSecret?: string;
  /** Fail with kind `permission` naming the first missing scope. */
  requiredScopes?: string[];
}

export interface AuthorizationUrlOptions {
  appId: string;
  redirectUri: string;
  /** CSRF state (default: 32 random hex characters from crypto.getRandomValues). */
  state?: string;
  /** Default: whatsapp_business_management, whatsapp_business_messaging. */
  scopes?: string[];
  /** Facebook Login for Business configuration (replaces scopes). */
  configId?: string;
  apiVersion?: string;
  /** Default `https://www.facebook.com`. */
  dialogBaseUrl?: string;
}

export interface AuthorizationUrl {
  url: string;
  /** Compare with the `state` the redirect brings back. */
  state: string;
}

export interface UploadMediaInput {
  phoneNumberId: string;
  file: Uint8Array | ArrayBuffer | Blob;
  mimeType: string;
  filename?: string;
}

export interface UploadedMedia {
  id: string;
}

/** A template as Graph lists it. */
export interface TemplateInfo {
  id: string;
  name: string;
  status: TemplateStatus;
  category: TemplateCategory;
  language: string;
  components?: unknown[];
  [key: string]: unknown;
}

export interface CreatedTemplate {
  id: string;
  status: TemplateStatus | null;
  category: TemplateCategory | null;
}

export interface TemplateList {
  templates: TemplateInfo[];
  count: number;
}
"#;

#[wasm_bindgen(typescript_custom_section)]
const TS_TASK: &'static str = r#"
/** The seed's task configuration (BaseCloud task 58); CRM values may be strings. */
export interface TaskConfig {
  action: "send_template" | "create_template" | "get_templates" | "send_text" | "send_media" | "get_message_status" | "mark_as_read";
  app_connection_id?: string | number;
  business_account_id?: string;
  phone_number_id?: string;
  recipient?: string;
  template_name?: string;
  template_language?: string;
  /** JSON array (or its text) of body values in placeholder order, or values per component. */
  template_parameters?: TemplateValues | SendComponent[];
  /** Read case-insensitively. */
  template_category?: TemplateCategory | Lowercase<TemplateCategory>;
  template_components?: TemplateComponent[] | string;
  status_filter?: string;
  limit?: number | string;
  message_text?: string;
  preview_url?: boolean | string;
  /** Read case-insensitively. */
  media_type?: TaskMediaType | Uppercase<TaskMediaType>;
  media_url?: string;
  media_id?: string;
  caption?: string;
  filename?: string;
  message_id?: string;
}

/** The media types of the send_media action. */
export type TaskMediaType = "image" | "video" | "document" | "audio" | "sticker";

/** An access token or a token provider for one app connection. */
export type ConnectionToken = string | TokenProvider;

/** How `runTask` finds the token of an `app_connection_id`. */
export type Connections =
  | Record<string, ConnectionToken>
  | ((appConnectionId: string) => ConnectionToken | null | undefined | Promise<ConnectionToken | null | undefined>);

export interface TaskOptions extends ClientSettings {
  connections: Connections;
}

/** The seed's output fields (`task_58001_*` without the prefix), discriminated on `run`. */
export type TaskOutput = TaskSuccess | TaskFailure;

/** A task that ran: `run_text` is the seed's success text; the fields are the action's. */
export interface TaskSuccess {
  run: true;
  run_text: string;
  action: TaskConfig["action"];
  message_id?: string;
  recipient?: string;
  template_name?: string;
  template_id?: string;
  /** create_template: the template's status (`PENDING`, `APPROVED`, …). */
  status?: TemplateStatus;
  templates?: TemplateInfo[];
  count?: number;
  /** get_message_status: the status object (`data.status`, `data.timestamp`, `data.errors`). */
  data?: StatusRecord;
  media_type?: TaskMediaType;
  success?: boolean;
}

/** A task that did not run: what went wrong and what to do. Never a rejection. */
export interface TaskFailure {
  run: false;
  run_text: string;
  /** The configured action, as given (even when it is not one of the seven). */
  action: string;
  /** Graph code or local snake_case code. */
  error_code: string;
  error_kind: ErrorKind;
}
"#;
