// Seed 000, WeakValueDictionary as a class attribute: Student.stock[name] = new instance; test()
// makes two students, looks one up by name, lists the items; once test() returns, the registry
// is empty.
// Run: node --expose-gc examples/14-students-registry.mjs
import { WeakValueMap } from "weaktable";
import { collect } from "weaktable/testing";

class Student {
  static stock = new WeakValueMap(); // name -> instance, weakly

  constructor(name) {
    this.name = name;
    Student.stock.set(name, this);
  }

  func() {
    console.log(this.name);
  }
}

function test() {
  const s1 = new Student("XiaoMing");
  const s2 = new Student("XiaoWang");
  console.log(Object.prototype.toString.call(Student.stock.keys())); // Python: <generator object>
  console.log([...Student.stock.keys()].sort());

  const weakXiaoming = Student.stock.get("XiaoMing");
  weakXiaoming.func();
  console.log("is s1:", weakXiaoming === s1, " s2 by name:", Student.stock.get("XiaoWang") === s2);

  for (const [k, v] of Student.stock) console.log(k, v);
}

test();
// CPython frees both students when test() returns; here collect() runs the collector first.
await collect(() => Student.stock.size === 0);
console.log([...Student.stock.keys()].sort());
