// strings: WeakValueMap.get with string keys like `img/123_ab12.png` (matrix and metrics in keys.mjs).
import { makeKeysCase } from "./keys.mjs";

export const { info, run } = makeKeysCase("strings", "WeakValueMap with string keys (img/123_ab12.png): set, random gets in frames and in one sync batch", [
  { kind: "string", label: "string", prefix: "str" },
]);
