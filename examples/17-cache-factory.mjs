// Seed 001, PyMOTW "caching objects": demo(dict) vs demo(WeakValueDictionary). After `del all_refs`
// and gc.collect(), a dict still holds all three objects (they go only when demo returns and the
// dict with it); a WeakValueDictionary lets them go at once and ends up empty.
// Run: node --expose-gc examples/17-cache-factory.mjs
import { WeakValueMap, finalize } from "weaktable";
import { collect } from "weaktable/testing";

const NAMES = ["one", "two", "three"];
const deleted = []; // Python's __del__ prints "(Deleting ...)"; here a finalizer records it

class ExpensiveObject {
  constructor(name) {
    this.name = name;
    finalize(this, (n) => deleted.push(n), name); // the name, not `this`: see 09-finalize-pitfall
  }
  toString() {
    return `ExpensiveObject(${this.name})`;
  }
  [Symbol.for("nodejs.util.inspect.custom")]() {
    return this.toString();
  }
}

// The collector promises no order among objects: print in creation order.
function reportDeleted() {
  for (const name of NAMES.filter((n) => deleted.includes(n))) console.log(`    (Deleting ExpensiveObject(${name}))`);
  deleted.length = 0;
}

// In a function of its own, so that no loop variable outlives it (the seed's `del o`, `del value`).
function showCache(when, cache) {
  console.log(`\n  ${when}, cache contains:`, [...cache.keys()]);
  for (const [name, value] of cache) console.log(`    ${name} = ${value}`);
}

async function demo(CacheFactory) {
  let allRefs = {}; // holds the objects so the weak references are not dropped at once
  console.log("CACHE TYPE:", CacheFactory.name);
  const cache = new CacheFactory();
  for (const name of NAMES) cache.set(name, (allRefs[name] = new ExpensiveObject(name)));
  console.log("  all_refs =", allRefs);
  showCache("Before", cache);

  console.log("\n  Cleanup:");
  allRefs = undefined; // del all_refs
  // gc.collect(); for a WeakValueMap, also wait until it has let go (the collector runs once anyway).
  await collect(() => cache instanceof Map || cache.size === 0);
  reportDeleted();
  showCache("After", cache);
  console.log("  demo returning");
}

await demo(Map);
await collect(() => deleted.length === NAMES.length); // the Map went with demo's frame
reportDeleted();
console.log();
await demo(WeakValueMap);
