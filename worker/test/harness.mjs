// Test harness for the edge worker: the real deploy artifact (`wrangler deploy --dry-run`) run in
// workerd by Miniflare 4 with a local D1 (migrations applied), reachable over loopback HTTP, and a
// real wa-emulator process as the Graph API and the webhook sender.
import { Miniflare } from 'miniflare';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const WORKER_DIR = join(dirname(fileURLToPath(import.meta.url)), '..');
const ROOT = join(WORKER_DIR, '..');
export const OFFLINE_ENV = { ...process.env, WRANGLER_SEND_METRICS: 'false', CLOUDFLARE_CF_FETCH_ENABLED: 'false' };

/** wrangler.jsonc without its comments (string contents, e.g. URLs, are left alone). */
export function readWranglerConfig() {
  const text = readFileSync(join(WORKER_DIR, 'wrangler.jsonc'), 'utf8');
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '"') {
      const start = i;
      for (i++; i < text.length && text[i] !== '"'; i++) if (text[i] === '\\') i++;
      out += text.slice(start, i + 1);
    } else if (c === '/' && text[i + 1] === '/') {
      while (i < text.length && text[i] !== '\n') i++;
      out += '\n';
    } else if (c === '/' && text[i + 1] === '*') {
      i = text.indexOf('*/', i + 2) + 1;
    } else {
      out += c;
    }
  }
  return JSON.parse(out.replace(/,(\s*[}\]])/g, '$1'));
}

/** The deploy artifact: WORKER_BUNDLE (built by `make test-worker`) or a fresh dry-run build. */
export function bundleDir() {
  if (process.env.WORKER_BUNDLE) return process.env.WORKER_BUNDLE;
  const outdir = mkdtempSync(join(tmpdir(), 'wa-worker-dist-'));
  const r = spawnSync(join(ROOT, 'node_modules/.bin/wrangler'), ['deploy', '--dry-run', '--outdir', outdir], {
    cwd: WORKER_DIR, env: OFFLINE_ENV, encoding: 'utf8',
  });
  if (r.status !== 0) throw new Error(`wrangler deploy --dry-run failed:\n${r.stdout}\n${r.stderr}`);
  process.on('exit', () => rmSync(outdir, { recursive: true, force: true }));
  return outdir;
}

/** Every statement of migrations/*.sql, in order. */
export function migrationStatements() {
  const dir = join(WORKER_DIR, 'migrations');
  return readdirSync(dir).filter((f) => f.endsWith('.sql')).sort()
    .flatMap((f) => readFileSync(join(dir, f), 'utf8').replace(/--.*$/gm, '').split(';'))
    .map((s) => s.trim())
    .filter(Boolean);
}

export const SECRETS = {
  API_KEYS: 'key-current-7f3a9c, key-previous-2b8e1d',
  APP_SECRETS: 'test-app-secret,previous-app-secret',
  VERIFY_TOKEN: 'verify-token-51c0',
  CONNECTIONS: JSON.stringify({ crm: { accessToken: 'test-token-valid' }, plain: 'test-token-valid' }),
};
export const API_KEY = 'key-current-7f3a9c';

/** wrangler.jsonc's Durable Objects and Queues as Miniflare options (local queues, SQLite DOs). */
function bindingOptions(config) {
  const durableObjects = Object.fromEntries((config.durable_objects?.bindings ?? []).map((b) => [
    b.name, { className: b.class_name, useSQLite: (config.migrations ?? []).some((m) => m.new_sqlite_classes?.includes(b.class_name)) },
  ]));
  const queueProducers = Object.fromEntries((config.queues?.producers ?? []).map((p) => [p.binding, { queueName: p.queue }]));
  const queueConsumers = Object.fromEntries((config.queues?.consumers ?? []).map((c) => [c.queue, {
    maxBatchSize: c.max_batch_size, maxBatchTimeout: c.max_batch_timeout, maxRetries: c.max_retries, deadLetterQueue: c.dead_letter_queue,
  }]));
  return { durableObjects, queueProducers, queueConsumers };
}

/**
 * Starts the worker on a loopback port. `vars` override SECRETS and wrangler.jsonc's vars;
 * `options` are extra Miniflare options (e.g. `defaultPersistRoot` to survive a restart).
 * Resolves to { url, mf, db, logs, fetch(path, init), api(path, init), close() }.
 */
