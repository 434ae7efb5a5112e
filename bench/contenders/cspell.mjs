// The npm package `@cspell/strong-weak-map`: a Map of WeakRefs without a FinalizationRegistry.
// Dead entries stay until `get` meets them or the user calls `cleanKeys()` (an O(n) scan), which
// `flush()` here does, as a user who needs a right `size` would after each collection.
import { StrongWeakMap } from "@cspell/strong-weak-map";
import { MapAdapter } from "./adapters.mjs";

export const info = {
  name: "cspell",
  label: "cspell",
  description: "npm `@cspell/strong-weak-map` StrongWeakMap (flush = cleanKeys(), an O(n) scan)",
  strong: false,
  exactSize: true,
};

class Adapter extends MapAdapter {
  constructor() {
    super(new StrongWeakMap());
  }
  flush() {
    this.m.cleanKeys();
  }
}

export const make = { map: () => new Adapter() };
export const create = make.map;
export const empty = () => new StrongWeakMap();
