// memory-registry: bytes per entry of an IdRegistry, its object-to-id map included (see memory.mjs).
import { makeMemoryCase } from "./memory.mjs";

export const { info, run } = makeMemoryCase({
  name: "memory-registry",
  kind: "registry",
  keys: "ids",
  description: "IdRegistry incl. its object-to-id map: bytes per entry, values excluded",
});
