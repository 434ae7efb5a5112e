// Seed 002, "solve the circular reference problem": node1.next = node2 and node2.next = node1;
// weak refs to both report None once the names are deleted. Seed 001 adds that old CPython could
// not free such a cycle if the objects had __del__ (they went to gc.garbage). A tracing collector
// frees unreachable cycles, finalizers or not.
// Run: node --expose-gc examples/06-circular-nodes.mjs
import { finalize, ref } from "weaktable";
import { collect } from "weaktable/testing";

const finalized = [];

class Node {
  constructor(value) {
    this.value = value;
    this.next = null;
    // Stands in for __del__. It records rather than prints: the collector promises no order
    // among objects, so the lines are printed sorted.
    finalize(this, (line) => finalized.push(line), `__del__ Node(${value})`);
  }
}

let node1 = new Node(1);
let node2 = new Node(2);
node1.next = node2;
node2.next = node1;

const weakNode1 = ref(node1);
const weakNode2 = ref(node2);
console.log("weak_node1().next.value:", weakNode1.deref().next.value);
console.log("weak_node2().next.value:", weakNode2.deref().next.value);

node1 = node2 = undefined; // del node1, node2
// CPython needs its cycle collector for this (refcounts never reach 0); here the one collector
// handles cycles like anything else. collect() runs it and waits for the finalizers.
await collect(() => finalized.length === 2);
for (const line of finalized.sort()) console.log(line);
console.log(weakNode1.deref()); // None
console.log(weakNode2.deref()); // None
