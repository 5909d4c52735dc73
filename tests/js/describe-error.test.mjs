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
