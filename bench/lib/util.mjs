// Small helpers shared by the cases: a seeded PRNG, macrotask yields, forced collection, medians.
// Plain ESM so that `node bench/run.mjs` needs no build step (see bench/README.md).

import { performance } from "node:perf_hooks";

/** Milliseconds, sub-microsecond resolution. */
export const now = () => performance.now();

/**
 * A seeded 32-bit PRNG (sfc32, seeded from a string with a FNV-1a mix), so that every contender
 * performs exactly the same operations in the same order.
 * @param {string} seed
 */
export function prng(seed) {
  let h = 0x811c9dc5;
  for (let i = 0; i < seed.length; i++) h = Math.imul(h ^ seed.charCodeAt(i), 0x01000193);
  let a = h >>> 0;
  let b = (h ^ 0x9e3779b9) >>> 0;
  let c = (h ^ 0x7f4a7c15) >>> 0;
  let d = 1;
  const next = () => {
    const t = (((a + b) | 0) + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) | 0;
    return t >>> 0;
  };
  for (let i = 0; i < 16; i++) next();
  return {
    /** A uint32. */
    next,
    /** An integer in [0, n). */
    below: (/** @type {number} */ n) => Math.floor((next() / 4294967296) * n),
  };
}

/** In-place Fisher-Yates shuffle of `array[0..length)`. */
export function shuffle(/** @type {Int32Array} */ array, /** @type {ReturnType<typeof prng>} */ rng) {
  for (let i = array.length - 1; i > 0; i--) {
    const j = rng.below(i + 1);
    const t = array[i];
    array[i] = array[j];
    array[j] = t;
  }
  return array;
}

/**
 * Ends the current job: the engine releases every object that `deref()` or `new WeakRef()` added
 * to its kept-objects set, and pending FinalizationRegistry cleanup may run.
 * @returns {Promise<void>}
 */
export const macrotask = () => new Promise((resolve) => setImmediate(resolve));

/**
 * Runs the microtasks queued so far, still inside the current job: timed after a frame, it counts
 * what a contender leaves for the end of the job (weaktable clears its per-job cache there),
 * which the frame's synchronous loop alone would not.
 * @returns {Promise<void>}
 */
export async function endOfJob() {
  await null; // queued after every microtask the frame queued, so it resumes once they ran
}

/** `globalThis.gc`, or a clear error: the benchmark needs `node --expose-gc`. */
export function gcFunction() {
  const gc = /** @type {{ gc?: () => void }} */ (globalThis).gc;
  if (typeof gc !== "function") throw new Error("bench: run node with --expose-gc (bench/run.mjs does this for its children)");
  return gc;
}

/** Ends the job, then forces full collections: the heap is quiet and measurable afterwards. */
export async function quiesce(times = 2) {
  const gc = gcFunction();
  for (let i = 0; i < times; i++) {
    await macrotask();
    gc();
  }
  await macrotask();
}

/** @param {number[]} values */
export function median(values) {
  const xs = values.filter((x) => typeof x === "number" && Number.isFinite(x)).sort((p, q) => p - q);
  if (xs.length === 0) return null;
  const mid = xs.length >> 1;
  return xs.length % 2 ? xs[mid] : (xs[mid - 1] + xs[mid]) / 2;
}

/**
 * A wrong answer from a contender: the worker exits with code 3 for it, so that the orchestrator
 * can tell a wrong answer (always fatal) from a crash or a timeout.
 */
export class WrongAnswer extends Error {
  name = "WrongAnswer";
}

/**
 * Runs `body(start, end)` over [0, count) in frames of `frame` items with a macrotask before each
 * frame (the job boundary that empties the kept-objects set). Returns each frame's ms (the body
 * only, not the gaps); `body` should call a separate hot function so that it is optimised once.
 * @param {number} count
 * @param {(start: number, end: number) => void} body
 */
export async function inFrames(count, body, frame = 10_000) {
  /** @type {number[]} */
  const ms = [];
  for (let start = 0; start < count; start += frame) {
    await macrotask();
    const end = Math.min(count, start + frame);
    const t0 = now();
    body(start, end);
    ms.push(now() - t0);
  }
  return ms;
}

/**
 * Interleaved rounds, for contenders that share one process: in each of `rounds` rounds, one frame
 * per contender (a macrotask before each, the contenders in an order that rotates by one each
 * round, so none always runs right after another), timing `body(contender, round)`. Returns the
 * ms of each frame, by contender, by round.
 * @param {number} contenders
 * @param {number} rounds
 * @param {(contender: number, round: number) => void} body
 */
export async function interleavedRounds(contenders, rounds, body) {
  /** @type {number[][]} */
  const ms = Array.from({ length: contenders }, () => []);
  for (let r = 0; r < rounds; r++) {
    for (let j = 0; j < contenders; j++) {
      const c = (r + j) % contenders;
      await macrotask();
      const t0 = now();
      body(c, r);
      ms[c].push(now() - t0);
    }
  }
  return ms;
}

