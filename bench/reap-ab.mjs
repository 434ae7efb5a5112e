#!/usr/bin/env node
// The cost of reaping in two builds of weaktable, in one process, so that a busy host slows both
// alike (between processes the same build's figure moves by 30-45% here):
//   node --expose-gc bench/reap-ab.mjs [N] [ROUNDS] [A] [B]
// A and B are checkouts holding a built dist/ (default: this one for both, which measures how far
// two copies of one build differ: the noise floor of the comparison). To measure a change, build
// the old commit in a worktree, e.g.
//   git worktree add /tmp/old <rev> && ln -s "$PWD/node_modules" /tmp/old/ && (cd /tmp/old && npm run build)
//   node --expose-gc bench/reap-ab.mjs 1e5 40 /tmp/old .
//   node --expose-gc bench/reap-ab.mjs 1e5 40 . /tmp/old     (and the other way round: the build filled first gets the older heap)
// Each build gets a WeakValueMap of N entities under integer ids (N default 1e5). Each round, one
// build's world replaces 4% of its entities (the victims lose their last reference, new ones are
// set under new ids), a macrotask passes, then gc() runs and the clock measures from its return
// until the map's size is right again (the engine's cleanup job, the drain and the table's
// removals; gc() itself excluded). The builds take turns, the first of a round alternating.
// Prints each build's median over the rounds after the first four, and B's median over A's.
import { pathToFileURL } from "node:url";
import { resolve } from "node:path";

const size = Number(process.argv[2] ?? 1e5);
const rounds = Number(process.argv[3] ?? 40);
const dirs = [process.argv[4] ?? ".", process.argv[5] ?? "."];
const WARMUP = 4;
if (!(size >= 100) || !(rounds > WARMUP) || typeof globalThis.gc !== "function") {
  console.error("usage: node --expose-gc bench/reap-ab.mjs [N >= 100] [ROUNDS > 4] [A] [B]");
  process.exit(2);
}
const gc = /** @type {() => void} */ (globalThis.gc);
const replaced = Math.round(size * 0.04);

/** @type {Array<{ WeakValueMap: new () => { set(k: number, v: object): unknown, size: number } }>} */
const libs = [];
for (const dir of dirs) libs.push(await import(pathToFileURL(resolve(dir, "dist/src/index.js")).href));

const macrotask = () => new Promise((done) => setImmediate(done));
let seed = 0x9e3779b9;
const below = (/** @type {number} */ n) => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) % n;
let nextId = 1;

// Filled and churned in functions of their own: a suspended module body keeps its locals alive,
// and the last entity made in it would never die.
function fill(/** @type {typeof libs[number]} */ lib) {
  const map = new lib.WeakValueMap();
  /** @type {Array<{ id: number }>} */
  const world = [];
  for (let i = 0; i < size; i++) {
    const e = { id: nextId++ };
    world.push(e);
    map.set(e.id, e);
  }
  return { map, world };
}

function churn(/** @type {ReturnType<typeof fill>} */ w) {
  for (let k = 0; k < replaced; k++) {
    const j = below(w.world.length);
    w.world[j] = /** @type {{ id: number }} */ (w.world[w.world.length - 1]);
    w.world.pop();
  }
  for (let k = 0; k < replaced; k++) {
    const e = { id: nextId++ };
    w.world.push(e);
    w.map.set(e.id, e);
  }
}

const worlds = libs.map(fill);
await macrotask();
gc();
await macrotask();
/** @type {number[][]} */
const times = [[], []];
for (let r = 0; r < rounds; r++) {
  for (const b of r % 2 === 0 ? [0, 1] : [1, 0]) {
    const w = /** @type {ReturnType<typeof fill>} */ (worlds[b]);
    churn(w);
    await macrotask();
    gc();
    const t0 = performance.now();
    for (let turns = 0; w.map.size !== w.world.length; turns++) {
      if (turns > 10_000) throw new Error(`reap-ab: build ${b === 0 ? "A" : "B"} never reached size ${w.world.length} (it has ${w.map.size})`);
      await macrotask();
    }
    if (r >= WARMUP) /** @type {number[]} */ (times[b]).push(performance.now() - t0);
  }
}
const median = (/** @type {number[]} */ xs) => [...xs].sort((x, y) => x - y)[xs.length >> 1] ?? NaN;
const [a, b] = times.map(median);
console.log(`N=${size}, ${replaced} replaced per round, ${rounds - WARMUP} rounds: settle A ${a.toFixed(3)} ms, B ${b.toFixed(3)} ms, B/A ${(b / a).toFixed(3)} (A ${dirs[0]}, B ${dirs[1]})`);
