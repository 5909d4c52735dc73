// Launches Debian's Chromium through playwright-core (no browser download) and serves www/ + pkg/.
import { chromium } from 'playwright-core';
import { startStaticServer } from '../../scripts/serve.mjs';

export async function openBrowser({ config } = {}) {
  const server = await startStaticServer({ config });
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
  });
  const consoleErrors = [];
  async function newPage(path = '/', viewport = { width: 1280, height: 800 }) {
    const page = await browser.newPage({ viewport });
    page.on('console', (m) => { if (m.type() === 'error') consoleErrors.push(m.text()); });
    page.on('pageerror', (e) => consoleErrors.push(String(e)));
    await page.goto(server.url + path);
    return page;
  }
  return {
    url: server.url, newPage, consoleErrors,
    async close() { await browser.close(); await server.close(); },
  };
}