/**
 * Keyed maps measured side by side in one process (bench/keys-interleaved.mjs,
 * bench/sparse-layout.mjs): each map gets `insert.length` objects of its own, `{ v }` with v drawn
 * from `rng`, inserted under `insert[i]` in frames; then `rounds` interleaved rounds of one frame
 * of `frame` gets per map, of random entries (the same for every map), each get checked against
 * its object (a wrong one throws) and its field read. Returns the ns per get by map by round, the
 * sum of the fields read, and the maps with their objects, which the caller reads after the rounds
 * so that every object stays alive through them.
 * @template {{ set(key: any, value: object): unknown, get(key: any): unknown }} M
 * @param {Array<[string, () => M]>} makers name and constructor of each map, in building order
 * @param {{ insert: ArrayLike<unknown>, lookup: ArrayLike<unknown>, rng: ReturnType<typeof prng>, frame?: number, rounds?: number }} options
 *   `lookup[i]` is `insert[i]` or a key equal to it that the get uses
 */
export async function interleavedGets(makers, { insert, lookup, rng, frame = 10_000, rounds = 40 }) {
  const size = insert.length;
  /** @type {Array<{ name: string, map: M, objects: Array<{ v: number }> }>} */
  const maps = [];
  for (const [name, make] of makers) {
    const map = make();
    const objects = Array.from({ length: size }, () => ({ v: rng.below(1024) }));
    await inFrames(size, (start, end) => {
      for (let i = start; i < end; i++) map.set(insert[i], objects[i]);
    }, frame);
    maps.push({ name, map, objects });
  }
  const order = Int32Array.from({ length: frame * rounds }, () => rng.below(size));
  // Each get reads its object's field, as a caller would: the object's cache miss is part of a get.
  let checksum = 0;
  const ms = await interleavedRounds(maps.length, rounds, (m, r) => {
    const { name, map, objects } = maps[m];
    for (let i = r * frame, end = (r + 1) * frame; i < end; i++) {
      const k = order[i];
      const o = /** @type {{ v: number } | undefined} */ (map.get(lookup[k]));
      if (o !== objects[k]) throw new Error(`${name}: a get returned the wrong object`);
      checksum += o.v;
    }
  });
  return { maps, checksum, nsPerGet: ms.map((frames) => frames.map((t) => (t * 1e6) / frame)) };
}

/** @param {number[]} xs */
export const sum = (xs) => xs.reduce((a, b) => a + b, 0);

/** Heap bytes in use (V8 heap, after the caller forced a collection). */
export const heapUsed = () => process.memoryUsage().heapUsed;

/**
 * Inserts `values[i]` under `firstKey + i` in frames of `frame` inserts with a macrotask between,
 * so that `new WeakRef()`'s kept-objects set never holds more than one frame. Returns the ms spent
 * in the insert loops only (the macrotask gaps are not counted).
 * @param {{ set(k: number, v: object): void }} map
 * @param {object[]} values
 */
export async function insertInFrames(map, values, firstKey = 1, frame = 10_000) {
  let spent = 0;
  for (let start = 0; start < values.length; start += frame) {
    await macrotask();
    const end = Math.min(values.length, start + frame);
    const t0 = now();
    insertRange(map, values, firstKey, start, end);
    spent += now() - t0;
  }
  return spent;
}

/** The hot loop of insertInFrames, in its own function so that it is optimised once for all frames. */
function insertRange(
  /** @type {{ set(k: number, v: object): void }} */ map,
  /** @type {object[]} */ values,
  /** @type {number} */ firstKey,
  /** @type {number} */ start,
  /** @type {number} */ end,
) {
  for (let i = start; i < end; i++) map.set(firstKey + i, values[i]);
}

/**
 * Waits until `map.size()` equals `expected`: ends the job, forces a collection, yields until the
 * FinalizationRegistry notices have been delivered (and the contender's `flush()` has run), and
 * repeats with another collection every few yields. Returns the wall time until the size was
 * right (gc() included) and the time spent inside gc() alone, or `settled: false` after `maxRounds`
 * collections (a contender whose size never shrinks by itself).
 * @param {{ size(): number | null, flush?(): void }} map
 * @param {number} expected
 */
export async function settle(map, expected, maxRounds = 8) {
  const gc = gcFunction();
  const t0 = now();
  let gcMs = 0;
  for (let round = 1; round <= maxRounds; round++) {
    await macrotask();
    const g0 = now();
    gc();
    gcMs += now() - g0;
    for (let spin = 0; spin < 8; spin++) {
      await macrotask();
      map.flush?.();
      if (map.size() === expected) return { settled: true, ms: now() - t0, gcMs, rounds: round };
    }
  }
  return { settled: false, ms: now() - t0, gcMs, rounds: maxRounds };
}

/** Objects the current case must keep strongly reachable until it ends (robust against liveness analysis). */
const pinned = new Set();
/** @template T @param {T} value @returns {T} */
export function pin(value) {
  pinned.add(value);
  return value;
}
/** @param {unknown[]} values */
export function unpin(...values) {
  for (const value of values) pinned.delete(value);
}
export function unpinAll() {
  pinned.clear();
}
