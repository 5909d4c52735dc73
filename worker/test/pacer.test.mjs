// Unit tests of the pure pacing logic (worker/src/campaigns/pacer.ts): the token bucket at the
// number's throughput with headroom, block reservation, the pair rate, the rolling tier and the
// feedback from 130429 / 131056 / 131048. Time is passed in, so every case is exact.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';

const { Pacer, MemoryLedger, tierLimitOf, throughputOfLevel } = await importPacer();

async function importPacer() {
  const { importTs } = await import('./ts-module.mjs');
  return importTs(fileURLToPath(new URL('../src/campaigns/pacer.ts', import.meta.url)));
}

const users = (n, from = 0) => Array.from({ length: n }, (_, i) => `2783${String(from + i).padStart(7, '0')}`);

/** Most slots inside any window of `ms` milliseconds. */
function maxInWindow(times, ms) {
  const t = [...times].sort((a, b) => a - b);
  let best = 0;
  for (let i = 0, j = 0; i < t.length; i++) {
    while (t[i] - t[j] >= ms) j++;
    best = Math.max(best, i - j + 1);
  }
  return best;
}

test('the bucket hands out the throughput minus headroom, never more than the cap in any second', () => {
  const p = new Pacer({ throughput: 80, headroom: 0.05, horizonMs: 1000 });
  const times = [];
  let now = 0;
  let queue = users(2000);
  while (queue.length) {
    const r = p.reserve(now, queue);
    times.push(...r.grants.map((g) => g.at));
    for (const g of r.grants) assert.ok(g.at >= now && g.at <= now + 1000);
    assert.ok(r.deferred.every((d) => d.reason === 'throughput'));
    queue = r.deferred.map((d) => d.to);
    now += 500;
  }
  assert.equal(times.length, 2000);
  assert.ok(maxInWindow(times, 1000) <= 80, `max ${maxInWindow(times, 1000)}`);
  const span = (Math.max(...times) - Math.min(...times)) / 1000;
  const rate = (times.length - 1) / span;
  assert.ok(Math.abs(rate - 76) < 0.5, `rate ${rate}`);
});

test('slots come in blocks: one call covers the horizon', () => {
  const p = new Pacer({ throughput: 1000, headroom: 0, horizonMs: 250 });
  const r = p.reserve(10_000, users(1000));
  // 250 ms at 1,000/s, plus the slot at the horizon itself.
  assert.equal(r.grants.length, 251);
  assert.equal(r.deferred.length, 749);
  assert.equal(r.deferred[0].until, r.grants.at(-1).at + 1);
  // Slots are evenly spaced 1 ms apart.
  assert.deepEqual(r.grants.slice(0, 3).map((g) => g.at), [10_000, 10_001, 10_002]);
});

test('two pacers (two numbers) are independent', () => {
  const a = new Pacer({ throughput: 80, headroom: 0 });
  const b = new Pacer({ throughput: 80, headroom: 0 });
  assert.equal(a.reserve(0, users(200)).grants.length, 81);
  assert.equal(b.reserve(0, users(200)).grants.length, 81);
});

test('the pair rate holds a user back; other users go', () => {
  const p = new Pacer({ throughput: 100, headroom: 0, pairIntervalMs: 6000 });
  const first = p.reserve(0, ['27820000001', '27820000002']);
  assert.equal(first.grants.length, 2);
  const again = p.reserve(100, ['27820000001', '27820000003']);
  assert.deepEqual(again.grants.map((g) => g.to), ['27820000003']);
  assert.deepEqual(again.deferred, [{ to: '27820000001', until: 6000, reason: 'pair_rate' }]);
  assert.equal(p.reserve(6000, ['27820000001']).grants.length, 1);
});

test('the tier counts unique users in a rolling window and frees units as it rolls', () => {
  const ledger = new MemoryLedger();
  const p = new Pacer({ throughput: 1000, headroom: 0, tierLimit: 3, tierWindowMs: 10_000, pairIntervalMs: 0 }, ledger);
  const r = p.reserve(0, users(5));
  assert.equal(r.grants.length, 3);
  assert.deepEqual(r.deferred.map((d) => d.reason), ['tier_limit', 'tier_limit']);
  // The next unit frees when the first count leaves the window (plus a 1 % margin, ≥ 50 ms:
  // Meta counts from its acceptance, a little after the slot).
  assert.equal(r.deferred[0].until, r.grants[0].at + 10_000 + 100);
  // A user already counted goes again at no cost, and stays counted from that message on.
  assert.equal(p.reserve(5000, users(1)).grants.length, 1);
  assert.equal(p.reserve(5000, users(1, 10)).grants.length, 0);
  const later = p.reserve(10_003, users(3, 3));
  assert.deepEqual(later.grants.map((g) => g.to), users(2, 3));
  assert.equal(later.deferred[0].until, 5000 + 10_000 + 100);
  assert.equal(ledger.count(), 3);
  assert.equal(p.snapshot(10_003).tierUsed, 3);
});

