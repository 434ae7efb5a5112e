// The iterable weak containers, IterableWeakSet (`set`) and IterableWeakMap (`weakmap`), against
// the TC39 proposal's hand-written patterns and the strong Set/Map: the shared body of the `set`
// and `weakmap` cases. Matrix: elements (keys) = N fresh objects x order (insertion order for the
// inserts and the iteration, uniform random for the lookups) x N = 1e5 (smoke: 1e3). Each round:
//   add / set:    insert the N objects (frames of 10 000, macrotask between), ns per insert;
//   again:        insert the same N objects again (already present: the set keeps them, the map
//                 overwrites the value), ns per insert;
//   get / has:    N lookups in random order, frames of 10 000, ns per lookup; every answer checked;
//   iterate:      one full for..of over the container per frame (3 frames), ns per element; the
//                 sum of the elements' `v` is checked;
//   settle:       half the objects lose their last strong reference (the strong contender deletes
//                 them), then ms from the gc() until size == N/2 (gc() excluded), and the
//                 iteration after it must see exactly the survivors;
// with a fresh container each round. Medians over the rounds after the warm-up round. The floor
// (contenders/floor.mjs: a bare WeakMap for lookups, a walk over WeakRefs for iteration) has no
// exact size: its size checks and settle are skipped, and after one forced collection its
// iteration must still see exactly the survivors.

import { gcFunction, inFrames, macrotask, median, now, pin, prng, settle, shuffle, sum, unpin, WrongAnswer } from "../lib/util.mjs";

const PARAMS = {
  full: { rounds: 5, warmup: 1, iterations: 3 },
  quick: { rounds: 2, warmup: 1, iterations: 3 },
  smoke: { rounds: 1, warmup: 0, iterations: 1 },
};

/** Per kind: the operations the rounds time (each hot loop in its own function). */
const KINDS = {
  set: {
    noun: "IterableWeakSet",
    insert: "add",
    lookup: "has",
    insertRange(/** @type {any} */ s, /** @type {any[]} */ objects, /** @type {number} */ start, /** @type {number} */ end) {
      for (let i = start; i < end; i++) s.add(objects[i]);
    },
    againRange(/** @type {any} */ s, /** @type {any[]} */ objects, /** @type {number} */ start, /** @type {number} */ end) {
      for (let i = start; i < end; i++) s.add(objects[i]);
    },
    /** Sum of `v` over the objects found, or -1 - i at the first miss. */
    lookupRange(/** @type {any} */ s, /** @type {any[]} */ objects, /** @type {Int32Array} */ order, /** @type {number} */ start, /** @type {number} */ end) {
      let total = 0;
      for (let i = start; i < end; i++) {
        const o = objects[order[i]];
        if (!s.has(o)) return -1 - i;
        total += o.v;
      }
      return total;
    },
    remove(/** @type {any} */ s, /** @type {any} */ o) {
      s.delete(o);
    },
  },
  weakmap: {
    noun: "IterableWeakMap",
    insert: "set",
    lookup: "get",
    insertRange(/** @type {any} */ m, /** @type {any[]} */ objects, /** @type {number} */ start, /** @type {number} */ end) {
      for (let i = start; i < end; i++) m.set(objects[i], { w: objects[i].v });
    },
    againRange(/** @type {any} */ m, /** @type {any[]} */ objects, /** @type {number} */ start, /** @type {number} */ end) {
      for (let i = start; i < end; i++) m.set(objects[i], { w: objects[i].v });
    },
    lookupRange(/** @type {any} */ m, /** @type {any[]} */ objects, /** @type {Int32Array} */ order, /** @type {number} */ start, /** @type {number} */ end) {
      let total = 0;
      for (let i = start; i < end; i++) {
        const value = m.get(objects[order[i]]);
        if (value === undefined) return -1 - i;
        total += value.w;
      }
      return total;
    },
    remove(/** @type {any} */ m, /** @type {any} */ o) {
      m.delete(o);
    },
  },
};

