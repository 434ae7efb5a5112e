#!/usr/bin/env node
// Runs the suites that depend on the real garbage collector many times in a row, to catch flaky
// tests: a test that passes 19 times and fails once is a bug (in the test or in weaktable).
//
//   node scripts/test-repeat.mjs                 20 runs of the real-GC suites
//   node scripts/test-repeat.mjs --runs 50       more runs
//   node scripts/test-repeat.mjs --with-stress   also test/stress (about 40 s a run)
//   node scripts/test-repeat.mjs test/refs       other paths instead of the default ones
//
// Each run is `vitest run <paths>` in a fresh process. It stops at the first failing run and prints
// that run's whole output (with the fast-check seed of the real-collector model test, replayable
// with FC_SEED=<seed>); the last line is "<N> passed, <N> failed" for the runs.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const DEFAULT_PATHS = ["test/gc", "test/seeds", "test/model/real-gc.model.test.ts", "test/faults"];

let runs = 20;
let withStress = false;
const paths = [];
const args = process.argv.slice(2);
for (let i = 0; i < args.length; i++) {
  const arg = args[i];
  if (arg === "--runs") runs = Number(args[++i]);
  else if (arg.startsWith("--runs=")) runs = Number(arg.slice("--runs=".length));
  else if (arg === "--with-stress") withStress = true;
  else if (arg === "--help" || arg === "-h") {
    console.log("usage: node scripts/test-repeat.mjs [--runs N] [--with-stress] [vitest paths...]");
    process.exit(0);
  } else paths.push(arg);
}
if (!Number.isInteger(runs) || runs < 1) {
  console.error(`test-repeat: --runs must be a positive integer (got ${runs})`);
  process.exit(2);
}
if (paths.length === 0) paths.push(...DEFAULT_PATHS);
if (withStress) paths.push("test/stress");
for (const path of paths) {
  if (!existsSync(join(root, path))) {
    console.error(`test-repeat: no such test path: ${path}`);
    process.exit(2);
  }
}

const vitest = join(root, "node_modules", "vitest", "vitest.mjs");
if (!existsSync(vitest)) {
  console.error("test-repeat: vitest is not installed (run npm install)");
  process.exit(2);
}

console.log(`test-repeat: ${runs} runs of vitest run ${paths.join(" ")}`);
let passed = 0;
let failed = 0;
const started = Date.now();
for (let run = 1; run <= runs; run++) {
  const t0 = Date.now();
  const result = spawnSync(process.execPath, [vitest, "run", ...paths], {
    cwd: root,
    encoding: "utf8",
    env: { ...process.env, FORCE_COLOR: "0", NO_COLOR: "1" },
    maxBuffer: 64 * 1024 * 1024,
  });
  const seconds = ((Date.now() - t0) / 1000).toFixed(1);
  // eslint-disable-next-line no-control-regex
  const output = `${result.stdout ?? ""}${result.stderr ?? ""}`.replace(/\u001b\[[0-9;]*m/g, "");
  const tests = /Tests\s+(.*)/.exec(output)?.[1]?.trim() ?? "no summary";
  if (result.status === 0) {
    passed++;
    console.log(`run ${run}/${runs}: passed in ${seconds} s (${tests})`);
  } else {
    failed++;
    console.log(`run ${run}/${runs}: FAILED in ${seconds} s (${tests}; exit ${result.status ?? result.signal})`);
    console.log(output);
    break;
  }
}
console.log(`test-repeat: ${((Date.now() - started) / 1000).toFixed(0)} s in all`);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