export async function startWorker({ vars = {}, bundle = bundleDir(), options = {}, migrate = true } = {}) {
  const config = readWranglerConfig();
  const d1 = config.d1_databases[0];
  const logs = [];
  const mf = new Miniflare({
    modules: true,
    scriptPath: join(bundle, 'index.js'),
    modulesRoot: bundle,
    modulesRules: [
      { type: 'ESModule', include: ['**/*.js'] },
      { type: 'CompiledWasm', include: ['**/*.wasm'] },
    ],
    compatibilityDate: config.compatibility_date,
    d1Databases: { [d1.binding]: d1.database_id },
    ...bindingOptions(config),
    bindings: { ...config.vars, ...SECRETS, ...vars },
    host: '127.0.0.1',
    port: 0,
    handleRuntimeStdio(stdout, stderr) {
      for (const stream of [stdout, stderr]) {
        let rest = '';
        stream.on('data', (chunk) => {
          const lines = (rest + chunk).split('\n');
          rest = lines.pop();
          logs.push(...lines.filter(Boolean));
        });
      }
    },
    ...options,
  });
  const url = (await mf.ready).toString().replace(/\/$/, '');
  const db = await mf.getD1Database(d1.binding);
  if (migrate) await db.batch(migrationStatements().map((s) => db.prepare(s)));
  const fetchWorker = (path, init) => fetch(url + path, init);
  return {
    url,
    mf,
    db,
    logs,
    fetch: fetchWorker,
    /** An authenticated JSON call to /v1/*. */
    api: (path, { body, method = body === undefined ? 'GET' : 'POST', key = API_KEY } = {}) =>
      fetchWorker(path, {
        method,
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
        body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
      }),
    close: () => mf.dispose(),
  };
}

/** Starts target/release/wa-emulator (built by `make test-worker`) on a free port. */
export async function startEmulator(args = []) {
  const bin = join(process.env.CARGO_TARGET_DIR ?? join(ROOT, 'target'), 'release/wa-emulator');
  const child = spawn(bin, ['--port', '0', '--quiet', '--status-interval-ms', '20', '--pair-burst', '0', '--throughput', '0', ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  // Never leave an emulator behind, even when the test process ends abruptly.
  const stop = () => child.kill('SIGTERM');
  process.once('exit', stop);
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGPIPE', 'SIGHUP']) process.once(signal, () => { stop(); process.exit(1); });
  const url = await new Promise((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
      const m = /listening on (http:\/\/[\d.]+:\d+)/.exec(out);
      if (m) resolve(m[1]);
    });
    child.on('exit', (code) => reject(new Error(`wa-emulator exited with ${code}: ${out}`)));
  });
  const control = async (path, body, method = body === undefined ? 'GET' : 'POST') => {
    const res = await fetch(`${url}/_emulator/${path}`, {
      method,
      headers: { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const json = await res.json();
    if (!res.ok) throw new Error(`emulator ${path}: ${res.status} ${JSON.stringify(json)}`);
    return json;
  };
  return {
    url,
    control,
    close: () => new Promise((r) => {
      process.off('exit', stop);
      if (child.exitCode !== null) return r();
      child.once('exit', r);
      child.kill('SIGTERM');
    }),
  };
}

/**
 * wa-emulator and a worker wired both ways: the worker sends to the emulator's Graph API and the
 * emulator delivers its webhooks to the worker. `close` stops both.
 */
export async function startWiredWorker() {
  const emu = await startEmulator();
  let w;
  try {
    w = await startWorker({ vars: { GRAPH_BASE_URL: emu.url } });
    await emu.control('webhook', { url: `${w.url}/webhooks/whatsapp` });
  } catch (e) {
    await w?.close();
    await emu.close();
    throw e;
  }
  return { emu, w, close: async () => { await w.close(); await emu.close(); } };
}

/** Polls `check` until it returns a truthy value (or throws after `ms`). */
export async function eventually(check, { ms = 10_000, every = 25 } = {}) {
  const until = Date.now() + ms;
  let last;
  for (;;) {
    try {
      const v = await check();
      if (v) return v;
    } catch (e) {
      last = e;
    }
    if (Date.now() > until) throw last ?? new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, every));
  }
}

/**
 * CPU time (user + system, ms) used so far by the workerd processes this Node process started
 * (Miniflare's runtime), from /proc. It includes Miniflare's local D1, which on Cloudflare runs
 * outside the Worker, so it is an upper bound for the Worker's own CPU time.
 */
export function workerdCpuMs() {
  const tick = 1000 / 100; // USER_HZ is 100 on Linux
  let total = 0;
  for (const pid of readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    let stat;
    try {
      stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    } catch {
      continue;
    }
    const comm = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (comm === 'workerd' && Number(fields[1]) === process.pid) total += (Number(fields[11]) + Number(fields[12])) * tick;
  }
  return total;
}
