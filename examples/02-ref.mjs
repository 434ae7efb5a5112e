// Seed 000, "using weak references": wref = weakref.ref({0, 1}); wref() gives {0, 1} until the
// name `_` is rebound to {2, 3, 4}, after which nothing holds the first set and wref() gives None.
// Also seed 004: `o = r(); if o is None: ... else: o.do_something_useful()`, and that some values
// (Python: int, tuple) cannot be weakly referenced at all.
// Run: node --expose-gc examples/02-ref.mjs
import { ref } from "weaktable";
import { collect } from "weaktable/testing";

let _ = new Set([0, 1]);
const wref = ref(_);
console.log(wref.deref()); // {0, 1}
console.log("o is o2:", wref.deref() === _);
console.log("ref(_) is shared:", ref(_) === wref); // CPython also reuses a callback-less ref

function frobnicate(r) {
  const o = r.deref(); // test the result, never a separate "is it alive?" check
  if (o === undefined) console.log("Object has been deallocated; can't frobnicate.");
  else console.log("Object is still live!", [...o]);
}
frobnicate(wref);

_ = new Set([2, 3, 4]);
// CPython frees {0, 1} the moment `_` is rebound; a JavaScript engine frees it when its collector
// runs, so collect() forces a collection and waits for it.
await collect(() => wref.deref() === undefined);
console.log(wref.deref()); // None
frobnicate(wref);

for (const value of [42, "text", null]) {
  try {
    ref(value);
  } catch (error) {
    console.log(`ref(${JSON.stringify(value)}) -> ${error.name}`);
  }
}
