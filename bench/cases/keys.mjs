// WeakValueMap.get with keys that are not dense ids: the shared body of the `sparse` and `strings`
// cases. Matrix: key kind x distribution x size N = 1e5, 1e6 (quick: 1e5):
//   sparse:  random safe integers (uniform over +-(2^53 - 1), sign included), and random doubles
//            (non-integers spread over many magnitudes): two maps, one after the other.
//   strings: file names `img/123_ab12.png` (the entry's number, 4 random hex digits). Lookups use
//            equal strings built separately (other string objects than the inserted keys), as a
//            program looking up a name it just read would.
// Distribution: random gets of live keys, uniform. Each map is filled with N fresh objects (in
// frames of 10 000: "set", ns per insert), then the gets run in frames of 10 000 with a macrotask
// between ("get, frames", the number the targets judge) and in one synchronous batch ("get, sync":
// the kept-objects trap, see bench/README.md). Every get is checked, and each frame's sum must
// match. The floor takes no part: it needs dense integer keys.

import { gcFunction, inFrames, macrotask, median, now, pin, prng, quiesce, sum, unpin, WrongAnswer } from "../lib/util.mjs";

const PARAMS = {
  full: { frame: 10_000, frames: 40, warmup: 10, batches: 2 },
  quick: { frame: 10_000, frames: 20, warmup: 10, batches: 1 },
  smoke: { frame: 500, frames: 3, warmup: 1, batches: 1 },
};

/** Key generators: `insert[i]` is the key of entry i, `lookup[i]` an equal key (maybe another object). */
export const KEYS = {
  /** Random safe integers, distinct. */
  int: (/** @type {number} */ n, /** @type {ReturnType<typeof prng>} */ rng) => {
    const seen = new Set();
    const keys = new Array(n);
    for (let i = 0; i < n; i++) {
      let k;
      do {
        const hi = rng.next() & 0x1fffff;
        k = hi * 4294967296 + rng.next();
        if (rng.next() & 1) k = -k;
      } while (seen.has(k) || k === 0);
      seen.add(k);
      keys[i] = k;
    }
    return { insert: keys, lookup: keys };
  },
  /** Random non-integer doubles over many magnitudes, distinct. */
  double: (/** @type {number} */ n, /** @type {ReturnType<typeof prng>} */ rng) => {
    const seen = new Set();
    const keys = new Array(n);
    for (let i = 0; i < n; i++) {
      let k;
      do {
        const mantissa = 1 + (rng.next() + rng.next() / 4294967296) / 4294967296;
        k = mantissa * 2 ** (rng.below(60) - 20);
        if (rng.next() & 1) k = -k;
      } while (seen.has(k) || Number.isInteger(k));
      seen.add(k);
      keys[i] = k;
    }
    return { insert: keys, lookup: keys };
  },
  /** `img/123_ab12.png`; the lookup keys are equal strings built separately. */
  string: (/** @type {number} */ n, /** @type {ReturnType<typeof prng>} */ rng) => {
    const insert = new Array(n);
    const lookup = new Array(n);
    for (let i = 0; i < n; i++) {
      const hex = (0x10000 + (rng.next() & 0xffff)).toString(16).slice(1);
      insert[i] = `img/${i}_${hex}.png`;
      lookup[i] = ["img/", String(i), "_", hex, ".png"].join("");
    }
    return { insert, lookup };
  },
};

/**
 * @param {string} name
 * @param {string} description
 * @param {Array<{ kind: keyof typeof KEYS, label: string, prefix: string }>} kinds
 */
export function makeKeysCase(name, description, kinds) {
  const info = {
    name,
    description,
    kinds: ["map"],
    exclude: ["floor"],
    sizes: { full: [1e5, 1e6], quick: [1e5], smoke: [1e3] },
    /** Repetitions at most, per size (keeps the full run near its budget). */
    reps: { 1e5: 3, 1e6: 2 },
    metrics: kinds.flatMap(({ label, prefix }) => [
      { key: `${prefix}get`, short: `get ${label}`, label: `get (${label} keys), frames of 10k`, unit: "ns/get", ref: "map-weakref-fr" },
      { key: `${prefix}sync`, short: `get ${label}, sync`, label: `get (${label} keys), one sync batch`, unit: "ns/get", ref: "map-weakref-fr" },
      { key: `${prefix}set`, short: `set ${label}`, label: `set (${label} keys, fresh values)`, unit: "ns/op", ref: "map-weakref-fr" },
    ]),
  };

  /**
   * @param {{ make: { map(): any }, info: { name: string } }} contender
   * @param {{ size: number, mode: "full" | "quick" | "smoke" }} options
   */
  async function run(contender, { size, mode }) {
    /** @type {Record<string, number | null>} */
    const metrics = {};
    /** @type {Record<string, number[]>} */
    const samples = {};
    /** @type {Record<string, number>} */
    const check = {};
    for (const { kind, prefix } of kinds) {
      const r = await measure(contender, kind, size, mode);
      metrics[`${prefix}get`] = r.get;
      metrics[`${prefix}sync`] = r.sync;
      metrics[`${prefix}set`] = r.set;
      samples[`${prefix}get`] = r.frameNs;
      check[`${prefix}gets`] = r.gets;
      check[`${prefix}sum`] = r.sum;
      check[`${prefix}size`] = r.size;
      await quiesce();
    }
    return { metrics, samples, check };
  }
  return { info, run };
}

