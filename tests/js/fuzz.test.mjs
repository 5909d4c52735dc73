// The JS fuzzer (scripts/fuzz.mjs) for a bounded time in `make test`; `make fuzz` runs it for
// 1,000,000 calls. Every invariant must hold with zero violations.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fuzz } from '../../scripts/fuzz.mjs';

test('fuzz: every export, hostile values and a misbehaving Graph, for 4 seconds', async () => {
  const stats = await fuzz({ seconds: 4, seed: Date.now() % 100_000 });
  const seen = `seed ${stats.seed}, ${stats.calls} calls:\n${stats.examples.join('\n')}`;
  assert.deepEqual(stats.uncovered, [], 'exports the fuzzer does not call');
  assert.ok(stats.calls > 1000, seen);
  assert.ok(Object.keys(stats.byExport).length >= 36, `exports called: ${Object.keys(stats.byExport)}`);
  for (const k of ['nonWhatsAppErrorThrows', 'traps', 'badRejections', 'runTaskRejected', 'unsettled', 'uncaught', 'unhealthyChecks']) {
    assert.equal(stats[k], 0, `${k}: ${seen}`);
  }
  assert.equal(stats.healthyAtEnd, true);
});
