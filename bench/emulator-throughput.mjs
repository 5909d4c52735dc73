#!/usr/bin/env node
// Emulator throughput bench (loopback only, bounded duration, Node 20 built-ins only).
//
//   cargo build --release -p wa-emulator
//   node bench/emulator-throughput.mjs [--bin target/release/wa-emulator] [--seconds 10]
//                                      [--connections 32] [--cap 80]
//
// Phase 0: startup time (spawn → "listening" line), median of 5 runs.
// Phase 1: sustained template sends/s with the caps lifted (--throughput 0 --pair-burst 0).
// Phase 2: accepted sends/s from one number against --throughput <cap> over a 10 s window,
//          with the error relative to the cap.
import { spawn } from "node:child_process";
import http from "node:http";
import { performance } from "node:perf_hooks";

const args = Object.fromEntries(
  process.argv.slice(2).reduce((acc, a, i, all) => {
    if (a.startsWith("--")) acc.push([a.slice(2), all[i + 1]]);
    return acc;
  }, []),
);
const BIN = args.bin ?? "target/release/wa-emulator";
const SECONDS = Number(args.seconds ?? 10);
const CONNECTIONS = Number(args.connections ?? 32);
const CAP = Number(args.cap ?? 80);

function startEmulator(extra) {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(BIN, ["--port", "0", "--quiet", ...extra], { stdio: ["ignore", "pipe", "inherit"] });
    let buf = "";
    const timer = setTimeout(() => reject(new Error("emulator did not start within 5 s")), 5000);
    child.stdout.on("data", (d) => {
      buf += d;
      const m = buf.match(/listening on http:\/\/([\d.]+):(\d+)/);
      if (m) {
        clearTimeout(timer);
        resolve({ child, host: m[1], port: Number(m[2]), startupMs: performance.now() - t0 });
      }
    });
    child.on("error", reject);
  });
}

function stop(child) {
  return new Promise((resolve) => {
    child.once("exit", resolve);
    child.kill("SIGTERM");
  });
}

function templateBody(to) {
  return JSON.stringify({
    messaging_product: "whatsapp",
    to,
    type: "template",
    template: {
      name: "order_confirmation",
      language: { code: "en_US" },
      components: [
        { type: "body", parameters: ["John", "12345", "R500", "Dec 25"].map((text) => ({ type: "text", text })) },
        { type: "button", sub_type: "url", index: "0", parameters: [{ type: "text", text: "12345" }] },
      ],
    },
  });
}

function post(agent, host, port, path, body) {
  return new Promise((resolve) => {
    const req = http.request(
      {
        host, port, path, method: "POST", agent,
        headers: { "content-type": "application/json", authorization: "Bearer test-token-valid", "content-length": Buffer.byteLength(body) },
      },
      (res) => {
        res.resume();
        res.on("end", () => resolve(res.statusCode));
      },
    );
    req.on("error", () => resolve(0));
    req.end(body);
  });
}

// Runs `connections` closed-loop senders for `seconds`; counts statuses of requests started
// inside the window.
async function run({ host, port }, seconds, connections) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: connections });
  const counts = new Map();
  const end = performance.now() + seconds * 1000;
  let n = 0;
  const worker = async () => {
    while (performance.now() < end) {
      const to = String(27830000000 + ((n++ * 7919) % 9_000_000));
      const s = await post(agent, host, port, "/v25.0/300000000000001/messages", templateBody(to));
      counts.set(s, (counts.get(s) ?? 0) + 1);
    }
  };
  const t0 = performance.now();
  await Promise.all(Array.from({ length: connections }, worker));
  const elapsed = (performance.now() - t0) / 1000;
  agent.destroy();
  return { counts, elapsed };
}

const fmt = (m) => [...m.entries()].map(([k, v]) => `${k}:${v}`).join(" ");

// Phase 0.
const startups = [];
for (let i = 0; i < 5; i++) {
  const e = await startEmulator([]);
  startups.push(e.startupMs);
  await stop(e.child);
}
startups.sort((a, b) => a - b);
console.log(`startup: median ${startups[2].toFixed(1)} ms (min ${startups[0].toFixed(1)}, max ${startups[4].toFixed(1)}) spawn→listening`);

// Phase 1.
{
  const e = await startEmulator(["--throughput", "0", "--pair-burst", "0"]);
  await run(e, 1, CONNECTIONS); // warm-up
  const { counts, elapsed } = await run(e, SECONDS, CONNECTIONS);
  const ok = counts.get(200) ?? 0;
  console.log(`uncapped: ${(ok / elapsed).toFixed(0)} accepted sends/s over ${elapsed.toFixed(1)} s with ${CONNECTIONS} keep-alive connections (${fmt(counts)})`);
  await stop(e.child);
}

// Phase 2.
{
  const e = await startEmulator(["--throughput", String(CAP)]);
  const window = 10;
  const { counts, elapsed } = await run(e, window, 8);
  const ok = counts.get(200) ?? 0;
  const rate = ok / window;
  const err = ((rate - CAP) / CAP) * 100;
  console.log(
    `cap ${CAP}/s: ${ok} accepted in a ${window} s window = ${rate.toFixed(1)}/s (${err >= 0 ? "+" : ""}${err.toFixed(2)} % vs cap); ` +
      `${counts.get(429) ?? 0} answered 130429; loop ran ${elapsed.toFixed(2)} s (${fmt(counts)})`,
  );
  await stop(e.child);
}
