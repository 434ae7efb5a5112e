#!/usr/bin/env node
// Profiles one measurement and prints the functions with the most self time:
//   node bench/profile.mjs CASE CONTENDER SIZE [MODE] [--top N]
// e.g. `node bench/profile.mjs game weaktable 1e4`. Runs bench/worker.mjs under
// `node --expose-gc --cpu-prof` (the .cpuprofile lands in the system temp directory; open it in
// Chrome DevTools for the full picture) and sums self time per function from its samples. The
// whole process is profiled: setup, untimed preparation and gc() included.

import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { distWasmNames } from "./lib/wasm-names.mjs";

const args = process.argv.slice(2);
const topIndex = args.indexOf("--top");
const top = topIndex >= 0 ? Number(args.splice(topIndex, 2)[1]) : 25;
const [caseName, contender, size, mode = "full"] = args;
if (!caseName || !contender || !size) {
  console.error("usage: node bench/profile.mjs CASE CONTENDER SIZE [full|quick|smoke] [--top N]");
  process.exit(2);
}
const dir = mkdtempSync(join(tmpdir(), "weaktable-prof-"));
const worker = fileURLToPath(new URL("./worker.mjs", import.meta.url));
const root = fileURLToPath(new URL("..", import.meta.url));
const run = spawnSync(process.execPath, ["--expose-gc", "--cpu-prof", "--cpu-prof-dir", dir, worker, caseName, contender, String(Number(size)), mode], {
  stdio: ["ignore", "pipe", "inherit"],
});
if (run.status !== 0) process.exit(run.status ?? 1);
const file = readdirSync(dir).find((f) => f.endsWith(".cpuprofile"));
if (!file) throw new Error("no .cpuprofile written");
const profile = JSON.parse(readFileSync(join(dir, file), "utf8"));
const wasmNames = await distWasmNames();

/** @type {Map<number, any>} */
const nodes = new Map(profile.nodes.map((/** @type {any} */ n) => [n.id, n]));
/** @type {Map<string, number>} */
const self = new Map();
const deltas = profile.timeDeltas;
let total = 0;
for (let i = 0; i < profile.samples.length; i++) {
  const node = nodes.get(profile.samples[i]);
  const dt = deltas[i] ?? 0;
  total += dt;
  const f = node.callFrame;
  const url = String(f.url ?? "");
  const where = url ? `${url.startsWith("file:") ? relative(root, fileURLToPath(url)) : url}:${f.lineNumber + 1}` : "";
  const wasm = /^wasm-function\[(\d+)\]$/.exec(f.functionName ?? "");
  const fn = wasm ? `${f.functionName} ${wasmNames.get(Number(wasm[1])) ?? "(internal: not exported)"}` : f.functionName;
  const key = `${fn || "(anonymous)"}${where ? `  ${where}` : ""}`;
  self.set(key, (self.get(key) ?? 0) + dt);
}
const rows = [...self].sort((a, b) => b[1] - a[1]).slice(0, top);
console.log(`${caseName} ${contender} N=${size} (${mode}): ${(total / 1000).toFixed(0)} ms sampled; profile: ${join(dir, file)}`);
console.log("self ms    self %  function");
for (const [name, us] of rows) {
  console.log(`${(us / 1000).toFixed(1).padStart(8)} ${((us / total) * 100).toFixed(1).padStart(8)}%  ${name}`);
}
