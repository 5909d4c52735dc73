// Static server for the demo and the browser tests: www/ at /, the built package at /pkg/.
// Loopback only. Usage: node scripts/serve.mjs [--port 8080]
import { createServer } from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import { join, normalize, extname, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const TYPES = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8',
  '.json': 'application/json', '.wasm': 'application/wasm', '.svg': 'image/svg+xml',
  '.png': 'image/png', '.ico': 'image/x-icon', '.ts': 'text/plain; charset=utf-8',
};

/** Starts the server; resolves to { url, close }. `config` is served as /config.json. */
export function startStaticServer({ port = 0, host = '127.0.0.1', config = {} } = {}) {
  const server = createServer(async (req, res) => {
    const path = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    if (path === '/config.json') {
      res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' });
      return res.end(JSON.stringify(config));
    }
    const [base, rel] = path.startsWith('/pkg/') ? ['pkg', path.slice(5)] : ['www', path.slice(1) || 'index.html'];
    const file = normalize(join(root, base, rel));
    if (!file.startsWith(join(root, base))) { res.writeHead(403); return res.end(); }
    try {
      const target = (await stat(file)).isDirectory() ? join(file, 'index.html') : file;
      const body = await readFile(target);
      res.writeHead(200, { 'content-type': TYPES[extname(target)] ?? 'application/octet-stream', 'cache-control': 'no-store' });
      res.end(body);
    } catch {
      res.writeHead(404, { 'content-type': 'text/plain' });
      res.end('not found');
    }
  });
  return new Promise((resolve) => {
    server.listen(port, host, () => {
      const { port: p } = server.address();
      resolve({ url: `http://${host}:${p}`, close: () => new Promise((r) => server.close(r)) });
    });
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const i = process.argv.indexOf('--port');
  const port = i > 0 ? Number(process.argv[i + 1]) : 8080;
  const config = {};
  const e = process.argv.indexOf('--emulator');
  if (e > 0) config.emulatorUrl = process.argv[e + 1];
  // The edge worker view (www/worker.html): the worker's URL and an API key (local demo only).
  const wk = process.argv.indexOf('--worker');
  if (wk > 0) config.workerUrl = process.argv[wk + 1];
  if (process.env.DEMO_WORKER_KEY) config.workerKey = process.env.DEMO_WORKER_KEY;
  const { url } = await startStaticServer({ port, config });
  console.log(`template studio: ${url}/  (package at ${url}/pkg/; Ctrl-C to stop)`);
}
