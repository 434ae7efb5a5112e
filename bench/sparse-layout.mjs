#!/usr/bin/env node
// What a lookup of a sparse number key costs in each layout: WeakValueMap, the hand-written
// Map<K, WeakRef> + FinalizationRegistry, and two plain-JavaScript models of a weak-value hash
// map, all in one process with their frames interleaved, so that a busy host slows them alike:
//   node --expose-gc bench/sparse-layout.mjs [N] [int|double] [KIND,...]   (`npm run build` first)
// N default 1e5; keys default int (the `sparse` case's generators: bench/cases/keys.mjs).
// KIND (default: all, in this order):
//   hand-written  the reference: a Map from key to WeakRef, a registration per value;
//   weaktable     WeakValueMap;
//   slots         WeakValueMap's layout in JavaScript, without its job cache or the call into
//                 WebAssembly: an index bucket holds a slot number, the key is compared in a
//                 Float64Array by slot, then the slot's WeakRef in an array by slot;
//   direct        open addressing over the WeakRefs themselves: the keys (a Float64Array) and the
//                 WeakRefs (an array) in bucket order, so the bucket found is where the WeakRef is.
// Each map gets N objects of its own under the same keys, each object registered once, then 40
// rounds of one frame of 10 000 random gets per map (a macrotask before each, the maps in a
// rotating order). Prints each map's median ns per get over the last 30 rounds and its median
// ratio to hand-written within a round. Every get is checked against its object.
import { WeakValueMap } from "../dist/src/index.js";
import { HandWritten } from "./contenders/map-weakref-fr.mjs";
import { KEYS } from "./cases/keys.mjs";
import { interleavedGets, median, prng } from "./lib/util.mjs";

const FRAME = 10_000;
const ROUNDS = 40;
const WARMUP = 10;

const bits = new Float64Array(1);
const halves = new Uint32Array(bits.buffer);
/** A 32-bit hash of a number key's bits (both models use it; keys here are never -0 or NaN). */
function hash(/** @type {number} */ key) {
  bits[0] = key;
  let h = Math.imul(halves[0] ^ Math.imul(halves[1], 0x9e3779b1), 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/** The smallest power of two at least twice `n`: both models keep the index at most half full. */
function bucketsFor(/** @type {number} */ n) {
  let b = 16;
  while (b < 2 * n) b *= 2;
  return b;
}

const notices = new FinalizationRegistry(() => {});

/** WeakValueMap's layout: bucket -> slot; key and WeakRef by slot. Insert only (no removal). */
class Slots {
  constructor(/** @type {number} */ n) {
    this.mask = bucketsFor(n) - 1;
    this.index = new Int32Array(this.mask + 1); // 0 empty, else slot + 1
    this.keys = new Float64Array(n);
    /** @type {WeakRef<object>[]} */
    this.refs = [];
  }
  set(/** @type {number} */ key, /** @type {object} */ value) {
    let b = hash(key) & this.mask;
    while (this.index[b] !== 0) b = (b + 1) & this.mask;
    const slot = this.refs.length;
    this.index[b] = slot + 1;
    this.keys[slot] = key;
    this.refs.push(new WeakRef(value));
    notices.register(value, slot);
  }
  get(/** @type {number} */ key) {
    for (let b = hash(key) & this.mask; ; b = (b + 1) & this.mask) {
      const e = this.index[b];
      if (e === 0) return undefined;
      if (this.keys[e - 1] === key) return this.refs[e - 1].deref();
    }
  }
}

/** Open addressing over the WeakRefs: key and WeakRef by bucket. Insert only (no removal). */
class Direct {
  constructor(/** @type {number} */ n) {
    this.mask = bucketsFor(n) - 1;
    this.keys = new Float64Array(this.mask + 1);
    /** @type {(WeakRef<object> | undefined)[]} */
    this.refs = new Array(this.mask + 1).fill(undefined);
  }
  set(/** @type {number} */ key, /** @type {object} */ value) {
    let b = hash(key) & this.mask;
    while (this.refs[b] !== undefined) b = (b + 1) & this.mask;
    this.keys[b] = key;
    this.refs[b] = new WeakRef(value);
    notices.register(value, b);
  }
  get(/** @type {number} */ key) {
    for (let b = hash(key) & this.mask; ; b = (b + 1) & this.mask) {
      const ref = this.refs[b];
      if (ref === undefined) return undefined;
      if (this.keys[b] === key) return ref.deref();
    }
  }
}

/** @type {Record<string, (n: number) => { set(key: number, value: object): unknown, get(key: number): unknown }>} */
const MAPS = {
  "hand-written": () => new HandWritten(),
  weaktable: () => new WeakValueMap(),
  slots: (n) => new Slots(n),
  direct: (n) => new Direct(n),
};

const size = Number(process.argv[2] ?? 1e5);
const keyKind = process.argv[3] ?? "int";
const names = (process.argv[4] ?? Object.keys(MAPS).join(",")).split(",");
if ((keyKind !== "int" && keyKind !== "double") || !names.includes("hand-written") || names.some((n) => !(n in MAPS))) {
  console.error(`usage: node --expose-gc bench/sparse-layout.mjs [N] [int|double] [KIND,...] (KINDs: ${Object.keys(MAPS).join(", ")}; hand-written among them)`);
  process.exit(2);
}

const rng = prng(`sparse-layout/${keyKind}/${size}`);
const { insert, lookup } = KEYS[keyKind](size, rng);
const { maps, nsPerGet: times } = await interleavedGets(
  names.map((name) => [name, () => MAPS[name](size)]),
  { insert, lookup, rng, frame: FRAME, rounds: ROUNDS },
);
const hw = names.indexOf("hand-written");
// The objects are read after the rounds, so they stay alive through every frame.
const live = maps.reduce((n, m) => n + m.objects.length, 0);
console.log(
  `${keyKind} N=${size}: ` +
    maps
      .map((m, j) => {
        const ratio = median(times[j].slice(WARMUP).map((t, r) => t / times[hw][WARMUP + r]));
        return `${m.name} ${median(times[j].slice(WARMUP)).toFixed(1)} ns (${ratio.toFixed(2)}x)`;
      })
      .join(", ") +
    ` (ratios: median within a round to hand-written; ${live} objects)`,
);
