// Seed 001, PyMOTW "finalizing objects": weakref.finalize(obj, on_finalize, 'extra argument');
// after `del obj`, on_finalize(('extra argument',)) runs, though nobody kept the finalize object.
// Then the finalizer's own API: alive, peek(), invoke() (runs at most once) and detach().
// Run: node --expose-gc examples/07-finalize.mjs
import { finalize } from "weaktable";
import { collect } from "weaktable/testing";

class ExpensiveObject {}

let calls = 0;
function onFinalize(...args) {
  calls++;
  console.log(`on_finalize(${JSON.stringify(args)})`);
}

let obj = new ExpensiveObject();
finalize(obj, onFinalize, "extra argument"); // the finalizer keeps itself alive
obj = undefined; // del obj
// CPython runs on_finalize at `del obj`; here it runs once collect() has run the collector.
await collect(() => calls === 1);

// A finalizer you keep, and call early.
obj = new ExpensiveObject();
const f = finalize(obj, onFinalize, "called early");
console.log("f:", String(f));
console.log("f.alive:", f.alive);
console.log("f.peek() args:", f.peek()[2]);
f.invoke(); // runs on_finalize now
console.log("f.invoke() again:", f.invoke()); // nothing: it runs at most once
console.log("f.alive:", f.alive);

// A finalizer you cancel.
const g = finalize(obj, onFinalize, "never printed");
const [, fn, args] = g.detach();
console.log("g.detach() gave back:", fn.name, args);
console.log("g.alive:", g.alive);
obj = undefined;
await collect();
console.log("calls:", calls);
