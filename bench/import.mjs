// Cold import: a fresh Node process importing the package (wasm compiled and instantiated at
// import) next to whatsapp-api-js, each timed inside the child from before `import()` to after it
// resolves. 15 runs each, alternating. Printed: the median and the fastest wall time, and the
// median CPU time of the process over the same span (all threads; less disturbed than wall time
// when other work shares the machine). Prints numbers; asserts nothing.
//   node bench/import.mjs
import { spawnSync } from 'node:child_process';

const RUNS = Number(process.env.BENCH_RUNS ?? 15);
const child = (spec) => {
  const code = `const c = process.cpuUsage(); const t = performance.now(); await import(${JSON.stringify(spec)});
    const d = process.cpuUsage(c); console.log(performance.now() - t, (d.user + d.system) / 1000);`;
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', code], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(r.stderr);
  return r.stdout.trim().split(' ').map(Number);
};
const peers = [['@basecloud/whatsapp-business', '@basecloud/whatsapp-business'], ['whatsapp-api-js 6.3.0', 'whatsapp-api-js']];
const times = new Map(peers.map(([label]) => [label, []]));
for (let i = 0; i < RUNS; i++) for (const [label, spec] of peers) times.get(label).push(child(spec));
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const ms = (n) => `${n.toFixed(1).padStart(5)} ms`;
console.log(`cold import (${RUNS} fresh processes each, from import() to resolved)`);
for (const [label, runs] of times) {
  const wall = runs.map(([w]) => w);
  const cpu = runs.map(([, c]) => c);
  console.log(`  ${label.padEnd(30)} wall median ${ms(median(wall))}, fastest ${ms(Math.min(...wall))};  CPU median ${ms(median(cpu))}`);
}