test('a late send takes a fresh slot after the ones already handed out', () => {
  const p = new Pacer({ throughput: 100, headroom: 0.05, pairIntervalMs: 0 });
  const r = p.reserve(0, users(3));
  assert.deepEqual(r.grants.map((g) => g.at.toFixed(2)), ['0.00', '10.53', '21.05']);
  assert.deepEqual(p.slots(5, 2).map((t) => t.toFixed(2)), ['31.58', '42.11']);
  assert.ok(Math.abs(p.lateness() - 30) < 1e-9); // 60 % of the 5 % headroom of a second
});

test('release gives a tier unit back', () => {
  const p = new Pacer({ tierLimit: 1, pairIntervalMs: 0 });
  assert.equal(p.reserve(0, ['1']).grants.length, 1);
  assert.equal(p.reserve(0, ['2']).grants.length, 0);
  p.release('1');
  assert.equal(p.reserve(0, ['2']).grants.length, 1);
});

test('130429 slows the number, answers of one episode count once, and it recovers', () => {
  const p = new Pacer({ throughput: 100, headroom: 0, horizonMs: 1000 });
  assert.equal(p.rate(0), 100);
  p.feedback(0, 130429);
  assert.equal(p.rate(0), 80);
  p.feedback(500, 130429); // same episode
  assert.equal(p.rate(500), 82); // recovering: 80 + (0.5 s / 5 s) × 20
  // A 250 ms gap after the throttle answer, then slots at the lower rate.
  const r = p.reserve(0, users(3));
  assert.deepEqual(r.grants.map((g) => g.at), [250, 262.5, 275]);
  assert.ok(p.rate(2500) > 80 && p.rate(2500) < 100);
  assert.equal(p.rate(5000), 100);
  p.feedback(6000, 130429);
  assert.equal(p.rate(6000), 80);
  assert.ok(p.snapshot(6000).throttled);
  assert.ok(!p.snapshot(11_000).throttled);
});

test('131056 holds that user back four intervals; 131048 stops new users only', () => {
  const p = new Pacer({ throughput: 100, headroom: 0, pairIntervalMs: 1000, spamBackoffMs: 5000 });
  p.reserve(0, ['a', 'b']);
  p.feedback(10, 131056, 'a');
  assert.deepEqual(p.reserve(2000, ['a']).deferred, [{ to: 'a', until: 4010, reason: 'pair_rate' }]);
  p.feedback(2000, 131048, 'c');
  const r = p.reserve(2000, ['b', 'new']);
  assert.deepEqual(r.grants.map((g) => g.to), ['b']);
  assert.deepEqual(r.deferred, [{ to: 'new', until: 7000, reason: 'tier_limit' }]);
  assert.equal(p.reserve(7000, ['new']).grants.length, 1);
});

test('Graph throughput levels and tier names map to numbers', () => {
  assert.equal(throughputOfLevel('STANDARD'), 80);
  assert.equal(throughputOfLevel('HIGH'), 1000);
  assert.equal(throughputOfLevel(undefined), 80);
  assert.equal(tierLimitOf('TIER_250'), 250);
  assert.equal(tierLimitOf('TIER_2K'), 2000);
  assert.equal(tierLimitOf('TIER_100K'), 100_000);
  assert.equal(tierLimitOf('TIER_UNLIMITED'), null);
  assert.equal(tierLimitOf('garbage'), null);
});

test('bad configuration is clamped, not trusted', () => {
  const p = new Pacer({ throughput: -5, headroom: 3, burst: 0, tierLimit: -1 });
  assert.equal(p.config.throughput, 1);
  assert.equal(p.config.headroom, 0.5);
  assert.equal(p.config.burst, 1);
  assert.equal(p.config.tierLimit, 0);
});
