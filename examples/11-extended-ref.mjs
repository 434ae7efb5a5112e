// Python docs (seed 004), "weak reference objects": a subclass of ref, ExtendedRef, stores
// annotations and counts how often it is called, returning (referent, count). Also
// getweakrefcount(obj) and getweakrefs(obj), which count and list the refs and proxies to obj.
// Run: node --expose-gc examples/11-extended-ref.mjs
import { Ref, getWeakRefCount, getWeakRefs, proxy, ref } from "weaktable";
import { collect } from "weaktable/testing";

class ExtendedRef extends Ref {
  #counter = 0;
  constructor(ob, callback, annotations = {}) {
    super(ob, callback); // a subclass always gets its own Ref, as in CPython
    Object.assign(this, annotations);
  }
  // Python's __call__: a pair of the referent and the number of times it was reached.
  deref() {
    const ob = super.deref();
    if (ob === undefined) return undefined;
    this.#counter++;
    return [ob, this.#counter];
  }
}

class ExpensiveObject {
  constructor(name) {
    this.name = name;
  }
}

// In a function of its own, so that the referent it reads is not left in this module's frame.
function showCalls(r) {
  const [ob, count] = r.deref();
  console.log("r():", ob.name, "- call", count);
}

let obj = new ExpensiveObject("My Object");
const r = new ExtendedRef(obj, undefined, { label: "first" });
console.log("r.label:", r.label);
showCalls(r);
showCalls(r);
console.log("r is ref(obj):", r === ref(obj));

const plain = ref(obj);
const p = proxy(obj);
console.log("getweakrefcount(obj):", getWeakRefCount(obj));
const kinds = getWeakRefs(obj).map((w) => (w === p ? "proxy" : w === r ? "ExtendedRef" : w === plain ? "ref" : "?"));
console.log("getweakrefs(obj):", kinds.sort());

obj = undefined; // del obj
// CPython frees obj at once; here collect() runs the collector first.
await collect(() => plain.deref() === undefined);
console.log("r():", r.deref());
console.log("String(r):", String(r));
