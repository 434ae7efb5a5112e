// game frame: an entity store. N entities live in `world` (the only strong references) and in the
// contender under their ids. Each frame:
//   1. looks every entity up 8 times, in a fresh random order each pass (8N gets), and checks every
//      answer (timed: "get", ns per lookup, with the microtasks the lookups queued, which run
//      before the job ends: a job cache's clearing is part of what a frame of gets costs);
//   2. destroys 1% of the entities (they lose their last strong reference; the strong Map
//      contender has to delete them explicitly) and spawns as many new ones with new ids
//      (timed together: "spawn+destroy", ns per entity replaced; "spawn+destroy incl. reaping" adds
//      the settle time below, spread over the entities destroyed since the last collection);
// with a macrotask between frames and a forced collection every 4th frame, after which the
// contender must reach size == live count ("settle": ms from the gc() call until the size is
// right, gc() itself excluded; "gc": ms inside gc()). Contenders whose size never shrinks by
// itself (Map<K, WeakRef>, the floor) get the gc() but are not waited for. A contender that holds
// its `retain` most recently used values strongly as well (weaktable+retain, `map.retain`) keeps
// the destroyed entities among them: its size must reach exactly the live count plus those, which
// the case computes from the uses it made (`retainedDead`), a number in [live, live + retain].
// Random choices come from a seeded PRNG and are drawn outside the timed regions, so every
// contender performs exactly the same operations.

import { endOfJob, gcFunction, insertInFrames, macrotask, median, now, pin, unpin, prng, settle, shuffle, WrongAnswer } from "../lib/util.mjs";

export const info = {
  name: "game",
  description: "entity store: 8 random-order lookups per entity per frame, 1% spawned and destroyed per frame, gc() every 4 frames",
  sizes: { full: [1e4, 1e5], quick: [1e4, 1e5], smoke: [1e3] },
  metrics: [
    { key: "get", short: "get", label: "get", unit: "ns/get", ref: "map" },
    { key: "spawn", short: "spawn+destroy", label: "spawn+destroy", unit: "ns/entity", ref: "map-weakref-fr" },
    { key: "reaped", short: "incl. reaping", label: "spawn+destroy incl. reaping", unit: "ns/entity", ref: "map-weakref-fr" },
    { key: "settle", short: "settle", label: "settle after gc (excl. gc)", unit: "ms", ref: "map-weakref-fr" },
    { key: "gc", short: "gc()", label: "gc() per collection", unit: "ms", ref: "map-weakref-fr" },
    { key: "sizeOk", short: "size ok", label: "size == live after gc", unit: "bool", aggregate: "min" },
  ],
};

// Measured frames: enough for about `lookups` lookups, between minFrames and maxFrames. Warm-up
// frames (timed, then discarded) until about `warmupLookups` lookups have run, at least 6.
const PARAMS = {
  full: { lookups: 4e6, minFrames: 20, maxFrames: 40, warmupLookups: 1.5e6, gcEvery: 4 },
  quick: { lookups: 1e6, minFrames: 8, maxFrames: 12, warmupLookups: 5e5, gcEvery: 4 },
  smoke: { lookups: 0, minFrames: 4, maxFrames: 4, warmupLookups: 0, gcEvery: 2 },
};

const PASSES = 8;

/**
 * @param {{ create(options?: { entries: number }): any, info: { name: string, strong: boolean, exactSize: boolean } }} contender
 * @param {{ size: number, mode: "full" | "quick" | "smoke" }} options
 */
