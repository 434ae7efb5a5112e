#!/usr/bin/env node
// The cost of reaping in two builds of weaktable, in one process, so that a busy host slows both
// alike (between processes the same build's figure moves by 30-45% here):
//   node --expose-gc bench/reap-ab.mjs [N] [ROUNDS] [A] [B]
// A and B are directories holding a built dist/ (default: this one for both, which loads one module
// and gives it two maps). The noise floor of a comparison is two copies of one build, e.g.
//   mkdir /tmp/copy && cp -r dist package.json /tmp/copy/ && node --expose-gc bench/reap-ab.mjs 1e5 40 . /tmp/copy
// To measure a change, build the old commit in a worktree, e.g.
//   git worktree add /tmp/old <rev> && ln -s "$PWD/node_modules" /tmp/old/ && (cd /tmp/old && npm run build)
//   node --expose-gc bench/reap-ab.mjs 1e5 40 /tmp/old .
//   node --expose-gc bench/reap-ab.mjs 1e5 40 . /tmp/old     (and the other way round: the build filled first gets the older heap)
// Each build gets a WeakValueMap of N entities under integer ids (N default 1e5). Each round, one
// build's world replaces 4% of its entities (the victims lose their last reference, new ones are
// set under new ids), a macrotask passes, then gc() runs and the clock measures from its return
// until the map's size is right again (the engine's cleanup job, the drain and the table's
// removals; gc() itself excluded). The builds take turns, the first of a round alternating.
// Prints each build's median over the rounds after the first four, and B's median over A's.
// With --split, it also times, per build, the store's reap (the batch's JavaScript side with the
// table's removals inside it) and the table's reap alone (the call into WebAssembly), by wrapping
// the two methods of that build's dist/; what is left of the settle time is the engine's cleanup
// job, the registry callbacks, the drain's decoding and the turns of the event loop.
import { pathToFileURL } from "node:url";
import { resolve } from "node:path";
import { gcFunction, macrotask, median, prng } from "./lib/util.mjs";

const split = process.argv.includes("--split");
const args = process.argv.slice(2).filter((a) => a !== "--split");
const size = Number(args[0] ?? 1e5);
const rounds = Number(args[1] ?? 40);
const dirs = [args[2] ?? ".", args[3] ?? "."];
const WARMUP = 4;
if (!(size >= 100) || !(rounds > WARMUP)) {
  console.error("usage: node --expose-gc bench/reap-ab.mjs [N >= 100] [ROUNDS > 4] [A] [B] [--split]");
  process.exit(2);
}
const gc = gcFunction();
const replaced = Math.round(size * 0.04);

/** @type {Array<{ WeakValueMap: new () => { set(k: number, v: object): unknown, size: number } }>} */
const libs = [];
for (const dir of dirs) libs.push(await import(pathToFileURL(resolve(dir, "dist/src/index.js")).href));
/** Per build: ms spent in the store's reap and in the table's reap since the last reset. */
const spent = dirs.map(() => ({ store: 0, table: 0 }));
if (split) {
  for (let b = 0; b < dirs.length; b++) {
    const url = (/** @type {string} */ file) => pathToFileURL(resolve(/** @type {string} */ (dirs[b]), "dist/src/core", file)).href;
    const { SlotStore } = await import(url("slot-store.js"));
    const { WasmTable } = await import(url("wasm-table.js"));
    const time = (/** @type {any} */ proto, /** @type {"store" | "table"} */ part) => {
      const inner = proto.reap;
      proto.reap = function (/** @type {unknown[]} */ ...xs) {
        const t0 = performance.now();
        try {
          return inner.apply(this, xs);
        } finally {
          /** @type {{ store: number, table: number }} */ (spent[b])[part] += performance.now() - t0;
        }
      };
    };
    time(SlotStore.prototype, "store");
    time(WasmTable.prototype, "table");
  }
}

const rng = prng(`reap-ab/${size}`);
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
    const j = rng.below(w.world.length);
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
/** @type {Array<Array<{ store: number, table: number }>>} */
const parts = [[], []];
for (let r = 0; r < rounds; r++) {
  for (const b of r % 2 === 0 ? [0, 1] : [1, 0]) {
    const w = /** @type {ReturnType<typeof fill>} */ (worlds[b]);
    churn(w);
    await macrotask();
    gc();
    const mine = /** @type {{ store: number, table: number }} */ (spent[b]);
    mine.store = mine.table = 0;
    const t0 = performance.now();
    for (let turns = 0; w.map.size !== w.world.length; turns++) {
      if (turns > 10_000) throw new Error(`reap-ab: build ${b === 0 ? "A" : "B"} never reached size ${w.world.length} (it has ${w.map.size})`);
      await macrotask();
    }
    if (r >= WARMUP) {
      /** @type {number[]} */ (times[b]).push(performance.now() - t0);
      /** @type {Array<{ store: number, table: number }>} */ (parts[b]).push({ ...mine });
    }
  }
}
const [settleA, settleB] = /** @type {number[]} */ (times.map(median));
console.log(`N=${size}, ${replaced} replaced per round, ${rounds - WARMUP} rounds: settle A ${settleA.toFixed(3)} ms, B ${settleB.toFixed(3)} ms, B/A ${(settleB / settleA).toFixed(3)} (A ${dirs[0]}, B ${dirs[1]})`);
if (split) {
  for (let i = 0; i < 2; i++) {
    const p = /** @type {Array<{ store: number, table: number }>} */ (parts[i]);
    const store = /** @type {number} */ (median(p.map((x) => x.store)));
    const table = /** @type {number} */ (median(p.map((x) => x.table)));
    const total = /** @type {number} */ (median(/** @type {number[]} */ (times[i])));
    console.log(`  ${i === 0 ? "A" : "B"}: the store's reap ${store.toFixed(3)} ms (the table's reap ${table.toFixed(3)} of it), the rest ${(total - store).toFixed(3)} ms (medians)`);
  }
}
