// empty: 10 000 empty containers (the bare container, no adapter around it): bytes per empty map
// (V8 heap after gc(), plus off-heap memory) and ns to create one. A warm-up batch is made and
// dropped first, so module instantiation and compilation are not counted.

import { heapUsed, now, quiesce } from "../lib/util.mjs";

export const info = {
  name: "empty",
  description: "10 000 empty maps: bytes and ns per empty map",
  sizes: { full: [1e4], quick: [1e4], smoke: [100] },
  metrics: [
    { key: "bytes", short: "bytes/map", label: "bytes per empty map", unit: "B/map", ref: "map-weakref-fr" },
    { key: "create", short: "create", label: "create an empty map", unit: "ns/map", ref: "map-weakref-fr" },
  ],
};

/**
 * @param {{ empty(): unknown, offHeapBytes?: () => number, info: { name: string } }} contender
 * @param {{ size: number, mode: "full" | "quick" | "smoke" }} options
 */
export async function run(contender, { size }) {
  const offHeap = contender.offHeapBytes ?? (() => 0);
  let warm = new Array(size).fill(null);
  makeAll(contender, warm);
  warm = [];
  const maps = new Array(size).fill(null);
  await quiesce(3);
  const heap0 = heapUsed();
  const off0 = offHeap();
  const t0 = now();
  makeAll(contender, maps);
  const t1 = now();
  await quiesce(3);
  const heap1 = heapUsed();
  const off1 = offHeap();
  const made = maps.filter((m) => m !== null).length;
  return {
    metrics: {
      bytes: (heap1 - heap0 + (off1 - off0)) / size,
      create: ((t1 - t0) * 1e6) / size,
    },
    samples: {},
    check: { made },
  };
}

function makeAll(/** @type {{ empty(): unknown }} */ contender, /** @type {unknown[]} */ into) {
  for (let i = 0; i < into.length; i++) into[i] = contender.empty();
}
