// weaktable, from the built package (`npm run build` writes dist/): WeakValueMap, IterableWeakSet,
// IterableWeakMap and IdRegistry, through the public API only.
import { IdRegistry, IterableWeakMap, IterableWeakSet, WeakValueMap } from "../../dist/src/index.js";
import { MapAdapter, RegistryAdapter, SetAdapter, WeakMapAdapter } from "./adapters.mjs";

/** Bytes of WebAssembly memory the realm's table instance holds (internal; 0 if unavailable). */
let memoryBytes = () => 0;
try {
  const instance = await import("../../dist/src/wasm/instance.js");
  if (typeof instance.memoryBytes === "function") memoryBytes = instance.memoryBytes;
} catch {
  // An internal module moved: memory results then count the V8 heap only (and say so).
}

export const info = {
  name: "weaktable",
  label: "weaktable",
  description: "weaktable: WeakValueMap, IterableWeakSet, IterableWeakMap, IdRegistry",
  strong: false,
  exactSize: true,
};

/** Adds flush() and tableBytes() (`stats().bytes`: what the table holds, WebAssembly memory included). */
const withHousekeeping = (/** @type {any} */ Base, /** @type {string} */ field) =>
  class extends Base {
    flush() {
      this[field].flush();
    }
    tableBytes() {
      return this[field].stats().bytes;
    }
  };

/** The WeakValueMap adapter with flush() and tableBytes() (weaktable-retain.mjs uses it too). */
export const Map_ = withHousekeeping(MapAdapter, "m");
const Set_ = withHousekeeping(SetAdapter, "s");
const WeakMap_ = withHousekeeping(WeakMapAdapter, "m");
const Registry_ = withHousekeeping(RegistryAdapter, "r");

export const make = {
  map: () => new Map_(new WeakValueMap()),
  set: () => new Set_(new IterableWeakSet()),
  weakmap: () => new WeakMap_(new IterableWeakMap()),
  registry: () => new Registry_(new IdRegistry()),
};
export const create = make.map;
export const empty = () => new WeakValueMap();
/** Memory outside the V8 heap that this contender holds: the WebAssembly memory. */
export const offHeapBytes = () => memoryBytes();
