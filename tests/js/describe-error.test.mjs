// describeGraphError: the error-code table for codes that arrive outside a request (a failed
// status webhook), the same kind/retryable/hint a WhatsAppError with that code carries.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { describeGraphError, WhatsAppError } from '@basecloud/whatsapp-business';

test('known codes: kind, retryable and the hint', () => {
  const window = describeGraphError(131047);
  assert.equal(window.kind, 'window_closed');
  assert.equal(window.retryable, false);
  assert.match(window.hint, /24 hours/);
  assert.deepEqual(Object.keys(describeGraphError(131026)).sort(), ['hint', 'kind', 'retryable']);
  assert.equal(describeGraphError(131056).retryable, true);
  assert.equal(describeGraphError(190, 463).kind, 'auth');
  assert.match(describeGraphError(190, 463).hint, /expired/);
  assert.equal(describeGraphError(100, 33).kind, 'not_found');
  assert.equal(describeGraphError(100, null).kind, 'validation');
});

test('an unknown code is a graph error, not retryable, with the generic advice', () => {
  const info = describeGraphError(999999);
  assert.equal(info.kind, 'graph');
  assert.equal(info.retryable, false);
  assert.match(info.hint, /fbtrace_id/);
});

test('a code that is not an integer throws WhatsAppError', () => {
  for (const bad of ['131047', 1.5, NaN, undefined, null, {}]) {
    assert.throws(() => describeGraphError(bad), (e) => e instanceof WhatsAppError && e.code === 'invalid_type' && e.issues[0].path === 'code');
  }
  assert.throws(() => describeGraphError(131047, 'x'), (e) => e instanceof WhatsAppError && e.issues[0].path === 'subcode');
});

test('users construct a WhatsAppError with the fields the types declare', () => {
  const cause = new Error('vault down');
  const e = new WhatsAppError('no token', { kind: 'callback', code: 'vault_down', cause });
  assert.ok(e instanceof WhatsAppError && e instanceof Error);
  assert.equal(e.name, 'WhatsAppError');
  assert.equal(e.message, 'no token');
  assert.equal(e.cause, cause);
  assert.deepEqual([e.kind, e.code, e.subcode, e.httpStatus, e.retryable, e.ambiguous, e.hint, e.issues],
    ['callback', 'vault_down', null, null, false, false, '', []]);
  // Without the fields, a TypeError that says what is missing (not a SyntaxError from JSON).
  assert.throws(() => new WhatsAppError('x'), (err) => err instanceof TypeError && /kind/.test(err.message));
});

test('the package makes the same class, with every field set', () => {
  try {
    describeGraphError('x');
    assert.fail('expected a throw');
  } catch (e) {
    assert.ok(e instanceof WhatsAppError);
    assert.equal(e.cause, undefined);
    assert.deepEqual(Object.keys(e).sort(), ['ambiguous', 'code', 'details', 'fbtraceId', 'hint', 'httpStatus',
      'issues', 'kind', 'name', 'retryable', 'subcode', 'type']);
  }
});
