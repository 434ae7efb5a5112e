#!/usr/bin/env node
// IdRegistry.get against the deref floor and against what any id registry must also hold, one
// contender per process (so none inherits another's heap layout), the registry case's loop:
//   node --expose-gc bench/id-floor.mjs KIND [N]      (N default 1e6; `npm run build` first)
//   for r in 1 2 3 4; do for k in floor notices weaktable; do node --expose-gc bench/id-floor.mjs $k; done; done
// KIND:
//   floor      an array of WeakRefs indexed by the id (the registry case's floor: checks nothing);
//   notices    the floor plus, per object, a FinalizationRegistry registration (the collection
//              notice) and an object-to-id WeakMap entry (what `remember` needs to return the same
//              id): the same lookups, with the heap a real registry has around them;
//   weaktable  IdRegistry.
// N objects are remembered in frames of 10 000; then 80 frames of 10 000 random live ids, a
// macrotask before each (the end-of-job microtasks timed with the frame); prints the median ns per
// get over the last 60 frames. Every get is checked against the object remembered under its id.
import * as floor from "./contenders/floor.mjs";
import * as weaktable from "./contenders/weaktable.mjs";
import { RegistryAdapter } from "./contenders/adapters.mjs";
import { endOfJob, gcFunction, inFrames, macrotask, median, now, prng } from "./lib/util.mjs";

const kind = process.argv[2] ?? "weaktable";
const size = Number(process.argv[3] ?? 1e6);
const FRAME = 10_000;
const FRAMES = 80;
const WARMUP = 20;

/** The floor with a registry's other per-object state around it; lookups as the floor's. */
class NoticedFloor {
  refs = [undefined];
  idOfs = new WeakMap();
  notices = new FinalizationRegistry(() => {});
  /** @param {object} o */
  remember(o) {
    const id = this.refs.push(new WeakRef(o)) - 1;
    this.notices.register(o, id);
    this.idOfs.set(o, id);
    return id;
  }
  /** @param {number} id */
  get(id) {
    return this.refs[id]?.deref();
  }
  /** @param {object} o */
  idOf(o) {
    return this.idOfs.get(o);
  }
  forget() {
    return false;
  }
  get size() {
    return null;
  }
}

// Each through the adapter the bench's registry case uses, so all three pay the same call.
const kinds = {
  floor: () => floor.make.registry(),
  notices: () => new RegistryAdapter(new NoticedFloor()),
  weaktable: () => weaktable.make.registry(),
};
if (!(kind in kinds)) throw new Error(`id-floor: unknown kind ${kind} (floor, notices, weaktable)`);
const gc = gcFunction();

const registry = kinds[kind]();
const rng = prng(`registry/${size}`);
const values = new Array(size);
for (let i = 0; i < size; i++) values[i] = { k: i, v: rng.below(1024) };
const ids = new Float64Array(size);
await inFrames(size, (start, end) => {
  for (let i = start; i < end; i++) ids[i] = registry.remember(values[i]);
});

const picks = new Int32Array(FRAMES * FRAME);
for (let i = 0; i < picks.length; i++) picks[i] = rng.below(size);
const gets = Float64Array.from(picks, (i) => ids[i]);

/** Sum of `v` over the frame's gets, or -1 at the first wrong answer. */
function getRange(start, end) {
  let sum = 0;
  for (let i = start; i < end; i++) {
    const o = registry.get(gets[i]);
    if (o === undefined || o.k !== picks[i]) return -1;
    sum += o.v;
  }
  return sum;
}

gc();
await macrotask();
const ns = [];
for (let f = 0; f < FRAMES; f++) {
  await macrotask();
  const t0 = now();
  const got = getRange(f * FRAME, (f + 1) * FRAME);
  await endOfJob(); // counted: the frame's end-of-job microtasks (weaktable clears its job cache there)
  const t1 = now();
  if (got < 0) throw new Error(`id-floor: ${kind} gave a wrong object in frame ${f}`);
  if (f >= WARMUP) ns.push(((t1 - t0) * 1e6) / FRAME);
}
console.log(`${kind} N=${size}: ${median(ns).toFixed(1)} ns/get (median of ${ns.length} frames)`);
