// id2obj: N objects remembered under ids 1..N; random gets of live ids.
//   frames: 10 000 gets per frame, a macrotask between frames (how an app does lookups: per event,
//           per request, per animation frame). ns per get, median over frames, with the
//           microtasks the frame queued (end-of-job work, such as a job cache's clearing) timed in.
//   sync:   the very same gets in one synchronous loop. Every deref() adds its target to the
//           engine's kept-objects set until the job ends, so at large N this mostly measures the
//           growth of that set, for every weak contender alike. Reported separately for that reason.
// Every get is checked (the object's id must be the key) and the frame's sum must match the sum
// computed from the plain array; a wrong answer aborts the run. Nothing is dropped here, so
// weaktable+retain (which holds the 10% most recently used values strongly as well) has the same
// size as every other contender: the case measures only what its tier costs a get.

import { endOfJob, gcFunction, insertInFrames, macrotask, now, pin, unpin, prng, quiesce, median, WrongAnswer } from "../lib/util.mjs";

export const info = {
  name: "id2obj",
  description: "random gets of live ids: in frames of 10 000 gets with a macrotask between, and in one synchronous batch",
  sizes: { full: [1e3, 1e5, 1e6], quick: [1e3, 1e5], smoke: [1e3] },
  /** Repetitions at most, per size (keeps the full run near its budget). */
  reps: { 1e6: 3 },
  metrics: [
    { key: "frames", short: "get, frames", label: "get, frames of 10k", unit: "ns/get", ref: "floor" },
    { key: "sync", short: "get, sync batch", label: "get, one sync batch", unit: "ns/get", ref: "floor" },
  ],
};

const PARAMS = {
  full: { frame: 10_000, frames: 60, warmup: 20, batches: 3 },
  quick: { frame: 10_000, frames: 20, warmup: 10, batches: 2 },
  smoke: { frame: 500, frames: 3, warmup: 1, batches: 1 },
};

/**
 * @param {{ create(options?: { entries: number }): any, info: { exactSize: boolean } }} contender
 * @param {{ size: number, mode: "full" | "quick" | "smoke" }} options
 */
export async function run(contender, { size, mode }) {
  const { frame, frames, warmup } = PARAMS[mode];
  // At 1e6 a sync batch costs seconds (a deref there is a cache miss plus a kept-set insert): two do.
  const batches = size >= 1e6 ? Math.min(2, PARAMS[mode].batches) : PARAMS[mode].batches;
  const rng = prng(`id2obj/${size}`);
  const values = pin(new Array(size));
  for (let i = 0; i < size; i++) values[i] = { id: i + 1, v: rng.below(1024) };
  const map = pin(contender.create({ entries: size }));
  await insertInFrames(map, values, 1);

  const total = warmup + frames;
  const ids = new Int32Array(total * frame);
  for (let i = 0; i < ids.length; i++) ids[i] = 1 + rng.below(size);
  const expected = new Float64Array(total);
  for (let f = 0; f < total; f++) {
    let sum = 0;
    for (let i = f * frame; i < (f + 1) * frame; i++) sum += values[ids[i] - 1].v;
    expected[f] = sum;
  }
  const expectedAll = expected.reduce((a, b) => a + b, 0);

  await quiesce();
  const frameNs = [];
  for (let f = 0; f < total; f++) {
    await macrotask();
    const t0 = now();
    const got = getRange(map, ids, f * frame, (f + 1) * frame);
    await endOfJob(); // counted: the work a contender left for the end of the frame's job
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
    const got = getRange(map, ids, 0, ids.length);
    await endOfJob();
    const t1 = now();
    if (got !== expectedAll) throw wrong(contender, got, expectedAll, `sync batch ${b}`);
    syncNs.push(((t1 - t0) * 1e6) / ids.length);
  }

  unpin(values, map);
  return {
    metrics: { frames: median(frameNs), sync: median(syncNs) },
    samples: { frames: frameNs, sync: syncNs },
    check: { gets: ids.length, sum: expectedAll, size: map.size() ?? size, live: values.length },
  };
}

/** The timed loop: sum of `v` over the gets, or a negative number at the first wrong answer. */
function getRange(/** @type {any} */ map, /** @type {Int32Array} */ ids, /** @type {number} */ start, /** @type {number} */ end) {
  let sum = 0;
  for (let i = start; i < end; i++) {
    const id = ids[i];
    const o = map.get(id);
    if (o === undefined || o.id !== id) return -1 - i;
    sum += o.v;
  }
  return sum;
}

function wrong(/** @type {any} */ contender, /** @type {number} */ got, /** @type {number} */ expected, /** @type {string} */ where) {
  const detail = got < 0 ? `get #${-1 - got} returned a wrong object or undefined` : `sum ${got}, expected ${expected}`;
  return new WrongAnswer(`id2obj: ${contender.info.name} gave a wrong answer in ${where}: ${detail}`);
}
