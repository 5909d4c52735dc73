// How a JS string is copied into wasm memory: wasm-bindgen's generated per-character loop (used
// while the string is ASCII) against one TextEncoder.encodeInto, which is how the caller's text
// crosses (`encodeText` in src/js/read_boundary.js, called by convert::text_of). Both copy into a
// plain Uint8Array the way the glue copies into wasm memory (without the allocation around them).
// Prints ns per copy; asserts nothing about time.
//
//   node bench/string-passing.mjs
import { seedSend, welcomeDefinition } from '../tests/js/fixtures/rules.mjs';

const mem = new Uint8Array(1 << 20);
const encoder = new TextEncoder();
function asciiLoop(arg) {
  const len = arg.length;
  let o = 0;
  for (; o < len; o++) {
    const c = arg.charCodeAt(o);
    if (c > 0x7f) break;
    mem[1024 + o] = c;
  }
  return o;
}
function encodeInto(arg) {
  return encoder.encodeInto(arg, mem.subarray(1024, 1024 + arg.length * 3)).written;
}
function nsPerCall(f, inputs, n = 1_000_000) {
  for (let i = 0; i < 100_000; i++) f(inputs[i % inputs.length]);
  let best = Infinity;
  for (let r = 0; r < 5; r++) {
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < n; i++) f(inputs[i % inputs.length]);
    best = Math.min(best, Number(process.hrtime.bigint() - t0) / n);
  }
  return best;
}

const rows = [];
for (const len of [8, 16, 24, 32, 48, 64, 96]) {
  // 16 different strings per length, so no call sees a cached answer.
  rows.push([`${len} ASCII characters`, Array.from({ length: 16 }, (_, k) => `abcdefghij${k}`.repeat(20).slice(0, len))]);
}
rows.push([`send input, JSON text (${JSON.stringify(seedSend).length} chars)`, [JSON.stringify(seedSend)]]);
rows.push([`template definition, JSON text (${JSON.stringify(welcomeDefinition).length} chars)`, [JSON.stringify(welcomeDefinition)]]);

console.log('copying a JS string into wasm memory (best of 5 × 1M copies)');
for (const [name, inputs] of rows) {
  const loop = nsPerCall(asciiLoop, inputs);
  const into = nsPerCall(encodeInto, inputs);
  console.log(`  ${name.padEnd(48)} per-character loop ${loop.toFixed(0).padStart(5)} ns   encodeInto ${into.toFixed(0).padStart(4)} ns`);
}
