// Seed 001, PyMOTW "references" and "reference callbacks": r = weakref.ref(obj, callback); after
// `del obj`, r() is None and callback(r) has run with the dead ref: callback(<weakref; dead>).
// JavaScript has no __del__, so Python's "(Deleting ...)" line has no counterpart here.
// Run: node --expose-gc examples/03-ref-callback.mjs
import { ref } from "weaktable";
import { collect } from "weaktable/testing";

class ExpensiveObject {}

function callback(reference) {
  // Invoked when the referenced object is collected.
  console.log(`callback(${reference})`);
}

// 1. A plain reference.
let obj = new ExpensiveObject();
const plain = ref(obj);
console.log("obj:", obj);
console.log("ref:", String(plain));
console.log("r():", plain.deref());
console.log("deleting obj");
obj = undefined;
// CPython frees obj at `del obj`; here it goes when collect() has run the collector.
await collect(() => plain.deref() === undefined);
console.log("r():", plain.deref());

// 2. The same with a callback.
console.log();
obj = new ExpensiveObject();
const r = ref(obj, callback);
console.log("obj:", obj);
console.log("ref:", String(r));
console.log("r():", r.deref());
console.log("deleting obj");
obj = undefined;
// collect() returns once the callback has run.
await collect(() => r.deref() === undefined);
console.log("r():", r.deref());
