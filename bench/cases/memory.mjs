// memory: bytes per entry with N entries, for three containers (one case each, a fresh process per
// measurement, so that WebAssembly memory freed by one never flatters the next):
//   memory           WeakValueMap, keys ids 1..N
//   memory-strings   WeakValueMap, string keys `img/123_ab12.png` (the key strings are allocated and
//                    held before the container is made, like the values: they are not its cost)
//   memory-registry  IdRegistry, including its object-to-id map (the floor has none)
// Matrix: that container x N = 1e6 (quick 1e5, smoke 1e3), keys in order. The values (one small
// object per entry) are allocated and held first; the heap is measured after forced collections
// before the container is made and after it is filled, so the difference is what the container
// costs: its table, its WeakRefs, its FinalizationRegistry cells, and memory outside the V8 heap
// (WebAssembly memory, from the contender's offHeapBytes()).
//   bytes: (heap delta + off-heap delta) / N.
//   table: weaktable's own `stats().bytes` / N (what the table reports it holds, WeakRefs and
//          registry cells excluded).

import { heapUsed, inFrames, pin, unpin, prng, quiesce, WrongAnswer } from "../lib/util.mjs";

/**
 * @param {{ name: string, kind: "map" | "registry", keys: "ids" | "strings", description: string, exclude?: string[] }} spec
 */
export function makeMemoryCase(spec) {
  const info = {
    name: spec.name,
    description: spec.description,
    kinds: [spec.kind],
    exclude: spec.exclude ?? [],
    sizes: { full: [1e6], quick: [1e5], smoke: [1e3] },
    /** Bytes barely vary between processes: 2 repetitions are enough. */
    reps: { 1e6: 2 },
    metrics: [
      { key: "bytes", short: "bytes/entry", label: "bytes per entry", unit: "B/entry", ref: "map-weakref-fr" },
      { key: "table", short: "stats().bytes", label: "stats().bytes per entry", unit: "B/entry" },
    ],
  };

  /**
   * @param {{ make: Record<string, () => any>, offHeapBytes?: () => number, info: { name: string } }} contender
   * @param {{ size: number, mode: "full" | "quick" | "smoke" }} options
   */
  async function run(contender, { size }) {
    const offHeap = contender.offHeapBytes ?? (() => 0);
    const rng = prng(`memory/${size}`);
    const values = pin(new Array(size));
    for (let i = 0; i < size; i++) values[i] = { id: i + 1, v: rng.below(1024) };
    /** @type {unknown[]} */
    const keys = pin(new Array(size));
    for (let i = 0; i < size; i++) keys[i] = spec.keys === "strings" ? `img/${i}_${(0x10000 + (rng.next() & 0xffff)).toString(16).slice(1)}.png` : i + 1;
    const ids = new Float64Array(size);
    await quiesce(3);
    const heap0 = heapUsed();
    const off0 = offHeap();
    const c = pin(contender.make[spec.kind]());
    if (spec.kind === "registry") await inFrames(size, (s, e) => rememberRange(c, values, ids, s, e));
    else await inFrames(size, (s, e) => setRange(c, keys, values, s, e));
    await quiesce(3);
    const heap1 = heapUsed();
    const off1 = offHeap();
    const checked = spotCheck(contender, spec.kind, c, keys, values, ids);
    const size1 = c.size();
    unpin(values, keys, c);
    return {
      metrics: {
        bytes: (heap1 - heap0 + (off1 - off0)) / size,
        table: typeof c.tableBytes === "function" ? c.tableBytes() / size : null,
      },
      samples: {},
      extra: { heapDelta: heap1 - heap0, offHeapDelta: off1 - off0 },
      check: { size: size1 ?? size, live: values.length, checked },
    };
  }
  return { info, run };
}

function setRange(/** @type {any} */ c, /** @type {unknown[]} */ keys, /** @type {object[]} */ values, /** @type {number} */ start, /** @type {number} */ end) {
  for (let i = start; i < end; i++) c.set(keys[i], values[i]);
}

function rememberRange(/** @type {any} */ c, /** @type {object[]} */ values, /** @type {Float64Array} */ ids, /** @type {number} */ start, /** @type {number} */ end) {
  for (let i = start; i < end; i++) ids[i] = c.remember(values[i]);
}

function spotCheck(
  /** @type {any} */ contender, /** @type {string} */ kind, /** @type {any} */ c,
  /** @type {unknown[]} */ keys, /** @type {object[]} */ values, /** @type {Float64Array} */ ids,
) {
  let n = 0;
  for (let i = 0; i < values.length; i += 101, n++) {
    const got = kind === "registry" ? c.get(ids[i]) : c.get(keys[i]);
    if (got !== values[i]) throw new WrongAnswer(`memory: ${contender.info.name} returned a wrong object for entry ${i}`);
  }
  return n;
}

export const { info, run } = makeMemoryCase({
  name: "memory",
  kind: "map",
  keys: "ids",
  description: "WeakValueMap, ids 1..N: bytes per entry, V8 heap after gc() plus WebAssembly memory, values excluded",
});
