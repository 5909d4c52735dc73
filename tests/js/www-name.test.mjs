// The demo page in real headless Chromium: the browser entry of the package validates live.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { openBrowser } from './browser-harness.mjs';

let b;
before(async () => { b = await openBrowser(); });
after(async () => b?.close());

test('typing a template name validates it live in the browser', async () => {
  const page = await b.newPage('/');
  await page.waitForSelector('#status[data-state="valid"], #status[data-state="invalid"]');
  await page.fill('#name', 'Order-Confirm');
  await page.waitForSelector('#status[data-state="invalid"]');
  assert.equal(await page.getAttribute('#name', 'aria-invalid'), 'true');
  assert.deepEqual(await page.$$eval('#issues li', (lis) => lis.map((li) => li.dataset.code)), ['name_invalid_chars']);

  await page.fill('#name', 'order_confirm');
  await page.waitForSelector('#status[data-state="valid"]');
  assert.equal(await page.$$eval('#issues li', (lis) => lis.length), 0);
  mkdirSync('test-artifacts', { recursive: true });
  await page.screenshot({ path: 'test-artifacts/name-valid.png' });
  assert.deepEqual(b.consoleErrors, []);
});