/** @param {"set" | "weakmap"} kind */
export function makeIterableCase(kind) {
  const k = KINDS[kind];
  const info = {
    name: kind,
    description: `${k.noun}: ${k.insert} N fresh objects, ${k.insert} them again, ${k.lookup} in random order, iterate, collect half`,
    kinds: [kind],
    sizes: { full: [1e5], quick: [1e5], smoke: [1e3] },
    metrics: [
      { key: "insert", short: k.insert, label: `${k.insert} (fresh objects)`, unit: "ns/op", ref: "map-weakref-fr" },
      { key: "again", short: `${k.insert} again`, label: `${k.insert} again (already present)`, unit: "ns/op", ref: "map-weakref-fr" },
      { key: "lookup", short: k.lookup, label: `${k.lookup}, random order, frames of 10k`, unit: "ns/op", ref: "map-weakref-fr" },
      { key: "iterate", short: "iterate", label: "iterate (for..of), per element", unit: "ns/elem", ref: "map-weakref-fr" },
      { key: "settle", short: "settle", label: "settle after half collected (excl. gc)", unit: "ms", ref: "map-weakref-fr" },
      { key: "sizeOk", short: "size ok", label: "size == live after gc", unit: "bool", aggregate: "min" },
    ],
  };

  /**
   * @param {{ make: Record<string, () => any>, info: { name: string, strong: boolean } }} contender
   * @param {{ size: number, mode: "full" | "quick" | "smoke" }} options
   */
  async function run(contender, { size, mode }) {
    const { rounds, warmup, iterations } = PARAMS[mode];
    const rng = prng(`${kind}/${size}`);
    const insertNs = [];
    const againNs = [];
    const lookupNs = [];
    const iterateNs = [];
    const settleMs = [];
    let sizeOk = 1;
    let checksum = 0;
    for (let r = 0; r < warmup + rounds; r++) {
      /** @type {Array<{ k: number, v: number } | null>} */
      const objects = pin(new Array(size));
      for (let i = 0; i < size; i++) objects[i] = { k: i, v: rng.below(1024) };
      const order = shuffle(Int32Array.from({ length: size }, (_, i) => i), rng);
      const expected = sumV(objects);
      const c = pin(contender.make[kind]());

      const ins = sum(await inFrames(size, (s, e) => k.insertRange(c, objects, s, e)));
      const again = sum(await inFrames(size, (s, e) => k.againRange(c, objects, s, e)));
      if (contender.info.exactSize && c.size() !== size) throw new WrongAnswer(`${kind}: ${contender.info.name} has size ${c.size()} after inserting ${size} objects twice`);
      let found = 0;
      let bad = -1;
      const look = sum(await inFrames(size, (s, e) => {
        const got = k.lookupRange(c, objects, order, s, e);
        if (got < 0 && bad < 0) bad = -1 - got;
        else found += got;
      }));
      if (bad >= 0) throw new WrongAnswer(`${kind}: ${contender.info.name} did not find object ${order[bad]}`);
      if (found !== expected) throw new WrongAnswer(`${kind}: ${contender.info.name} lookups summed to ${found}, expected ${expected}`);
      const it = [];
      for (let i = 0; i < iterations; i++) {
        await macrotask();
        const t0 = now();
        const got = c.sum();
        it.push(now() - t0);
        if (got !== expected) throw new WrongAnswer(`${kind}: ${contender.info.name} iterated to a sum of ${got}, expected ${expected}`);
      }

      // Half the objects lose their last strong reference.
      dropOdd(c, objects, contender.info.strong ? k.remove : null);
      const survivors = sumV(objects);
      // Without an exact size (the floor) there is nothing to wait for: one collection clears
      // the WeakRefs, and the iteration below must skip them.
      const s = contender.info.exactSize ? await settle(c, size - (size >> 1)) : await collectOnce();
      if (!s.settled) sizeOk = 0;
      await macrotask();
      const after = c.sum();
      if (after !== survivors) throw new WrongAnswer(`${kind}: ${contender.info.name} iterated to ${after} after collection, expected ${survivors}`);
      checksum = (checksum + expected + survivors) % 4294967296;
      if (r >= warmup) {
        insertNs.push((ins * 1e6) / size);
        againNs.push((again * 1e6) / size);
        lookupNs.push((look * 1e6) / size);
        iterateNs.push((median(it) * 1e6) / size);
        if (contender.info.exactSize) settleMs.push(s.ms - s.gcMs);
      }
      unpin(objects, c);
    }
    await macrotask();
    return {
      metrics: {
        insert: median(insertNs), again: median(againNs), lookup: median(lookupNs), iterate: median(iterateNs),
        settle: contender.info.exactSize ? median(settleMs) : null, sizeOk: contender.info.exactSize ? sizeOk : null,
      },
      samples: { insert: insertNs, again: againNs, lookup: lookupNs, iterate: iterateNs, settle: settleMs },
      check: { rounds: warmup + rounds, checksum },
    };
  }
  return { info, run };
}

/** One forced collection and a macrotask, for a contender without an exact size. */
async function collectOnce() {
  await macrotask();
  gcFunction()();
  await macrotask();
  return { settled: true, ms: 0, gcMs: 0 };
}

function sumV(/** @type {Array<{ v: number } | null>} */ objects) {
  let total = 0;
  for (const o of objects) if (o !== null) total += o.v;
  return total;
}

/** Drops every odd object (deleting it first where the container is strong). */
function dropOdd(/** @type {any} */ c, /** @type {Array<object | null>} */ objects, /** @type {((c: any, o: any) => void) | null} */ remove) {
  for (let i = 1; i < objects.length; i += 2) {
    if (remove) remove(c, objects[i]);
    objects[i] = null;
  }
}
