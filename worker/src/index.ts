// The worker's entry: one route table (adding a route is one line); cron events and queue batches
// go to the tables in jobs.ts. Everything else lives in one module per concern.
import { version } from '@basecloud/whatsapp-business';
import { authorized } from './auth';
import type { Env } from './env';
import { json, problem, type RequestContext } from './http';
import { errorFields, log } from './log';
import * as reads from './reads';
import { CRON_JOBS, QUEUE_CONSUMERS } from './jobs';
import { task } from './tasks';
import * as templates from './templates';
import * as webhook from './webhook';
import { CAMPAIGN_ROUTES } from './campaigns';

export { PhonePacer } from './campaigns';

type Handler = (rc: RequestContext, env: Env) => Response | Promise<Response>;
interface Route { method: string; pattern: string; auth: boolean; handler: Handler }

/** Every route. `auth: true` needs `Authorization: Bearer <one of API_KEYS>`. */
const ROUTES: Route[] = [
  { method: 'GET', pattern: '/health', auth: false, handler: health },
  { method: 'GET', pattern: '/webhooks/whatsapp', auth: false, handler: webhook.challenge },
  { method: 'POST', pattern: '/webhooks/whatsapp', auth: false, handler: webhook.receive },
  { method: 'POST', pattern: '/v1/tasks', auth: true, handler: task },
  { method: 'GET', pattern: '/v1/messages/{wamid}', auth: true, handler: reads.message },
  { method: 'GET', pattern: '/v1/windows/{phoneNumberId}/{waId}', auth: true, handler: reads.window },
  { method: 'GET', pattern: '/v1/phone-numbers', auth: true, handler: reads.phoneNumbers },
  { method: 'GET', pattern: '/v1/templates', auth: true, handler: reads.templateStatuses },
  { method: 'POST', pattern: '/v1/templates/validate', auth: true, handler: templates.validate },
  { method: 'POST', pattern: '/v1/templates/preview', auth: true, handler: templates.preview },
  ...CAMPAIGN_ROUTES,
];

async function health(_rc: RequestContext, env: Env): Promise<Response> {
  let d1 = true;
  try {
    await env.DB.prepare('SELECT 1 FROM events LIMIT 1').first();
  } catch {
    d1 = false;
  }
  return json({ ok: d1, d1, version: version().version }, d1 ? 200 : 503);
}

const compiled = ROUTES.map((r) => ({
  ...r,
  regex: new RegExp(`^${r.pattern.replace(/\{(\w+)\}/g, '(?<$1>[^/]+)')}$`),
}));

const CORS: Record<string, string> = {
  'access-control-allow-origin': '*',
  'access-control-allow-methods': 'GET, POST, OPTIONS',
  'access-control-allow-headers': 'authorization, content-type, x-request-id',
  'access-control-expose-headers': 'x-request-id',
};

function requestIdOf(request: Request): string {
  const given = request.headers.get('x-request-id');
  return given && /^[\w.:-]{1,64}$/.test(given) ? given : crypto.randomUUID();
}

async function route(rc: RequestContext, env: Env): Promise<Response> {
  if (rc.request.method === 'OPTIONS') return new Response(null, { status: 204 });
  const path = rc.url.pathname.length > 1 ? rc.url.pathname.replace(/\/+$/, '') : rc.url.pathname;
  let pathMatched = false;
  for (const r of compiled) {
    const m = r.regex.exec(path);
    if (!m) continue;
    pathMatched = true;
    if (r.method !== rc.request.method) continue;
    if (r.auth && !(await authorized(rc.request, env))) {
      return problem(401, 'unauthorized', 'Send Authorization: Bearer <key> with one of the keys in API_KEYS.', { 'www-authenticate': 'Bearer' });
    }
    rc.route = r.pattern;
    for (const [k, v] of Object.entries(m.groups ?? {})) {
      try {
        rc.params[k] = decodeURIComponent(v);
      } catch {
        return problem(400, 'invalid_path', `The {${k}} part of the path is not valid percent-encoding.`);
      }
    }
    return r.handler(rc, env);
  }
  return pathMatched
    ? problem(405, 'method_not_allowed', `${rc.request.method} is not supported on ${path}.`)
    : problem(404, 'not_found', `No route ${rc.request.method} ${path}.`);
}

export default {
  async fetch(request: Request, env: Env, ctx: ExecutionContext): Promise<Response> {
    const started = Date.now();
    const requestId = requestIdOf(request);
    const url = new URL(request.url);
    const rc: RequestContext = { request, url, params: {}, requestId, ctx, route: null };
    let response: Response;
    try {
      response = await route(rc, env);
    } catch (e) {
      log('error', 'unhandled error', { requestId, method: request.method, route: rc.route, ...errorFields(e) });
      response = problem(500, 'internal_error', `Something went wrong; quote request id ${requestId}.`);
    }
    const headers = new Headers(response.headers);
    headers.set('x-request-id', requestId);
    for (const [k, v] of Object.entries(CORS)) headers.set(k, v);
    // The route pattern, not the path: paths carry wamids and customers' numbers.
    log('info', 'request', { requestId, method: request.method, route: rc.route, status: response.status, ms: Date.now() - started });
    return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
  },

  async scheduled(controller: ScheduledController, env: Env, ctx: ExecutionContext): Promise<void> {
    const jobs = CRON_JOBS.filter((j) => j.cron === controller.cron);
    const results = await Promise.allSettled(jobs.map((j) => j.run(env, controller, ctx)));
    results.forEach((r, i) => {
      if (r.status === 'rejected') log('error', 'cron job failed', { job: jobs[i]!.name, cron: controller.cron, ...errorFields(r.reason) });
    });
    if (results.some((r) => r.status === 'rejected')) throw new Error('a cron job failed');
  },

  async queue(batch: MessageBatch, env: Env, ctx: ExecutionContext): Promise<void> {
    const consumer = QUEUE_CONSUMERS[batch.queue];
    if (!consumer) {
      log('error', 'no consumer for queue', { queue: batch.queue, messages: batch.messages.length });
      batch.retryAll();
      return;
    }
    await consumer(batch, env, ctx);
  },
} satisfies ExportedHandler<Env>;
