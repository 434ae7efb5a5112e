#!/usr/bin/env node
// What the `retain` tier (src/containers/retain-tier.ts) costs per use on its own, beside the two
// floors below it, in one process, CPU time, rounds interleaved:
//   node bench/retain-tier.mjs [SLOTS] [RETAIN]     (default 1e5 slots, retain 1e4)
// Each loop makes the same 1e6 uses of slots drawn uniformly (so nine in ten evict at 10%) and
// reads a field of each value, as a get's caller would:
//   base    the read alone;
//   hold    one strong reference written per use into a ring of RETAIN (no index: what holding
//           anything costs; it cannot find or release a value, so it is not a tier);
//   index   hold + a slot -> position index kept exact (a FIFO: the index write and the eviction's
//           index clear, which any tier that can tell whether a slot is held pays);
//   tier    RetainTier.use, the exact LRU (dist/, so `npm run build` first).
// Numbers are ns per use over `base`'s loop; the loops run in this process only, not through a map.
import { RetainTier } from "../dist/src/containers/retain-tier.js";

const slots = Number(process.argv[2] ?? 1e5);
const retain = Number(process.argv[3] ?? 1e4);
const USES = 1e6;
const values = Array.from({ length: slots }, (_, i) => ({ i }));
const ids = new Int32Array(USES);
let seed = 1;
for (let i = 0; i < USES; i++) ids[i] = (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) % slots;

function base() {
  let sum = 0;
  for (let i = 0; i < USES; i++) sum += values[ids[i]].i;
  return sum;
}

const ring = new Array(retain).fill(undefined);
let head = 0;
function hold() {
  let sum = 0;
  for (let i = 0; i < USES; i++) {
    const value = values[ids[i]];
    ring[head] = value;
    head = head + 1 === retain ? 0 : head + 1;
    sum += value.i;
  }
  return sum;
}

const at = new Int32Array(slots); // position + 1, or 0
const slotAt = new Int32Array(retain).fill(-1);
let next = 0;
function index() {
  let sum = 0;
  for (let i = 0; i < USES; i++) {
    const slot = ids[i];
    const value = values[slot];
    const p = at[slot] - 1;
    if (p >= 0) ring[p] = value;
    else {
      const old = slotAt[next];
      if (old >= 0) at[old] = 0;
      slotAt[next] = slot;
      at[slot] = next + 1;
      ring[next] = value;
      next = next + 1 === retain ? 0 : next + 1;
    }
    sum += value.i;
  }
  return sum;
}

const tierOf = new RetainTier(retain);
function tier() {
  let sum = 0;
  for (let i = 0; i < USES; i++) {
    const slot = ids[i];
    sum += tierOf.use(slot, values[slot]).i;
  }
  return sum;
}

const loops = { base, hold, index, tier };
const ns = Object.fromEntries(Object.keys(loops).map((name) => [name, []]));
for (let round = 0; round < 12; round++) {
  for (const [name, loop] of Object.entries(loops)) {
    const t0 = process.cpuUsage();
    loop();
    const t = process.cpuUsage(t0);
    if (round >= 2) ns[name].push(((t.user + t.system) * 1000) / USES);
  }
}
const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
const b = median(ns.base);
console.log(
  `slots ${slots}, retain ${retain}: base ${b.toFixed(1)} ns/use; over base: ` +
    ["hold", "index", "tier"].map((name) => `${name} +${(median(ns[name]) - b).toFixed(1)} ns`).join(", "),
);
