// Seed 001, "breaking reference cycles": a tree Node whose children list is strong and whose
// parent pointer is weakref.ref(node, callback). With a strong parent, `del n1` frees nothing,
// since n2.parent still holds n1; with the weak one, `del n1` frees n1 and prints
// "__del__ <weakref ...; dead>", and n2.parent turns None.
// Run: node --expose-gc examples/05-node-parent.mjs
import { finalize, ref } from "weaktable";
import { collect } from "weaktable/testing";

function callback(r) {
  console.log("__del__", String(r));
}

class StrongNode {
  constructor(data) {
    this.data = data;
    this.parent = undefined;
    this.children = [];
    finalize(this, console.log, `__del__ StrongNode(${data})`); // stands in for Python's __del__
  }
  addChild(child) {
    this.children.push(child);
    child.parent = this;
  }
}

class Node {
  #parent = undefined; // a Ref: call deref() to reach the parent
  constructor(data) {
    this.data = data;
    this.children = [];
  }
  get parent() {
    return this.#parent?.deref();
  }
  set parent(node) {
    this.#parent = ref(node, callback);
  }
  addChild(child) {
    this.children.push(child);
    child.parent = this;
  }
}

let s1 = new StrongNode(1);
const s2 = new StrongNode(2);
s1.addChild(s2);
s1 = undefined; // del n1: no output, n2.parent keeps it alive
await collect();
console.log("strong: n2.parent.data =", s2.parent.data);

let n1 = new Node(0);
const n2 = new Node(2);
n1.addChild(n2);
console.log("weak: n2.parent.data =", n2.parent.data);
n1 = undefined; // del n1
// CPython frees n1 at once; here collect() runs the collector and waits for the callback.
await collect(() => n2.parent === undefined);
console.log("weak: n2.parent =", n2.parent);
// At exit the StrongNode finalizers still alive run, newest first (their `atexit` is true), much as
// CPython calls __del__ when it tears the module down.
