// POST /v1/tasks: the CRM's task configuration in, the task outputs and their flat
// task_58001_* variables out. Credentials come from CONNECTIONS and never leave the worker.
import { runTask, toOutputVariables, type ConnectionToken, type TaskConfig } from '@basecloud/whatsapp-business';
import type { Env } from './env';
import { json, problem, readJson, type RequestContext } from './http';
import { errorFields, log } from './log';
import { getLastInbound, getStatusRecord, recordSent } from './store';
import { userKeyOfRecipient } from './userkey';

/**
 * A connection in CONNECTIONS: a fixed token, or where to fetch the current one. Meta has no
 * refresh tokens; whoever holds the app connection (the CRM) renews it, and the worker asks:
 * `GET tokenUrl` for the current token, `POST tokenUrl` when Meta rejected it (code 190). The
 * endpoint answers `{ "accessToken": "…", "expiresAt"?: <unix ms> }`.
 */
interface Credential {
  accessToken?: string;
  tokenUrl?: string;
  /** Sent as the Authorization header to tokenUrl. */
  tokenAuthorization?: string;
}

let parsed: { source: string; map: Map<string, Credential> } | null = null;
/** Tokens fetched from a tokenUrl, per isolate, until they expire. */
const fetched = new Map<string, { accessToken: string; expiresAtMs: number | null }>();

function credentials(env: Env): Map<string, Credential> {
  const source = env.CONNECTIONS ?? '';
  if (parsed?.source === source) return parsed.map;
  const map = new Map<string, Credential>();
  try {
    const value: unknown = source ? JSON.parse(source) : {};
    for (const [id, entry] of Object.entries(value as Record<string, unknown>)) {
      const cred = entry as Credential;
      if (typeof entry === 'string' && entry) map.set(id, { accessToken: entry });
      else if (entry && typeof entry === 'object' && (typeof cred.accessToken === 'string' || typeof cred.tokenUrl === 'string')) map.set(id, cred);
      else log('error', 'CONNECTIONS entry ignored: it needs an accessToken or a tokenUrl', { connection: id });
    }
  } catch (e) {
    log('error', 'CONNECTIONS is not valid JSON; no connection is available', errorFields(e));
  }
  parsed = { source, map };
  return map;
}

async function fetchToken(id: string, cred: Credential & { tokenUrl: string }, method: 'GET' | 'POST') {
  const res = await fetch(cred.tokenUrl, {
    method,
    headers: cred.tokenAuthorization ? { authorization: cred.tokenAuthorization } : {},
  });
  const body = (await res.json().catch(() => null)) as { accessToken?: unknown; expiresAt?: unknown } | null;
  if (!res.ok || typeof body?.accessToken !== 'string' || !body.accessToken) {
    log('error', 'token endpoint gave no token', { connection: id, status: res.status });
    throw new Error(`The token endpoint of connection ${id} answered ${res.status} without an accessToken.`);
  }
  const token = { accessToken: body.accessToken, expiresAtMs: typeof body.expiresAt === 'number' ? body.expiresAt : null };
  fetched.set(id, token);
  return token;
}

/** The token (provider) of an app connection, or null when the worker does not know it. */
export function connectionToken(env: Env, id: string): ConnectionToken | null {
  const cred = credentials(env).get(id);
  if (!cred) return null;
  const { tokenUrl } = cred;
  if (!tokenUrl) return cred.accessToken ?? null;
  const withUrl = { ...cred, tokenUrl };
  return {
    getToken: async () => {
      const cached = fetched.get(id);
      if (cached && (cached.expiresAtMs === null || cached.expiresAtMs > Date.now())) return cached;
      return fetchToken(id, withUrl, 'GET');
    },
    refresh: async () => {
      log('info', 'connection token refresh requested', { connection: id });
      return fetchToken(id, withUrl, 'POST');
    },
  };
}

const SENDS = new Set(['send_template', 'send_text', 'send_media']);

export async function task(rc: RequestContext, env: Env): Promise<Response> {
  const config = await readJson(rc.request);
  if (config === null || typeof config !== 'object' || Array.isArray(config)) {
    return problem(400, 'invalid_json', 'The body must be the task configuration as a JSON object.');
  }
  const output = await runTask(config as TaskConfig, {
    connections: (id: string) => connectionToken(env, id),
    baseUrl: env.GRAPH_BASE_URL || undefined,
    statusStore: { get: (wamid: string) => getStatusRecord(env.DB, wamid) },
    // The table keeps the webhook's unix seconds; the store answers in ms.
    windowStore: {
      getLastInboundMs: async (pnid: string, waId: string) => {
        const seconds = await getLastInbound(env.DB, pnid, userKeyOfRecipient(waId));
        return seconds === null ? null : seconds * 1000;
      },
    },
  });
  const cfg = config as Record<string, unknown>;
  if (output.run && output.message_id && SENDS.has(output.action) && typeof cfg.phone_number_id === 'string') {
    const recipient = typeof cfg.recipient === 'string' ? userKeyOfRecipient(cfg.recipient) : null;
    try {
      await recordSent(env.DB, { wamid: output.message_id, phoneNumberId: cfg.phone_number_id, userKey: recipient }, Math.floor(Date.now() / 1000));
    } catch (e) {
      // The message went out; its statuses will still be stored when the webhooks arrive.
      log('warn', 'could not record the sent message', { requestId: rc.requestId, ...errorFields(e) });
    }
  }
  log('info', 'task run', {
    requestId: rc.requestId,
    action: output.action,
    run: output.run,
    errorCode: output.run ? undefined : output.error_code,
    errorKind: output.run ? undefined : output.error_kind,
    connection: typeof cfg.app_connection_id === 'string' ? cfg.app_connection_id.slice(0, 64) : undefined,
  });
  return json({ output, variables: toOutputVariables(output) });
}
