// Seed 002, "object cache": a class attribute _cache = WeakValueDictionary() and a classmethod
// get_instance(key) that returns the cached instance for key, or makes and caches a new one.
// Run: node --expose-gc examples/18-cache-get-instance.mjs
import { WeakValueMap } from "weaktable";
import { collect } from "weaktable/testing";

class Cache {
  static #cache = new WeakValueMap(); // key -> instance; an unused instance drops out
  static #made = 0;

  static getInstance(key) {
    let instance = Cache.#cache.get(key);
    if (instance === undefined) {
      instance = new this(); // `cls()`: a subclass calling getInstance makes one of its own kind
      Cache.#cache.set(key, instance);
    }
    return instance;
  }

  static get cachedKeys() {
    return [...Cache.#cache.keys()];
  }

  constructor() {
    this.serial = ++Cache.#made;
  }
}

class SpecialCache extends Cache {}

let a = Cache.getInstance("a");
let b = Cache.getInstance("a");
const c = SpecialCache.getInstance("c");
console.log("a is b:", a === b, " serial:", a.serial);
console.log("c:", c.constructor.name, c.serial);
console.log("cached keys:", Cache.cachedKeys);

a = b = undefined; // nobody holds the "a" instance
// CPython drops it at once; here collect() runs the collector and waits for it.
await collect(() => !Cache.cachedKeys.includes("a"));
console.log("cached keys:", Cache.cachedKeys);
console.log("a new instance for 'a', serial:", Cache.getInstance("a").serial);
console.log("c is still cached:", SpecialCache.getInstance("c") === c);
