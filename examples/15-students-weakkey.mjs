// Seed 000, WeakKeyDictionary: attach data ({'Class': 'A1'}) to objects owned elsewhere without
// adding attributes to them; `del s1, s2` empties it ("Before del" lists two values, "After del"
// none). IterableWeakMap is a WeakMap that can also be listed, in insertion order.
// Run: node --expose-gc examples/15-students-weakkey.mjs
import { IterableWeakMap } from "weaktable";
import { collect } from "weaktable/testing";

class Student {
  constructor(name) {
    this.name = name;
  }
}

let s1 = new Student("XiaoMing");
let s2 = new Student("XiaoWang");
const stock = new IterableWeakMap();
stock.set(s1, { Class: "A1" });
stock.set(s2, { Class: "B2" });

console.log("Before del");
for (const i of stock.values()) console.log(i);
console.log("stock.get(s1):", stock.get(s1), " s1 unchanged:", Object.keys(s1));

s1 = s2 = undefined; // del s1, s2
// CPython drops both entries at once; here collect() runs the collector and waits for it.
await collect(() => stock.size === 0);
console.log("After del");
for (const i of stock.values()) console.log(i);
