// Seed 001, PyMOTW: finalize(obj, on_finalize, obj) holds obj through its arguments, so obj is
// never collected ("found uncollected object in gc"); a bound method, finalize(obj,
// obj.do_finalize), does the same. Pass what the cleanup needs, never the object.
// Run: node --expose-gc examples/09-finalize-pitfall.mjs
import { finalize, ref } from "weaktable";
import { collect } from "weaktable/testing";

class ExpensiveObject {
  constructor(name) {
    this.name = name;
  }
  doFinalize() {
    console.log("do_finalize");
  }
}

function onFinalize(...args) {
  console.log(`on_finalize(${args.map(String).join(", ")})`);
}

// Python looks for obj among gc.get_objects(); a weak reference asks the same question.
async function report(watch) {
  await collect();
  console.log(watch.deref() === undefined ? "collected" : "found uncollected object in gc");
}

console.log("-- finalize(obj, on_finalize, obj)");
let obj = new ExpensiveObject("one");
const f = finalize(obj, onFinalize, obj);
f.atexit = false;
let watch = ref(obj);
obj = undefined; // del obj
await report(watch);
console.log("f.alive:", f.alive);
f.detach(); // the only way out: it drops the arguments
await report(watch);

console.log("-- finalize(obj, obj.do_finalize)");
obj = new ExpensiveObject("two");
finalize(obj, obj.doFinalize.bind(obj)).atexit = false;
watch = ref(obj);
obj = undefined;
await report(watch);

console.log("-- finalize(obj, on_finalize, obj.name)");
obj = new ExpensiveObject("three");
finalize(obj, onFinalize, obj.name);
watch = ref(obj);
obj = undefined;
await report(watch); // on_finalize runs during the collection
