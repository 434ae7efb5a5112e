// weaktable's WeakValueMap, from the built package (`npm run build` writes dist/).
import { WeakValueMap } from "../../dist/src/index.js";
import { MapAdapter } from "./map-adapter.mjs";

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
  description: "weaktable WeakValueMap (number keys: WebAssembly index)",
  strong: false,
  exactSize: true,
};

class Adapter extends MapAdapter {
  constructor() {
    super(new WeakValueMap());
  }
  flush() {
    this.m.flush();
  }
  /** `stats().bytes`: what the table itself holds, WebAssembly memory included. */
  tableBytes() {
    return this.m.stats().bytes;
  }
}

export const create = () => new Adapter();
export const empty = () => new WeakValueMap();
/** Memory outside the V8 heap that this contender holds: the WebAssembly memory. */
export const offHeapBytes = () => memoryBytes();
