// Seed 000, WeakSet as a class attribute: Student.stock_set = weakref.WeakSet() learns every
// instance; test() makes two, lists them, pops one; once test() returns, the set is empty.
// IterableWeakSet keeps insertion order, so the output does not depend on hashing.
// Run: node --expose-gc examples/13-students-weakset.mjs
import { IterableWeakSet } from "weaktable";
import { collect } from "weaktable/testing";

class Student {
  static stockSet = new IterableWeakSet(); // weak, so the class does not keep its instances alive

  constructor(name) {
    this.name = name;
    Student.stockSet.add(this);
  }

  func() {
    console.log(this.name);
  }
}

function test() {
  const s1 = new Student("XiaoMing");
  const s2 = new Student("XiaoWang");
  console.log(Student.stockSet);
  console.log("s1, s2 in the set:", Student.stockSet.has(s1), Student.stockSet.has(s2));
  for (const ws of Student.stockSet) ws.func();
  const weakOne = Student.stockSet.pop(); // removes and returns the newest (Python: any one)
  weakOne.func();
  console.log("size after pop:", Student.stockSet.size);
}

test();
// CPython frees both students when test() returns; here collect() runs the collector first.
await collect(() => Student.stockSet.size === 0);
console.log(Student.stockSet);
