// Seed 000, WeakValueDictionary at the prompt: stock[student.name] = student for three students;
// `del s_list` leaves ['Gang'], because the loop variable `student` still holds the last one;
// `del student` leaves [].
// Run: node --expose-gc examples/12-students-stock.mjs
import { WeakValueMap } from "weaktable";
import { collect } from "weaktable/testing";

class Student {
  constructor(name) {
    this.name = name;
  }
}

const stock = new WeakValueMap();
let sList = [new Student("Ming"), new Student("Hong"), new Student("Gang")];
let student; // declared outside the loop so that, as in Python, it outlives the loop
for (student of sList) stock.set(student.name, student);
console.log([...stock.keys()].sort());

sList = undefined; // del s_list
// CPython frees Ming and Hong at once; here collect() runs the collector and waits for it.
await collect(() => stock.size === 1);
console.log([...stock.keys()].sort()); // student last referred to "Gang"

student = undefined; // del student
await collect(() => stock.size === 0);
console.log([...stock.keys()].sort());
