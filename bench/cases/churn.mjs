// churn: insert N new objects (new ids each round, in frames of 10 000 inserts with a macrotask
// between), drop them all (weak contenders: the objects lose their last strong reference; the
// strong Map deletes its entries), then collect until the size is right again (0). Repeated.
//   insert: ns per insert (insert loops only).
//   settle: ms from the first gc() until size() == 0, gc() time excluded.
//   gc:     ms inside gc() per round.
// Contenders without a self-correcting size (Map<K, WeakRef>, the floor) are collected once and
// not waited for; their dead entries stay (that is the leak they have).

import { gcFunction, insertInFrames, macrotask, median, now, pin, unpin, settle, WrongAnswer } from "../lib/util.mjs";

export const info = {
  name: "churn",
  description: "insert N objects, drop them, collect until size is right; repeated",
  sizes: { full: [1e5], quick: [1e4], smoke: [1e3] },
  metrics: [
    { key: "insert", short: "insert", label: "insert", unit: "ns/insert", ref: "map-weakref-fr" },
    { key: "settle", short: "settle", label: "settle after drop (excl. gc)", unit: "ms", ref: "map-weakref-fr" },
    { key: "gc", short: "gc()", label: "gc() per collection", unit: "ms", ref: "map-weakref-fr" },
    { key: "sizeOk", short: "size ok", label: "size == 0 after gc", unit: "bool", aggregate: "min" },
  ],
};

const PARAMS = {
  full: { rounds: 8, warmup: 2 },
  quick: { rounds: 4, warmup: 1 },
  smoke: { rounds: 2, warmup: 0 },
};

/**
 * @param {{ create(): any, info: { name: string, strong: boolean, exactSize: boolean } }} contender
 * @param {{ size: number, mode: "full" | "quick" | "smoke" }} options
 */
export async function run(contender, { size, mode }) {
  const { rounds, warmup } = PARAMS[mode];
  const { strong, exactSize } = contender.info;
  const gc = gcFunction();
  const map = pin(contender.create());
  const insertNs = [];
  const settleMs = [];
  const gcMs = [];
  let sizeOk = 1;
  let nextId = 1;
  let inserted = 0;
  for (let r = 0; r < warmup + rounds; r++) {
    /** @type {object[] | null} */
    let objects = new Array(size);
    for (let i = 0; i < size; i++) objects[i] = { id: nextId + i, v: i & 1023 };
    const ms = await insertInFrames(map, objects, nextId);
    inserted += size;
    if (exactSize && map.size() !== size) {
      throw new WrongAnswer(`churn: ${contender.info.name} has size ${map.size()} after inserting ${size} into an empty map`);
    }
    spotCheck(contender, map, objects, nextId);
    if (strong) deleteRange(map, nextId, size);
    objects = null;
    nextId += size;

    if (exactSize) {
      const s = await settle(map, 0, 12);
      if (!s.settled) sizeOk = 0;
      if (r >= warmup) {
        settleMs.push(s.ms - s.gcMs);
        gcMs.push(s.gcMs / s.rounds);
      }
    } else {
      await macrotask();
      const g0 = now();
      gc();
      const g1 = now();
      if (r >= warmup) gcMs.push(g1 - g0);
    }
    if (r >= warmup) insertNs.push((ms * 1e6) / size);
  }
  await macrotask();
  unpin(map);
  return {
    metrics: {
      insert: median(insertNs),
      settle: exactSize ? median(settleMs) : null,
      gc: median(gcMs),
      sizeOk: exactSize ? sizeOk : null,
    },
    samples: { insert: insertNs, settle: settleMs, gc: gcMs },
    check: { inserted, rounds: warmup + rounds },
    sizes: { expected: 0, actual: map.size(), exact: exactSize },
  };
}

/**
 * Checks every 97th answer. In its own function: a local of the async caller may survive an
 * `await` in a suspended frame's registers and keep the last object checked alive.
 */
function spotCheck(/** @type {any} */ contender, /** @type {any} */ map, /** @type {object[]} */ objects, /** @type {number} */ firstId) {
  for (let i = 0; i < objects.length; i += 97) {
    if (map.get(firstId + i) !== objects[i]) {
      throw new WrongAnswer(`churn: ${contender.info.name} returned a wrong object for id ${firstId + i}`);
    }
  }
}

function deleteRange(/** @type {any} */ map, /** @type {number} */ firstId, /** @type {number} */ count) {
  for (let i = 0; i < count; i++) map.delete(firstId + i);
}
