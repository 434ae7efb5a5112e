// The ceiling: a plain strong Map. Not weak at all: the case deletes destroyed entries explicitly
// (`strong: true`), which is what a program without weak references has to do.
import { MapAdapter } from "./map-adapter.mjs";

export const info = {
  name: "map",
  label: "Map",
  description: "strong Map<K, V> (the ceiling; entries are deleted explicitly)",
  strong: true,
  exactSize: true,
};

export const create = () => new MapAdapter(new Map());
/** The bare container, for the empty-map case. */
export const empty = () => new Map();
