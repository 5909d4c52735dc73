//! TypeScript declarations for the plain-data shapes shared by every export.

use wasm_bindgen::prelude::*;

#[wasm_bindgen(typescript_custom_section)]
const TS_COMMON: &'static str = r#"
/** One problem found by a validator. */
export interface Issue {
  /** JSON-path-like location, e.g. `components[3].buttons[1].url` (`""` for the whole input). */
  path: string;
  /** Stable snake_case code (see docs/issue-codes.md). */
  code: string;
  /** What is wrong and what to do. */
  message: string;
  severity: "error" | "warning";
}

/** What every validator returns: every issue found, not just the first. */
export interface Validation {
  /** `true` when no issue has severity `"error"`. */
  valid: boolean;
  issues: Issue[];
}

/**
 * The category of a `WhatsAppError`: where it came from. `"callback"`: your own code threw (a
 * token provider, a store, `connections`, a file's `arrayBuffer()`) or its promise rejected; the
 * thrown value is the error's `cause`.
 */
export type ErrorKind =
  | "validation" | "auth" | "permission" | "not_found" | "rate_limit"
  | "window_closed" | "template" | "media" | "transport" | "graph" | "callback";

/**
 * JSON text of an input object. The validators and builders take either the object or its JSON
 * text (e.g. straight from a request body or a CRM field): a string passed to them is always read
 * as JSON, never as a name. (`validateTemplateName(name)` takes the name itself.)
 */
export type JsonText = string;

/** The fields of a `WhatsAppError` (what `new WhatsAppError(message, init)` takes). */
export interface WhatsAppErrorInit {
  kind: ErrorKind;
  /** A Graph error code as a string, or a snake_case code of your own. */
  code: string;
  subcode?: number | null;
  httpStatus?: number | null;
  retryable?: boolean;
  ambiguous?: boolean;
  hint?: string;
  fbtraceId?: string | null;
  type?: string | null;
  details?: string | null;
  issues?: Issue[];
  cause?: unknown;
}

/**
 * The one error class the package throws. You may construct one too, e.g. to reject from a
 * token provider or a store with a typed error: `new WhatsAppError("no token", { kind:
 * "callback", code: "vault_down" })` (unset fields are `null`, `false`, `""` or `[]`).
 */
export declare class WhatsAppError extends Error {
  constructor(message: string, init: WhatsAppErrorInit);
  name: "WhatsAppError";
  kind: ErrorKind;
  /** Graph error code as a string (e.g. `"131047"`), or a snake_case code for local errors. */
  code: string;
  subcode: number | null;
  httpStatus: number | null;
  /** Whether the same request may succeed if retried later (with backoff). */
  retryable: boolean;
  /** `true` when a send may have reached Meta (it was not replayed, to avoid a duplicate). */
  ambiguous: boolean;
  /** What to do next. */
  hint: string;
  fbtraceId: string | null;
  /** Graph `error.type`, e.g. `"OAuthException"`. */
  type: string | null;
  /** Graph `error.error_data.details`. */
  details: string | null;
  /** Validation issues (empty for other kinds). */
  issues: Issue[];
  /**
   * What your code threw, when that is where the error came from: kind `"callback"` (a callback
   * threw or rejected) or code `"unreadable_input"` (reading an argument threw: a getter, a proxy
   * trap, `toJSON`, a revoked Proxy). Absent otherwise.
   */
  cause?: unknown;
}

/** Package and Graph API versions. */
export interface VersionInfo {
  /** The package (crate) version. */
  version: string;
  /** The Graph API version used when none is configured, e.g. `"v25.0"`. */
  defaultApiVersion: string;
}
"#;
