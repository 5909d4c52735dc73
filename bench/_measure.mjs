// The interleaved measuring loop the per-call benches share (bench/run.mjs skips `_` files).
//
// On a shared machine the load changes from one second to the next, so rows measured one after
// the other are not comparable. `bench` only names a row; `print` runs the rows of a table
// interleaved, ROUNDS slices of ~SLICE_MS each, and keeps each row's best slice.
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 7);
const SLICE_MS = Number(process.env.BENCH_SLICE_MS ?? 150);

export function bench(name, fn) {
  return { name, fn };
}

function slice(fn) {
  let n = 0;
  let sink;
  const start = process.hrtime.bigint();
  const until = start + BigInt(SLICE_MS) * 1_000_000n;
  let now = start;
  while (now < until) {
    for (let i = 0; i < 100; i++) sink = fn();
    n += 100;
    now = process.hrtime.bigint();
  }
  return [Number(now - start) / n, sink];
}

// Prints each row's µs per call and, when `baseline` names a row, how many times faster than it.
// Returns the µs per call by row name.
export function print(title, rows, baseline) {
  for (const r of rows) for (let i = 0; i < 2000; i++) r.fn(); // warm up (JIT)
  const best = new Map(rows.map((r) => [r.name, Infinity]));
  for (let round = 0; round < ROUNDS; round++) {
    for (const r of rows) best.set(r.name, Math.min(best.get(r.name), slice(r.fn)[0]));
  }
  console.log(`\n${title}`);
  const us = (r) => best.get(r.name) / 1000;
  const base = rows.find((r) => r.name === baseline);
  for (const r of rows) {
    const rel = base ? `  ${(us(base) / us(r)).toFixed(2)}× vs ${baseline}` : '';
    console.log(`  ${r.name.padEnd(52)} ${String(Math.round(1e6 / us(r))).padStart(9)} ops/s  ${us(r).toFixed(2).padStart(6)} µs${rel}`);
  }
  return new Map(rows.map((r) => [r.name, us(r)]));
}

export function footer() {
  console.log(`\n(best of ${ROUNDS} interleaved ${SLICE_MS} ms slices per row; the ratios are what to compare)`);
}
