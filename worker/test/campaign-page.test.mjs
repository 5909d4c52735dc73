// The studio's campaign page (www/campaign.html) in headless Chromium against a real worker
// (dry-run bundle in Miniflare) and wa-emulator: a campaign started from the page is shown live
// until every recipient is sent, with its chart and delivery funnel.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { openBrowser } from '../../tests/js/browser-harness.mjs';
import { API_KEY } from './harness.mjs';
import { campaignWorld } from './campaign-harness.mjs';

const ARTIFACTS = join(import.meta.dirname ?? new URL('.', import.meta.url).pathname, '../../test-artifacts');

test('the campaign page starts a campaign and shows it live to the end', async () => {
  const { w, close } = await campaignWorld({ vars: { CAMPAIGN_THROUGHPUT: '100' } });
  const browser = await openBrowser({ config: { workerUrl: w.url, workerKey: API_KEY } });
  try {
    const page = await browser.newPage('/campaign.html');
    await page.click('#start-box summary');
    await page.fill('#start-n', '150');
    await page.fill('#start-conn', 'crm');
    await page.click('#start button[type=submit]');
    await page.waitForFunction(() => document.getElementById('summary').textContent.includes('150 of 150 sent'), null, { timeout: 30_000 })
      .catch(async (e) => {
        throw new Error(`${e.message}; status: ${await page.textContent('#status')}; summary: ${await page.textContent('#summary')}; console: ${browser.consoleErrors.join(' | ')}`);
      });
    await page.waitForFunction(() => document.getElementById('state').textContent === 'completed', null, { timeout: 10_000 });
    const counts = await page.$$eval('#counts tr', (rows) => Object.fromEntries(rows.map((r) => [r.cells[0].textContent, Number(r.cells[2].textContent)])));
    assert.equal(counts.sent, 150);
    assert.equal(counts.pending, 0);
    const funnel = await page.$$eval('#funnel tr', (rows) => Object.fromEntries(rows.map((r) => [r.cells[0].textContent, Number(r.cells[2].textContent)])));
    assert.equal(funnel['accepted by Meta'], 150);
    // The chart drew bars: some pixels are the bar colour.
    const drawn = await page.$eval('#chart', (c) => {
      const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
      let n = 0;
      for (let i = 0; i < d.length; i += 4) if (d[i] === 0 && d[i + 1] === 128 && d[i + 2] === 105) n++;
      return n;
    });
    assert.ok(drawn > 100, `the chart is empty (${drawn} bar pixels)`);
    // The timeline behind the chart is polled on its own; its last seconds may arrive a poll later.
    await page.waitForFunction(() => document.getElementById('chart-legend').textContent.includes('150 in the window shown'), null, { timeout: 10_000 })
      .catch(() => {});
    assert.match(await page.textContent('#chart-legend'), /150 in the window shown/);
    assert.deepEqual(browser.consoleErrors, []);
    mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: join(ARTIFACTS, 'campaign-page.png'), fullPage: true });
  } finally {
    await browser.close();
    await close();
  }
});
