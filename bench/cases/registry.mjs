// registry: IdRegistry's id2obj loop. Matrix: key kind = the ids the registry hands out (its own:
// remember() returns them) x distribution = random distinct ids, uniform over the live ones x
// size N = 1e3, 1e5, 1e6 (quick: 1e3, 1e5).
// N objects are remembered (fresh objects, frames of 10 000: "remember", ns each); then random
// gets of live ids:
//   frames: 10 000 gets per frame, a macrotask between frames (per event, per request, per
//           animation frame). ns per get, median over frames. Reference: the deref floor.
//   sync:   the very same gets in one synchronous loop: every deref() adds its target to the
//           engine's kept-objects set until the job ends, so at large N this mostly measures that
//           set. Reported separately for that reason.
// Then every object is remembered again ("remember again": objects already registered, which must
// return the id they have; the floor has no object-to-id map and does not take part).
// Every get is checked (the object must be the one remembered under that id) and each frame's sum
// must match the sum computed from the plain array. CPython (bench/python/id2obj.py) runs the same
// loop on a WeakValueDictionary keyed by id(obj), with the same PRNG, so its answers are compared too.

import { gcFunction, inFrames, macrotask, median, now, pin, prng, quiesce, sum, unpin, WrongAnswer } from "../lib/util.mjs";

export const info = {
  name: "registry",
  description: "IdRegistry: remember N objects, random gets of live ids in frames of 10 000 and in one sync batch, remember again",
  kinds: ["registry"],
  sizes: { full: [1e3, 1e5, 1e6], quick: [1e3, 1e5], smoke: [1e3] },
  /** Repetitions at most, per size (keeps the full run near its budget). */
  reps: { 1e6: 3 },
  metrics: [
    { key: "frames", short: "get, frames", label: "get, frames of 10k", unit: "ns/get", ref: "floor" },
    { key: "sync", short: "get, sync", label: "get, one sync batch", unit: "ns/get", ref: "floor" },
    { key: "remember", short: "remember", label: "remember (fresh objects)", unit: "ns/op", ref: "map-weakref-fr" },
    { key: "again", short: "remember again", label: "remember again (already registered)", unit: "ns/op", ref: "map-weakref-fr" },
  ],
};

/** Shared with bench/python/id2obj.py, which must draw the same numbers. */
export const PARAMS = {
  full: { frame: 10_000, frames: 60, warmup: 20, batches: 3 },
  quick: { frame: 10_000, frames: 20, warmup: 10, batches: 2 },
  smoke: { frame: 500, frames: 3, warmup: 1, batches: 1 },
};

/**
 * @param {{ make: { registry(): any }, info: { name: string } }} contender
 * @param {{ size: number, mode: "full" | "quick" | "smoke" }} options
 */
export async function run(contender, { size, mode }) {
  const { frame, frames, warmup } = PARAMS[mode];
  const batches = size >= 1e6 ? Math.min(2, PARAMS[mode].batches) : PARAMS[mode].batches;
  const rng = prng(`registry/${size}`);
  const values = pin(new Array(size));
  for (let i = 0; i < size; i++) values[i] = { k: i, v: rng.below(1024) };
  const reg = pin(contender.make.registry());
  const ids = new Float64Array(size);
  const rememberMs = await inFrames(size, (s, e) => rememberRange(reg, values, ids, s, e));

  const total = warmup + frames;
  const idx = new Int32Array(total * frame);
  for (let i = 0; i < idx.length; i++) idx[i] = rng.below(size);
  const gets = new Float64Array(idx.length);
  for (let i = 0; i < idx.length; i++) gets[i] = ids[idx[i]];
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
    const got = getRange(reg, gets, idx, f * frame, (f + 1) * frame);
    const t1 = now();
    if (got !== expected[f]) throw wrong(contender, got, expected[f], `frame ${f}`);
    if (f >= warmup) frameNs.push(((t1 - t0) * 1e6) / frame);
  }

  const gc = gcFunction();
  const syncNs = [];
  for (let b = 0; b < batches; b++) {
    await macrotask();
    gc();
    await macrotask();
    const t0 = now();
    const got = getRange(reg, gets, idx, 0, gets.length);
    const t1 = now();
    if (got !== expectedAll) throw wrong(contender, got, expectedAll, `sync batch ${b}`);
    syncNs.push(((t1 - t0) * 1e6) / gets.length);
  }

  // Remember again: only for contenders with an object-to-id map.
  let againNs = null;
  if (reg.idOf(values[0]) !== undefined) {
    let bad = -1;
    const ms = await inFrames(size, (s, e) => {
      const b = rememberAgain(reg, values, ids, s, e);
      if (b >= 0 && bad < 0) bad = b;
    });
    if (bad >= 0) throw new WrongAnswer(`registry: ${contender.info.name} gave object #${bad} a new id when remembered again`);
    againNs = (sum(ms) * 1e6) / size;
  }

  const size1 = reg.size();
  unpin(values, reg);
  return {
    metrics: { frames: median(frameNs), sync: median(syncNs), remember: (sum(rememberMs) * 1e6) / size, again: againNs },
    samples: { frames: frameNs, sync: syncNs, remember: rememberMs.map((ms) => (ms * 1e6) / frame) },
    check: { gets: gets.length, sum: expectedAll, size: size1 ?? size },
  };
}

function rememberRange(/** @type {any} */ reg, /** @type {object[]} */ values, /** @type {Float64Array} */ ids, /** @type {number} */ start, /** @type {number} */ end) {
  for (let i = start; i < end; i++) ids[i] = reg.remember(values[i]);
}

/** Remembers values again; the index of the first one whose id changed, or -1. */
function rememberAgain(/** @type {any} */ reg, /** @type {object[]} */ values, /** @type {Float64Array} */ ids, /** @type {number} */ start, /** @type {number} */ end) {
  let bad = -1;
  for (let i = start; i < end; i++) if (reg.remember(values[i]) !== ids[i] && bad < 0) bad = i;
  return bad;
}

/** The timed loop: sum of `v` over the gets, or a negative number at the first wrong answer. */
function getRange(/** @type {any} */ reg, /** @type {Float64Array} */ gets, /** @type {Int32Array} */ idx, /** @type {number} */ start, /** @type {number} */ end) {
  let s = 0;
  for (let i = start; i < end; i++) {
    const o = reg.get(gets[i]);
    if (o === undefined || o.k !== idx[i]) return -1 - i;
    s += o.v;
  }
  return s;
}

function wrong(/** @type {any} */ contender, /** @type {number} */ got, /** @type {number} */ expected, /** @type {string} */ where) {
  const detail = got < 0 ? `get #${-1 - got} returned a wrong object or undefined` : `sum ${got}, expected ${expected}`;
  return new WrongAnswer(`registry: ${contender.info.name} gave a wrong answer in ${where}: ${detail}`);
}
