// sparse: WeakValueMap.get with sparse number keys, random safe integers and random doubles
// (matrix and metrics in keys.mjs).
import { makeKeysCase } from "./keys.mjs";

export const { info, run } = makeKeysCase("sparse", "WeakValueMap with sparse number keys (random safe integers; random doubles): set, random gets in frames and in one sync batch", [
  { kind: "int", label: "safe int", prefix: "int" },
  { kind: "double", label: "double", prefix: "dbl" },
]);
