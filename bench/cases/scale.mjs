// scale: the cost of an insert as a container grows to millions of entries, for every container.
// Matrix: container (WeakValueMap under ids 1..N; IterableWeakSet; IterableWeakMap, value 1 per
// key; IdRegistry) x N fresh objects inserted in order x N = 1e5 and 3e6 (quick: 1e5, 1e6; with
// --large also 1e7). For each container the contender offers, one after the other in the same
// process: allocate the N objects (untimed), insert them all in frames of 10 000 with a macrotask
// between (ns per insert, insert loops only, so growth and rehashing are included), check the
// size and a sample of answers, drop everything and collect before the next container.
// One repetition at the large sizes (see `reps`): each process inserts 4 x N objects.

import { inFrames, pin, quiesce, sum, unpin, WrongAnswer } from "../lib/util.mjs";

const KINDS = /** @type {const} */ (["map", "set", "weakmap", "registry"]);
const NOUN = { map: "WeakValueMap.set", set: "IterableWeakSet.add", weakmap: "IterableWeakMap.set", registry: "IdRegistry.remember" };

export const info = {
  name: "scale",
  description: "insert N fresh objects into each container (WeakValueMap, IterableWeakSet, IterableWeakMap, IdRegistry)",
  kinds: [...KINDS],
  only: ["map", "map-weakref-fr", "weaktable"],
  sizes: { full: [1e5, 3e6], quick: [1e5, 1e6], smoke: [1e3], large: [1e7] },
  /** Repetitions at most, per size (the default elsewhere). */
  // One process per contender at 3e6: the hand-written one took 188 s of CPU (12 min on a loaded machine).
  reps: { 3e6: 1, 1e7: 1 },
  /** Seconds before a child is killed, per size (more than the default 600 where it needs it). */
  timeouts: { 3e6: 1800, 1e7: 3600 },
  metrics: KINDS.map((kind) => ({ key: kind, short: `insert ${kind}`, label: `insert: ${NOUN[kind]}`, unit: "ns/insert", ref: "map-weakref-fr" })),
};

/**
 * @param {{ make: Record<string, () => any>, info: { name: string, exactSize: boolean } }} contender
 * @param {{ size: number, mode: "full" | "quick" | "smoke" }} options
 */
export async function run(contender, { size }) {
  /** @type {Record<string, number | null>} */
  const metrics = {};
  /** @type {Record<string, number>} */
  const check = {};
  for (const kind of KINDS) {
    if (!contender.make[kind]) {
      metrics[kind] = null;
      continue;
    }
    await quiesce(2);
    const r = await measureKind(contender, kind, size);
    metrics[kind] = r.ns;
    check[kind] = r.checked;
  }
  await quiesce(1);
  return { metrics, samples: {}, check };
}

/**
 * One container: its own async function, so that nothing of it stays reachable from a suspended
 * frame of the caller once it returns (a local surviving an `await` would keep N objects alive).
 */
async function measureKind(/** @type {any} */ contender, /** @type {keyof typeof INSERT} */ kind, /** @type {number} */ size) {
  const objects = pin(new Array(size));
  for (let i = 0; i < size; i++) objects[i] = { id: i + 1, v: i & 1023 };
  const c = pin(contender.make[kind]());
  const ms = sum(await inFrames(size, (s, e) => INSERT[kind](c, objects, s, e)));
  const n = c.size();
  if (contender.info.exactSize && n !== size) throw new WrongAnswer(`scale: ${contender.info.name} ${kind} has size ${n} after ${size} inserts`);
  const checked = spotCheck(contender, kind, c, objects);
  unpin(objects, c);
  return { ns: (ms * 1e6) / size, checked };
}

const INSERT = {
  map(/** @type {any} */ c, /** @type {Array<{ id: number }>} */ objects, /** @type {number} */ start, /** @type {number} */ end) {
    for (let i = start; i < end; i++) c.set(i + 1, objects[i]);
  },
  set(/** @type {any} */ c, /** @type {object[]} */ objects, /** @type {number} */ start, /** @type {number} */ end) {
    for (let i = start; i < end; i++) c.add(objects[i]);
  },
  weakmap(/** @type {any} */ c, /** @type {object[]} */ objects, /** @type {number} */ start, /** @type {number} */ end) {
    for (let i = start; i < end; i++) c.set(objects[i], 1);
  },
  registry(/** @type {any} */ c, /** @type {object[]} */ objects, /** @type {number} */ start, /** @type {number} */ end) {
    for (let i = start; i < end; i++) c.remember(objects[i]);
  },
};

/** Checks every 9973rd object is found; returns how many were checked (the same for every contender). */
function spotCheck(/** @type {any} */ contender, /** @type {string} */ kind, /** @type {any} */ c, /** @type {Array<{ id: number }>} */ objects) {
  let n = 0;
  for (let i = 0; i < objects.length; i += 9973, n++) {
    const o = objects[i];
    const ok =
      kind === "map" ? c.get(i + 1) === o
        : kind === "set" ? c.has(o)
          : kind === "weakmap" ? c.get(o) === 1
            : c.get(c.idOf(o)) === o;
    if (!ok) throw new WrongAnswer(`scale: ${contender.info.name} ${kind} lost object #${i}`);
  }
  return n;
}
