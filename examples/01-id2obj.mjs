// Python docs (seed 004), "Example": remember(obj) stores obj in a WeakValueDictionary under
// id(obj), and id2obj(oid) looks it up again, without keeping obj alive:
//   _id2obj_dict[id(obj)] = obj   ...   return _id2obj_dict[oid]
// Below: that recipe written with WeakValueMap, then weaktable's own id()/id2obj(), whose ids are
// never reused, so a stale id finds nothing (Python's id() can come back for a new object).
// Run: node --expose-gc examples/01-id2obj.mjs
import { WeakValueMap, id, id2obj } from "weaktable";
import { collect } from "weaktable/testing";

class Widget {
  constructor(name) {
    this.name = name;
  }
}

// The recipe, line for line.
const id2objDict = new WeakValueMap();
function remember(obj) {
  const oid = id(obj);
  id2objDict.set(oid, obj);
  return oid;
}
const lookup = (oid) => id2objDict.get(oid); // Python raises KeyError; get() gives undefined

let someObject = new Widget("some object");
const oid = remember(someObject);
console.log("oid is a positive integer:", Number.isSafeInteger(oid) && oid > 0);
console.log("remember() again gives the same id:", remember(someObject) === oid);
console.log("lookup(oid) is someObject:", lookup(oid) === someObject);
console.log("id2obj(oid) is someObject:", id2obj(oid) === someObject);
console.log("id2obj(oid).name:", id2obj(oid).name);

// del someObject: CPython frees it at once; here it goes when the collector runs, which
// collect() forces (and waits for).
someObject = undefined;
await collect(() => lookup(oid) === undefined && id2obj(oid) === undefined);
console.log("after del, lookup(oid):", lookup(oid));
console.log("after del, id2obj(oid):", id2obj(oid));
console.log("entries left in the dict:", id2objDict.size);

const other = new Widget("other");
console.log("a new object never gets the old id:", id(other) !== oid);