export async function run(contender, { size, mode }) {
  const { lookups: wanted, minFrames, maxFrames, warmupLookups, gcEvery } = PARAMS[mode];
  const frames = Math.max(minFrames, Math.min(maxFrames, Math.ceil(wanted / (PASSES * size))));
  const warmup = mode === "smoke" ? 0 : Math.max(6, Math.ceil(warmupLookups / (PASSES * size)));
  const { strong, exactSize } = contender.info;
  const rng = prng(`game/${size}`);
  const churn = Math.max(1, Math.round(size / 100));
  const gc = gcFunction();

  let nextId = 1;
  /** @type {Array<{ id: number, v: number, x: number, y: number }>} */
  const world = pin([]);
  for (let i = 0; i < size; i++) world.push(entity(nextId++, rng));
  const map = pin(contender.create({ entries: size }));
  /** Values the contender holds strongly besides its weak references (0 but for weaktable+retain). */
  const retain = map.retain ?? 0;
  await insertInFrames(map, world, 1);

  const order = new Int32Array(PASSES * size);
  const getNs = [];
  const spawnNs = [];
  const settleMs = [];
  const gcMs = [];
  let sizeOk = 1;
  /** Destroyed entities among the `retain` most recently used: held by the contender, not collectable. */
  let heldDead = 0;
  let lookups = 0;
  let checksum = 0;
  for (let f = 0; f < warmup + frames; f++) {
    await macrotask();
    // Untimed preparation: the lookup order, the victims and the new entities.
    let expected = 0;
    for (let p = 0; p < PASSES; p++) {
      const pass = order.subarray(p * size, (p + 1) * size);
      for (let i = 0; i < size; i++) pass[i] = world[i].id;
      shuffle(pass, rng);
    }
    for (let i = 0; i < size; i++) expected += world[i].v;
    expected *= PASSES;
    const victims = new Int32Array(churn);
    for (let k = 0; k < churn; k++) victims[k] = rng.below(size - k);
    const spawned = new Array(churn);
    for (let k = 0; k < churn; k++) spawned[k] = entity(nextId + k, rng);
    nextId += churn;

    const t0 = now();
    const got = lookupAll(map, order);
    await endOfJob(); // counted: the work a contender left for the end of the frame's job
    const t1 = now();
    if (got !== expected) {
      const detail = got < 0 ? `lookup #${-1 - got} returned a wrong object or undefined` : `sum ${got}, expected ${expected}`;
      throw new WrongAnswer(`game: ${contender.info.name} gave a wrong answer in frame ${f}: ${detail}`);
    }
    const victimIds = retain > 0 ? victimIdsOf(world, victims) : null;
    const t2 = now();
    destroyAndSpawn(map, world, victims, spawned, strong);
    const t3 = now();
    if (victimIds !== null) heldDead = retainedDead(order, churn, victimIds, retain);
    spawned.fill(undefined);
    lookups += order.length;
    checksum = (checksum + expected) % 4294967296;
    if (f >= warmup) {
      getNs.push(((t1 - t0) * 1e6) / order.length);
      spawnNs.push(((t3 - t2) * 1e6) / churn);
    }

    if ((f + 1) % gcEvery === 0) {
      if (exactSize) {
        const s = await settle(map, world.length + heldDead);
        if (!s.settled) sizeOk = 0;
        if (f >= warmup) {
          settleMs.push(s.ms - s.gcMs);
          gcMs.push(s.gcMs / s.rounds);
        }
      } else {
        await macrotask();
        const g0 = now();
        gc();
        const g1 = now();
        if (f >= warmup) gcMs.push(g1 - g0);
      }
    }
  }

  // Final answer: after a full collection, the size of every exact contender is the live count.
  let finalSize = null;
  if (exactSize) {
    const s = await settle(map, world.length + heldDead);
    if (!s.settled) sizeOk = 0;
    finalSize = map.size();
  } else {
    await macrotask();
    gc();
    await macrotask();
    finalSize = map.size();
  }

  unpin(world, map);
  return {
    metrics: {
      get: median(getNs),
      spawn: median(spawnNs),
      // The settle time of a collection is the reaping of the entities destroyed since the last one.
      reaped: exactSize ? median(spawnNs) + (median(settleMs) * 1e6) / (churn * gcEvery) : null,
      settle: exactSize ? median(settleMs) : null,
      gc: median(gcMs),
      sizeOk: exactSize ? sizeOk : null,
    },
    samples: { get: getNs, spawn: spawnNs, settle: settleMs, gc: gcMs },
    check: { lookups, checksum, live: world.length, spawned: nextId - 1 },
    sizes: { expected: world.length + heldDead, actual: finalSize, exact: exactSize },
    ...(retain > 0 ? { extra: { retain, retainedDead: heldDead } } : {}),
  };
}

/** The ids of the entities `destroyAndSpawn` will destroy (its swap-removes replayed on the side). */
function victimIdsOf(/** @type {Array<{ id: number }>} */ world, /** @type {Int32Array} */ victims) {
  /** @type {Map<number, number>} */
  const moved = new Map(); // index -> id, where a swap-remove put another entity
  const idAt = (/** @type {number} */ i) => moved.get(i) ?? world[i].id;
  const ids = new Int32Array(victims.length);
  for (let k = 0; k < victims.length; k++) {
    const j = victims[k];
    ids[k] = idAt(j);
    moved.set(j, idAt(world.length - 1 - k));
  }
  return ids;
}

/**
 * How many of this frame's victims are among the `retain` most recently used distinct ids: the
 * spawned entities (set last, all new ids), then the frame's lookups from the last backwards. The
 * frame looked every live entity up (more than `retain` distinct ids), so entities destroyed in
 * earlier frames are never among them.
 */
function retainedDead(/** @type {Int32Array} */ order, /** @type {number} */ spawned, /** @type {Int32Array} */ victimIds, /** @type {number} */ retain) {
  const left = retain - spawned;
  if (left <= 0) return 0;
  const victims = new Set(victimIds);
  const seen = new Set();
  let dead = 0;
  for (let i = order.length - 1; i >= 0 && seen.size < left; i--) {
    const id = order[i];
    if (seen.has(id)) continue;
    seen.add(id);
    if (victims.has(id)) dead++;
  }
  return dead;
}

function entity(/** @type {number} */ id, /** @type {ReturnType<typeof prng>} */ rng) {
  return { id, v: rng.below(1024), x: 0, y: 0 };
}

/** The timed lookups: sum of `v`, or a negative number at the first wrong answer. */
function lookupAll(/** @type {any} */ map, /** @type {Int32Array} */ order) {
  let sum = 0;
  for (let i = 0; i < order.length; i++) {
    const id = order[i];
    const e = map.get(id);
    if (e === undefined || e.id !== id) return -1 - i;
    sum += e.v;
  }
  return sum;
}

/** The timed churn: swap-remove each victim from `world` (delete it too from a strong map), add the new ones. */
function destroyAndSpawn(
  /** @type {any} */ map,
  /** @type {Array<{ id: number }>} */ world,
  /** @type {Int32Array} */ victims,
  /** @type {Array<{ id: number }>} */ spawned,
  /** @type {boolean} */ strong,
) {
  for (let k = 0; k < victims.length; k++) {
    const j = victims[k];
    const victim = world[j];
    world[j] = world[world.length - 1];
    world.pop();
    if (strong) map.delete(victim.id);
  }
  for (let k = 0; k < spawned.length; k++) {
    const e = spawned[k];
    world.push(e);
    map.set(e.id, e);
  }
}
