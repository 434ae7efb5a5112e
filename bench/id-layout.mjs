#!/usr/bin/env node
// What each part of IdRegistry's lookup layout costs: plain-JavaScript models of `get(id)`, each
// with objects of its own and the same per-object collection notice, all in one process with
// their frames interleaved, so that a busy host slows them alike (measured apart, one model per
// process, the same model's median moved by 2-3x between processes on this machine):
//   node --expose-gc bench/id-layout.mjs [N] [KIND,...]      (N default 1e6; `npm run build` first)
// KIND (default: all):
//   refs       the deref floor: an array of WeakRefs indexed by a dense id (checks nothing);
//   pairs      the same WeakRefs in IdRegistry's slot array: two elements a slot, the WeakRef and
//              the job-cache column beside it (the cache stays empty here), indexed by a dense id;
//   record     the floor indexed by slot, after checking the id against the slot's id record (a
//              Float64Array, as IdRegistry keeps it): ids are `slot * 2^28 + generation + 1`;
//   both       the slot array and the id record: the layout IdRegistry has;
//   column     the slot array with the slot's generation kept in the cache column while nothing
//              is cached, so the check reads the line the WeakRef is on (an alternative layout);
//   weaktable  IdRegistry itself.
// Each model gets N objects, then 60 rounds: one frame of 10 000 random live ids per model (a
// macrotask before each, the models in a rotating order). Prints each model's median ns per get
// over the last 45 rounds and its median ratio to `refs` within a round. Every get is checked.
import { IdRegistry } from "../dist/src/index.js";
import { interleavedRounds, median, prng } from "./lib/util.mjs";

const FRAME = 10_000;
const FRAMES = 60;
const WARMUP = 15;
const SPAN = 2 ** 28;
const GENERATION = 5;

/** @type {Record<string, (objects: object[]) => { ids: Float64Array, get: (id: number) => any }>} */
const MODELS = {
  refs: (objects) => {
    const refs = objects.map((o) => new WeakRef(o));
    return { ids: Float64Array.from(objects, (_, i) => i), get: (id) => refs[id]?.deref() };
  },
  pairs: (objects) => {
    const pairs = objects.flatMap((o) => [new WeakRef(o), undefined]);
    return {
      ids: Float64Array.from(objects, (_, i) => i),
      get: (id) => {
        const cached = pairs[2 * id + 1];
        return cached !== undefined ? cached : pairs[2 * id]?.deref();
      },
    };
  },
  record: (objects) => {
    const refs = objects.map((o) => new WeakRef(o));
    const records = Float64Array.from(objects, (_, slot) => slot * SPAN + GENERATION + 1);
    return {
      ids: records.slice(),
      get: (id) => {
        const slot = Math.floor((id - 1) / SPAN);
        return records[slot] === id ? refs[slot].deref() : undefined;
      },
    };
  },
  both: (objects) => {
    const pairs = objects.flatMap((o) => [new WeakRef(o), undefined]);
    const records = Float64Array.from(objects, (_, slot) => slot * SPAN + GENERATION + 1);
    return {
      ids: records.slice(),
      get: (id) => {
        const slot = Math.floor((id - 1) / SPAN);
        if (records[slot] !== id) return undefined;
        const cached = pairs[2 * slot + 1];
        return cached !== undefined ? cached : pairs[2 * slot].deref();
      },
    };
  },
  column: (objects) => {
    const pairs = objects.flatMap((o) => [new WeakRef(o), GENERATION]);
    const records = Float64Array.from(objects, (_, slot) => slot * SPAN + GENERATION + 1);
    return {
      ids: records.slice(),
      get: (id) => {
        const slot = Math.floor((id - 1) / SPAN);
        const column = pairs[2 * slot + 1];
        if (column === id - 1 - slot * SPAN) return pairs[2 * slot].deref();
        // A cached referent sits in the column: the record decides.
        return typeof column === "object" && records[slot] === id ? column : undefined;
      },
    };
  },
  weaktable: (objects) => {
    const registry = new IdRegistry();
    return { ids: Float64Array.from(objects, (o) => registry.remember(o)), get: (id) => registry.get(id) };
  },
};

const size = Number(process.argv[2] ?? 1e6);
const kinds = (process.argv[3] ?? Object.keys(MODELS).join(",")).split(",");
for (const kind of kinds) {
  if (!MODELS[kind]) {
    console.error(`usage: node --expose-gc bench/id-layout.mjs [N] [${Object.keys(MODELS).join(",")}]`);
    process.exit(2);
  }
}

const rng = prng(`id-layout/${size}`);
// Every model pays for a collection notice per object, as any id registry must (IdRegistry registers its own).
const notices = new FinalizationRegistry(() => {});
const models = kinds.map((kind) => {
  /** @type {Array<{ v: number }>} */
  const objects = Array.from({ length: size }, () => ({ v: rng.below(1024) }));
  if (kind !== "weaktable") objects.forEach((o, i) => notices.register(o, i));
  return { kind, objects, ...MODELS[kind](objects) };
});
const order = Int32Array.from({ length: FRAME * FRAMES }, () => rng.below(size));

/** Sum of `v` over one frame's gets, or -1 at the first wrong answer. */
function frame(/** @type {(typeof models)[number]} */ model, /** @type {number} */ start, /** @type {number} */ end) {
  const { ids, get, objects } = model;
  let total = 0;
  for (let i = start; i < end; i++) {
    const k = order[i];
    const o = get(ids[k]);
    if (o !== objects[k]) return -1;
    total += o.v;
  }
  return total;
}

const ms = await interleavedRounds(models.length, FRAMES, (m, r) => {
  if (frame(models[m], r * FRAME, (r + 1) * FRAME) < 0) throw new Error(`${models[m].kind}: a get returned the wrong object`);
});
/** ns per get, by model, by round */
const times = ms.map((frames) => frames.map((t) => (t * 1e6) / FRAME));
const base = kinds.indexOf("refs");
console.log(`N=${size}, ${FRAMES - WARMUP} rounds (median ns per get; median ratio to refs within a round)`);
for (let m = 0; m < models.length; m++) {
  const kept = times[m].slice(WARMUP);
  const ratio = base < 0 ? "" : `  ${median(kept.map((t, r) => t / times[base][WARMUP + r])).toFixed(2)}x refs`;
  console.log(`  ${models[m].kind.padEnd(10)} ${median(kept).toFixed(1).padStart(7)} ns${ratio}`);
}
