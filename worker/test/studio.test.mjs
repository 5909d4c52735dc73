// The studio's edge-worker view in headless Chromium: a text sent from the page goes through the
// worker's task API, and the statuses the worker stores from wa-emulator's webhooks show up live.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { openBrowser } from '../../tests/js/browser-harness.mjs';
import { API_KEY, startEmulator, startWorker } from './harness.mjs';

let emu, w, browser;
before(async () => {
  emu = await startEmulator(['--status-interval-ms', '150']);
  w = await startWorker({ vars: { GRAPH_BASE_URL: emu.url, CONNECTIONS: JSON.stringify({ demo: { accessToken: 'test-token-valid' } }) } });
  await emu.control('webhook', { url: `${w.url}/webhooks/whatsapp` });
  browser = await openBrowser({ config: { workerUrl: w.url, workerKey: API_KEY, emulatorUrl: emu.url } });
});
after(async () => { await browser?.close(); await w?.close(); await emu?.close(); });

test('send from the page; sent → delivered → read arrive live; a closed window is explained', async () => {
  const page = await browser.newPage('/worker.html');
  await page.waitForSelector('#worker-state.good');
  await page.fill('#to', '27828880001');
  await page.dispatchEvent('#to', 'change');
  await page.waitForFunction(() => /has not written/.test(document.querySelector('#window').textContent));

  // Free-form text before the customer wrote: refused by the worker, with the reason.
  await page.click('#send-text');
  await page.waitForFunction(() => document.querySelector('#send-result').className === 'problem');
  assert.match(await page.textContent('#send-result'), /window .* is closed/);

  await page.click('#customer-writes');
  await page.waitForFunction(() => /window open until/.test(document.querySelector('#window').textContent));
  await page.click('#send-text');
  const row = await page.waitForSelector('#messages tbody tr[data-status="read"]', { timeout: 15_000 });
  const history = await row.$$eval('.history li', (lis) => lis.map((li) => li.firstChild.textContent));
  assert.deepEqual(history, ['accepted', 'sent', 'delivered', 'read']);
  const wamid = await row.getAttribute('data-wamid');
  assert.equal((await (await w.api(`/v1/messages/${wamid}`)).json()).status, 'read');

  mkdirSync('test-artifacts', { recursive: true });
  await page.screenshot({ path: 'test-artifacts/worker-view.png', fullPage: true });
  assert.deepEqual(browser.consoleErrors, []);
});
