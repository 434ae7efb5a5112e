// Seed 001: p = weakref.proxy(n) is used like n itself (p.data == 10) without keeping n alive;
// after `del n`, p.data raises ReferenceError: weakly-referenced object no longer exists.
// Also PyMOTW's "via obj / via ref / via proxy" comparison.
// Run: node --expose-gc examples/04-proxy.mjs
import { isProxy, proxy, ref } from "weaktable";
import { collect } from "weaktable/testing";

class Node {
  constructor(data) {
    this.data = data;
  }
  describe() {
    return `Node(${this.data})`;
  }
}

let n = new Node(10);
const r = ref(n);
const p = proxy(n, () => console.log("proxy callback: the node is gone"));
console.log("via obj:", n.data);
console.log("via ref:", r.deref().data);
console.log("via proxy:", p.data);
console.log("method via proxy:", p.describe());
p.data = 11; // writes reach the referent
console.log("after p.data = 11, n.data:", n.data);
console.log("isProxy(p):", isProxy(p), " isProxy(n):", isProxy(n));

n = undefined; // del n
// CPython frees n at once; here collect() runs the collector and waits for the callback.
await collect(() => r.deref() === undefined);
try {
  console.log("via proxy:", p.data);
} catch (error) {
  console.log(`${error.name}: ${error.message}`);
}
