// Helpers for studio.test.mjs: the plain text of each part of a renderTemplatePreview result,
// computed from the package's own output (the test compares the page against it), and a wa-emulator.
import { spawn, execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const spansText = (part) => (Array.isArray(part?.spans) ? part.spans.map((s) => s.text ?? '').join('') : (part?.text ?? ''));

export function previewText(preview) {
  const format = String(preview?.header?.format ?? '').toUpperCase();
  return {
    header: preview?.header ? (format && format !== 'TEXT' ? format : spansText(preview.header)) : '',
    body: spansText(preview?.body),
    footer: spansText(preview?.footer),
    buttons: (preview?.buttons ?? []).map((b) => b.text ?? ''),
  };
}

// A wa-emulator for the studio's emulator buttons: WA_GRAPH_EMULATOR_URL when set (as
// scripts/with-emulator.sh does), otherwise the workspace's own binary on a free loopback port
// (brought up to date first with cargo, like scripts/with-emulator.sh).

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

export async function startEmulator() {
  if (process.env.WA_GRAPH_EMULATOR_URL) {
    // shared with other test files running at the same time: never reset it
    return { url: process.env.WA_GRAPH_EMULATOR_URL.replace(/\/$/, ''), stop: async () => {} };
  }
  const bin = join(process.env.CARGO_TARGET_DIR ?? join(ROOT, 'target'), 'release', 'wa-emulator');
  execFileSync('cargo', ['build', '-q', '--release', '-p', 'wa-emulator'], { cwd: ROOT, stdio: 'inherit' });
  if (!existsSync(bin)) throw new Error(`cargo built no ${bin}`);
  const child = spawn(bin, ['--port', '0', '--quiet', '--review-delay', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  const url = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`wa-emulator did not start:\n${log}`)), 20000);
    const onData = (chunk) => {
      log += chunk;
      const m = log.match(/http:\/\/[0-9.]+:[0-9]+/);
      if (m) { clearTimeout(timer); resolve(m[0]); }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('exit', (code) => { clearTimeout(timer); reject(new Error(`wa-emulator exited (${code}):\n${log}`)); });
  });
  for (let i = 0; i < 100; i++) {
    if (await fetch(`${url}/_emulator/health`).then((r) => r.ok, () => false)) break;
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    url,
    stop: () => new Promise((resolve) => {
      child.removeAllListeners('exit');
      child.once('exit', () => resolve());
      child.kill();
    }),
  };
}
