// memory-strings: bytes per entry of a WeakValueMap with string keys (see memory.mjs).
import { makeMemoryCase } from "./memory.mjs";

export const { info, run } = makeMemoryCase({
  name: "memory-strings",
  kind: "map",
  keys: "strings",
  exclude: ["floor"],
  description: "WeakValueMap, string keys img/123_ab12.png: bytes per entry, keys and values excluded",
});
