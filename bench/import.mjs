// Cold import: a fresh Node process importing the package (wasm compiled and instantiated at
// import) next to whatsapp-api-js, each timed inside the child from before `import()` to after it
// resolves. Median of 15 runs each, alternating. Prints numbers; asserts nothing.
//   node bench/import.mjs
import { spawnSync } from 'node:child_process';

const RUNS = Number(process.env.BENCH_RUNS ?? 15);
const child = (spec) => {
  const code = `const t = performance.now(); await import(${JSON.stringify(spec)}); console.log(performance.now() - t);`;
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', code], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(r.stderr);
  return Number(r.stdout.trim());
};
const peers = [['@basecloud/whatsapp-business', '@basecloud/whatsapp-business'], ['whatsapp-api-js 6.3.0', 'whatsapp-api-js']];
const times = new Map(peers.map(([label]) => [label, []]));
for (let i = 0; i < RUNS; i++) for (const [label, spec] of peers) times.get(label).push(child(spec));
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
console.log(`cold import (median of ${RUNS} fresh processes, ms from import() to resolved)`);
for (const [label, xs] of times) console.log(`  ${label.padEnd(32)} ${median(xs).toFixed(1).padStart(7)} ms`);
