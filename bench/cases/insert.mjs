// insert: inserting objects that already exist (not fresh values). Matrix: key kind = ids 1..N
// (numbers) x values = N objects allocated before the first round and promoted to the old
// generation by forced collections (like the long-lived objects a program registers), inserted in
// id order x N = 1e5 (quick 1e5, smoke 1e3). Each round makes a fresh container, inserts all N in
// frames of 10 000 with a macrotask between (ns per insert, insert loops only), spot-checks it and
// drops it (the objects stay); a quiet collection separates the rounds. Median over the rounds
// after the warm-up. churn measures the opposite, values allocated just before their insert.

import { inFrames, pin, prng, quiesce, sum, unpin, median, WrongAnswer } from "../lib/util.mjs";

export const info = {
  name: "insert",
  description: "insert N existing (old-generation) objects under ids 1..N into a fresh map; repeated",
  kinds: ["map"],
  sizes: { full: [1e5], quick: [1e5], smoke: [1e3] },
  metrics: [
    { key: "insert", short: "insert existing", label: "insert existing objects", unit: "ns/insert", ref: "map-weakref-fr" },
  ],
};

const PARAMS = {
  full: { rounds: 8, warmup: 2 },
  quick: { rounds: 4, warmup: 1 },
  smoke: { rounds: 2, warmup: 0 },
};

/**
 * @param {{ make: { map(): any }, info: { name: string, exactSize: boolean } }} contender
 * @param {{ size: number, mode: "full" | "quick" | "smoke" }} options
 */
export async function run(contender, { size, mode }) {
  const { rounds, warmup } = PARAMS[mode];
  const rng = prng(`insert/${size}`);
  const objects = pin(new Array(size));
  for (let i = 0; i < size; i++) objects[i] = { id: i + 1, v: rng.below(1024) };
  await quiesce(3);
  const insertNs = [];
  let checked = 0;
  for (let r = 0; r < warmup + rounds; r++) {
    const map = pin(contender.make.map());
    const ms = sum(await inFrames(size, (s, e) => insertRange(map, objects, s, e)));
    if (contender.info.exactSize && map.size() !== size) throw new WrongAnswer(`insert: ${contender.info.name} has size ${map.size()} after ${size} inserts`);
    checked += spotCheck(contender, map, objects);
    unpin(map);
    await quiesce(1);
    if (r >= warmup) insertNs.push((ms * 1e6) / size);
  }
  unpin(objects);
  return { metrics: { insert: median(insertNs) }, samples: { insert: insertNs }, check: { rounds: warmup + rounds, checked } };
}

function insertRange(/** @type {any} */ map, /** @type {Array<{ id: number }>} */ objects, /** @type {number} */ start, /** @type {number} */ end) {
  for (let i = start; i < end; i++) map.set(i + 1, objects[i]);
}

function spotCheck(/** @type {any} */ contender, /** @type {any} */ map, /** @type {object[]} */ objects) {
  let n = 0;
  for (let i = 0; i < objects.length; i += 97, n++) {
    if (map.get(i + 1) !== objects[i]) throw new WrongAnswer(`insert: ${contender.info.name} returned a wrong object for id ${i + 1}`);
  }
  return n;
}