async function measure(/** @type {any} */ contender, /** @type {keyof typeof KEYS} */ kind, /** @type {number} */ size, /** @type {"full" | "quick" | "smoke"} */ mode) {
  const { frame, frames, warmup, batches } = PARAMS[mode];
  const rng = prng(`keys/${kind}/${size}`);
  const { insert, lookup } = KEYS[kind](size, rng);
  const values = pin(new Array(size));
  for (let i = 0; i < size; i++) values[i] = { k: i, v: rng.below(1024) };
  const map = pin(contender.make.map());
  const setMs = await inFrames(size, (s, e) => setRange(map, insert, values, s, e));

  const total = warmup + frames;
  const idx = new Int32Array(total * frame);
  for (let i = 0; i < idx.length; i++) idx[i] = rng.below(size);
  const gets = new Array(idx.length);
  for (let i = 0; i < idx.length; i++) gets[i] = lookup[idx[i]];
  const expected = new Float64Array(total);
  for (let f = 0; f < total; f++) {
    let s = 0;
    for (let i = f * frame; i < (f + 1) * frame; i++) s += values[idx[i]].v;
    expected[f] = s;
  }
  const expectedAll = sum([...expected]);

  await quiesce();
  const frameNs = [];
  for (let f = 0; f < total; f++) {
    await macrotask();
    const t0 = now();
    const got = getRange(map, gets, idx, f * frame, (f + 1) * frame);
    const t1 = now();
    if (got !== expected[f]) throw wrong(contender, kind, got, expected[f], `frame ${f}`);
    if (f >= warmup) frameNs.push(((t1 - t0) * 1e6) / frame);
  }
  const gc = gcFunction();
  const syncNs = [];
  for (let b = 0; b < batches; b++) {
    await macrotask();
    gc();
    await macrotask();
    const t0 = now();
    const got = getRange(map, gets, idx, 0, gets.length);
    const t1 = now();
    if (got !== expectedAll) throw wrong(contender, kind, got, expectedAll, `sync batch ${b}`);
    syncNs.push(((t1 - t0) * 1e6) / gets.length);
  }
  const size1 = map.size();
  unpin(values, map);
  return {
    get: median(frameNs), sync: median(syncNs), set: (sum(setMs) * 1e6) / size, frameNs,
    gets: gets.length, sum: expectedAll, size: size1 ?? size,
  };
}

function setRange(/** @type {any} */ map, /** @type {unknown[]} */ keys, /** @type {object[]} */ values, /** @type {number} */ start, /** @type {number} */ end) {
  for (let i = start; i < end; i++) map.set(keys[i], values[i]);
}

/** The timed loop: sum of `v` over the gets, or a negative number at the first wrong answer. */
function getRange(/** @type {any} */ map, /** @type {unknown[]} */ gets, /** @type {Int32Array} */ idx, /** @type {number} */ start, /** @type {number} */ end) {
  let s = 0;
  for (let i = start; i < end; i++) {
    const o = map.get(gets[i]);
    if (o === undefined || o.k !== idx[i]) return -1 - i;
    s += o.v;
  }
  return s;
}

function wrong(/** @type {any} */ contender, /** @type {string} */ kind, /** @type {number} */ got, /** @type {number} */ expected, /** @type {string} */ where) {
  const detail = got < 0 ? `get #${-1 - got} returned a wrong object or undefined` : `sum ${got}, expected ${expected}`;
  return new WrongAnswer(`keys: ${contender.info.name} gave a wrong answer (${kind} keys) in ${where}: ${detail}`);
}
