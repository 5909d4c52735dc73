// POST /v1/tasks: the CRM's task configuration in, the task outputs and their flat
// task_58001_* variables out. Credentials come from CONNECTIONS and never leave the worker.
import { runTask, toOutputVariables, WhatsAppClient, type ConnectionToken, type TaskConfig } from '@basecloud/whatsapp-business';
import type { Env } from './env';
import { json, problem, readJson, type RequestContext } from './http';
import { errorFields, log } from './log';
import { getLastInbound, getStatusRecord, recordSent } from './store';
import { userKeyOfRecipient } from './userkey';

/** A connection in CONNECTIONS: a token, or a token with the app credentials to renew it. */
interface Credential {
  accessToken: string;
  appId?: string;
  appSecret?: string;
}

let parsed: { source: string; map: Map<string, Credential> } | null = null;
/** Tokens renewed in this isolate (a renewed long-lived token replaces the configured one). */
const renewed = new Map<string, string>();

function credentials(env: Env): Map<string, Credential> {
  const source = env.CONNECTIONS ?? '';
  if (parsed?.source === source) return parsed.map;
  const map = new Map<string, Credential>();
  try {
    const value: unknown = source ? JSON.parse(source) : {};
    for (const [id, entry] of Object.entries(value as Record<string, unknown>)) {
      if (typeof entry === 'string' && entry) map.set(id, { accessToken: entry });
      else if (entry && typeof entry === 'object' && typeof (entry as Credential).accessToken === 'string') map.set(id, entry as Credential);
      else log('error', 'CONNECTIONS entry ignored: it needs an accessToken', { connection: id });
    }
  } catch (e) {
    log('error', 'CONNECTIONS is not valid JSON; no connection is available', errorFields(e));
  }
  parsed = { source, map };
  return map;
}

/** The token (provider) of an app connection, or null when the worker does not know it. */
export function connectionToken(env: Env, id: string): ConnectionToken | null {
  const cred = credentials(env).get(id);
  if (!cred) return null;
  const { appId, appSecret } = cred;
  if (!appId || !appSecret) return cred.accessToken;
  return {
    getToken: () => renewed.get(id) ?? cred.accessToken,
    // A 190 answer or a known expiry: exchange for a new long-lived token (Meta has no refresh tokens).
    refresh: async () => {
      const client = new WhatsAppClient({ accessToken: renewed.get(id) ?? cred.accessToken, baseUrl: env.GRAPH_BASE_URL });
      const token = await client.exchangeLongLivedToken({ appId, appSecret, accessToken: renewed.get(id) ?? cred.accessToken });
      renewed.set(id, token.accessToken);
      log('info', 'connection token renewed', { connection: id });
      return { accessToken: token.accessToken, expiresAt: token.expiresAt };
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
    windowStore: { getLastInbound: (pnid: string, waId: string) => getLastInbound(env.DB, pnid, userKeyOfRecipient(waId)) },
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
    errorCode: output.error_code,
    errorKind: output.error_kind,
    connection: typeof cfg.app_connection_id === 'string' ? cfg.app_connection_id.slice(0, 64) : undefined,
  });
  return json({ output, variables: toOutputVariables(output) });
}
