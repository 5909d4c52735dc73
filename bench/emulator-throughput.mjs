#!/usr/bin/env node
// Emulator throughput bench (loopback only, bounded duration, Node 20 built-ins only).
//
//   cargo build --release -p wa-emulator
//   node bench/emulator-throughput.mjs [--bin target/release/wa-emulator] [--seconds 10]
//                                      [--connections 32] [--cap 80]
//
// Phase 0: startup time (spawn → "listening" line), median of 5 runs.
// Phase 1: sustained template sends/s with the caps lifted (--throughput 0 --pair-burst 0),
//          twice: with node:http keep-alive clients, and with raw keep-alive sockets that keep
//          a few requests in flight (HTTP/1.1 pipelining), because on a 2-core box the
//          node:http client costs more CPU per request than the emulator does. The emulator's
//          own CPU time per send (from /proc) is printed too.
// Phase 2: accepted sends/s from one number against --throughput <cap> over a 10 s window,
//          with the error relative to the cap.
import { spawn } from "node:child_process";
import http from "node:http";
import net from "node:net";
import { readFileSync } from "node:fs";
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

// Raw sockets: each keeps `depth` pipelined requests in flight; counts `HTTP/1.1 200`.
function runRaw({ host, port }, seconds, sockets, depth) {
  const body = templateBody("27821234567");
  const req = Buffer.from(
    `POST /v25.0/300000000000001/messages HTTP/1.1\r\nhost: ${host}:${port}\r\n` +
      `authorization: Bearer test-token-valid\r\ncontent-type: application/json\r\n` +
      `content-length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
  );
  const end = performance.now() + seconds * 1000;
  const counts = new Map();
  const t0 = performance.now();
  const one = () =>
    new Promise((resolve) => {
      const sock = net.connect(port, host);
      sock.setNoDelay(true);
      let buf = Buffer.alloc(0);
      let inflight = 0;
      const fill = () => {
        while (inflight < depth && performance.now() < end) {
          sock.write(req);
          inflight++;
        }
        if (inflight === 0) sock.end();
      };
      sock.on("connect", fill);
      sock.on("data", (d) => {
        buf = buf.length ? Buffer.concat([buf, d]) : d;
        for (;;) {
          const he = buf.indexOf("\r\n\r\n");
          if (he < 0) break;
          const head = buf.subarray(0, he).toString("latin1");
          const m = head.match(/content-length: (\d+)/i);
          const len = m ? Number(m[1]) : 0;
          if (buf.length < he + 4 + len) break;
          const status = Number(head.slice(9, 12));
          counts.set(status, (counts.get(status) ?? 0) + 1);
          buf = buf.subarray(he + 4 + len);
          inflight--;
        }
        fill();
      });
      sock.on("close", resolve);
      sock.on("error", resolve);
    });
  return Promise.all(Array.from({ length: sockets }, one)).then(() => ({ counts, elapsed: (performance.now() - t0) / 1000 }));
}

function cpuSeconds(pid) {
  try {
    const f = readFileSync(`/proc/${pid}/stat`, "latin1").split(") ")[1].split(" ");
    return (Number(f[11]) + Number(f[12])) / 100; // utime + stime, clock ticks
  } catch {
    return NaN;
  }
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
  let cpu0 = cpuSeconds(e.child.pid);
  const a = await run(e, SECONDS, CONNECTIONS);
  let cpu = cpuSeconds(e.child.pid) - cpu0;
  let ok = a.counts.get(200) ?? 0;
  console.log(
    `uncapped, node:http: ${(ok / a.elapsed).toFixed(0)} accepted sends/s over ${a.elapsed.toFixed(1)} s, ` +
      `${CONNECTIONS} keep-alive connections (${fmt(a.counts)}); emulator CPU ${((cpu / ok) * 1e6).toFixed(0)} µs/send`,
  );
  cpu0 = cpuSeconds(e.child.pid);
  const b = await runRaw(e, SECONDS, 8, 16);
  cpu = cpuSeconds(e.child.pid) - cpu0;
  ok = b.counts.get(200) ?? 0;
  console.log(
    `uncapped, raw pipelined: ${(ok / b.elapsed).toFixed(0)} accepted sends/s over ${b.elapsed.toFixed(1)} s, ` +
      `8 connections × 16 in flight (${fmt(b.counts)}); emulator CPU ${((cpu / ok) * 1e6).toFixed(0)} µs/send ` +
      `→ ${(ok / cpu).toFixed(0)} sends per emulator CPU-second`,
  );
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
