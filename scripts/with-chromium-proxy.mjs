// Runs a command (the Chromium wasm suite) with headless Chromium sending every request through
// a small HTTP proxy on loopback that opens one upstream connection per request
// (`Connection: close`).
//   node scripts/with-chromium-proxy.mjs <command...>
//
// Why: wasm-bindgen-test-runner serves the test page with tiny_http 0.12, whose connection pool
// (4 threads at start, one thread per keep-alive connection) can lose a wakeup when several
// connections arrive at once: the last one is accepted but queued with no thread to read it,
// until another connection closes. Chromium fetches the page's module scripts (the bindings and
// five snippets) over up to six parallel keep-alive connections and keeps them open for minutes,
// so the page never finished loading ("Timed out receiving message from renderer: 300").
// Seen with `ss`: the stuck connection held the request unread (Recv-Q 612) while all four pool
// threads sat reading their idle connections. Through this proxy each upstream connection
// carries one request and closes, so every pool thread is free again within one response and a
// queued connection is read at once.
//
// The proxy is given to Chromium through a copy of webdriver.json
// (WASM_BINDGEN_TEST_WEBDRIVER_JSON); `<-loopback>` makes Chromium proxy 127.0.0.1 too.
import http from 'node:http';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'upgrade', 'te', 'trailer']);

function endToEnd(headers) {
  return Object.fromEntries(Object.entries(headers).filter(([name]) => !HOP_BY_HOP.has(name)));
}

let proxied = 0;
const proxy = http.createServer((req, res) => {
  proxied++;
  // A proxied request names the whole URL (`GET http://127.0.0.1:port/run.js`).
  const upstream = http.request(req.url, { method: req.method, headers: { ...endToEnd(req.headers), connection: 'close' }, agent: false }, (answer) => {
    res.writeHead(answer.statusCode ?? 502, endToEnd(answer.headers));
    answer.pipe(res);
  });
  upstream.on('error', (e) => {
    if (!res.headersSent) res.writeHead(502, { 'content-type': 'text/plain' });
    res.end(`proxy: ${e.message}`);
  });
  req.pipe(upstream);
});

const [command, ...args] = process.argv.slice(2);
if (!command) {
  console.error('usage: node scripts/with-chromium-proxy.mjs <command...>');
  process.exit(2);
}

await new Promise((resolve) => proxy.listen(0, '127.0.0.1', resolve));
const { port } = proxy.address();
const dir = mkdtempSync(join(tmpdir(), 'chromium-proxy-'));
const capabilities = JSON.parse(readFileSync(process.env.WASM_BINDGEN_TEST_WEBDRIVER_JSON ?? 'webdriver.json', 'utf8'));
const options = (capabilities['goog:chromeOptions'] ??= {});
options.args = [...(options.args ?? []), `--proxy-server=http://127.0.0.1:${port}`, '--proxy-bypass-list=<-loopback>'];
const file = join(dir, 'webdriver.json');
writeFileSync(file, JSON.stringify(capabilities, null, 2));

const child = spawn(command, args, { stdio: 'inherit', env: { ...process.env, WASM_BINDGEN_TEST_WEBDRIVER_JSON: file } });
const code = await new Promise((resolve) => child.on('exit', (c, signal) => resolve(c ?? (signal ? 1 : 0))));
console.error(`with-chromium-proxy: ${proxied} requests proxied`);
proxy.close();
proxy.closeAllConnections();
rmSync(dir, { recursive: true, force: true });
process.exit(code);
