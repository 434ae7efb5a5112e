// memory: bytes per entry with N entries. The values (one small object per entry) are allocated
// and held in an array first; the heap is measured after forced collections before the container
// is made and after it is filled, so the difference is what the container costs: its table, its
// WeakRefs, its FinalizationRegistry cells, and memory outside the V8 heap (WebAssembly memory,
// from the contender's offHeapBytes()).
//   bytes: (heap delta + off-heap delta) / N.
//   table: weaktable's own `stats().bytes` / N (what the table reports it holds, WeakRefs and
//          registry cells excluded).

import { heapUsed, insertInFrames, pin, unpin, prng, quiesce } from "../lib/util.mjs";

export const info = {
  name: "memory",
  description: "bytes per entry: V8 heap after gc() plus WebAssembly memory, values excluded",
  sizes: { full: [1e6], quick: [1e5], smoke: [1e3] },
  metrics: [
    { key: "bytes", short: "bytes/entry", label: "bytes per entry", unit: "B/entry", ref: "map-weakref-fr" },
    { key: "table", short: "stats().bytes", label: "stats().bytes per entry", unit: "B/entry" },
  ],
};

/**
 * @param {{ create(): any, offHeapBytes?: () => number, info: { name: string } }} contender
 * @param {{ size: number, mode: "full" | "quick" | "smoke" }} options
 */
export async function run(contender, { size }) {
  const offHeap = contender.offHeapBytes ?? (() => 0);
  const rng = prng(`memory/${size}`);
  const values = pin(new Array(size));
  for (let i = 0; i < size; i++) values[i] = { id: i + 1, v: rng.below(1024) };
  await quiesce(3);
  const heap0 = heapUsed();
  const off0 = offHeap();
  const map = pin(contender.create());
  await insertInFrames(map, values, 1);
  await quiesce(3);
  const heap1 = heapUsed();
  const off1 = offHeap();
  spotCheck(contender, map, values);
  const size1 = map.size();
  unpin(values, map);
  return {
    metrics: {
      bytes: (heap1 - heap0 + (off1 - off0)) / size,
      table: typeof map.tableBytes === "function" ? map.tableBytes() / size : null,
    },
    samples: {},
    extra: { heapDelta: heap1 - heap0, offHeapDelta: off1 - off0 },
    check: { size: size1 ?? size, live: values.length },
  };
}

function spotCheck(/** @type {any} */ contender, /** @type {any} */ map, /** @type {object[]} */ values) {
  for (let i = 0; i < values.length; i += 101) {
    if (map.get(i + 1) !== values[i]) throw new Error(`memory: ${contender.info.name} returned a wrong object for id ${i + 1}`);
  }
}
