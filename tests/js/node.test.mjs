// The built package, imported by name through its `node` export condition, in real Node.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import * as wa from '@basecloud/whatsapp-business';
import init, { validateTemplateName, version, WhatsAppError } from '@basecloud/whatsapp-business';

const require = createRequire(import.meta.url);

test('the node condition resolves to node.js and the wasm is ready at import', () => {
  const resolved = import.meta.resolve('@basecloud/whatsapp-business');
  assert.match(resolved, /\/pkg\/node\.js$/);
  assert.equal(typeof wa.validateTemplateName, 'function');
});

test('package.json exports every runtime condition and types', () => {
  const manifest = require('@basecloud/whatsapp-business/package.json');
  assert.equal(manifest.name, '@basecloud/whatsapp-business');
  const root = manifest.exports['.'];
  for (const condition of ['types', 'workerd', 'browser', 'node']) {
    assert.ok(root[condition], `exports["."].${condition}`);
  }
  assert.equal(Object.keys(root)[0], 'types', 'types must come first to win in TypeScript');
});

test('validateTemplateName: valid and invalid names', () => {
  assert.deepEqual(validateTemplateName('order_confirm'), { valid: true, issues: [] });
  const bad = validateTemplateName('Order-Confirm');
  assert.equal(bad.valid, false);
  assert.equal(bad.issues.length, 1);
  assert.equal(bad.issues[0].path, 'name');
  assert.equal(bad.issues[0].code, 'name_invalid_chars');
  assert.equal(bad.issues[0].severity, 'error');
  assert.match(bad.issues[0].message, /"order_confirm"/);
  assert.deepEqual(validateTemplateName('').issues.map((i) => i.code), ['name_empty']);
  assert.deepEqual(validateTemplateName('a'.repeat(513)).issues.map((i) => i.code), ['name_too_long']);
  assert.equal(validateTemplateName('a'.repeat(512)).valid, true);
});

test('wrong argument types throw WhatsAppError (kind validation), never trap', () => {
  for (const input of [undefined, null, 42, {}, [], true, Symbol('x'), 10n, () => 1]) {
    assert.throws(() => validateTemplateName(input), (e) => {
      assert.ok(e instanceof Error);
      assert.ok(e instanceof WhatsAppError);
      assert.equal(e.name, 'WhatsAppError');
      assert.equal(e.kind, 'validation');
      assert.equal(e.code, 'invalid_type');
      assert.equal(e.retryable, false);
      assert.equal(e.issues[0].path, 'name');
      assert.ok(e.hint.length > 0);
      assert.ok(e.stack.includes('WhatsAppError'));
      return true;
    });
  }
  assert.equal(validateTemplateName('still_alive').valid, true);
});

test('version and a second init() are harmless', async () => {
  await init();
  assert.deepEqual(version(), { version: '0.1.0', defaultApiVersion: 'v25.0' });
});
