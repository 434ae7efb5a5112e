// Seed 001 passes a bound method, obj.do_finalize, to finalize: a bound method holds its object.
// Python's answer for keeping a method without its object is weakref.WeakMethod, since a plain
// weakref.ref(obj.method) dies at once (the bound method is a temporary). The same in JavaScript.
// Run: node --expose-gc examples/10-weak-method.mjs
import { WeakMethod, ref } from "weaktable";
import { collect } from "weaktable/testing";

class ExpensiveObject {
  constructor(name) {
    this.name = name;
  }
  doFinalize(suffix) {
    console.log(`do_finalize on ${this.name}${suffix}`);
  }
}

let obj = new ExpensiveObject("My Object");
const plain = ref(obj.doFinalize.bind(obj)); // nothing else holds this bound function
const wm = new WeakMethod(obj, obj.doFinalize, (m) => console.log(`callback(${m})`));

await collect(() => plain.deref() === undefined);
console.log("ref(bound method)():", plain.deref(), "- although obj is alive");
console.log("WeakMethod:", String(wm));
wm.deref()("!"); // r()("!") in Python
console.log("the same bound function each time:", wm.deref() === wm.deref());

// A listener that does not keep its object alive.
const listeners = [(...args) => wm.deref()?.(...args)];
for (const listener of listeners) listener(" (from a listener)");

obj = undefined; // del obj
// CPython frees obj at once; here collect() runs the collector and waits for the callback.
await collect(() => wm.deref() === undefined);
console.log("WeakMethod():", wm.deref());
for (const listener of listeners) listener(" (never printed)");
