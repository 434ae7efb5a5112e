// Seed 001, CachedSpamManager (Python Cookbook): get_spam(name) hands out one Spam per name from a
// WeakValueDictionary, so `a is c` for the same name, and a Spam nobody uses drops out of the cache.
// Run: node --expose-gc examples/16-cached-spam.mjs
import { WeakValueMap } from "weaktable";
import { collect } from "weaktable/testing";

class Spam {
  constructor(name) {
    this.name = name;
  }
}

class CachedSpamManager {
  #cache = new WeakValueMap();

  getSpam(name) {
    // Python tests `name not in cache` and then reads it, which can race with the collector;
    // reading once and testing the result cannot. (One call: this.#cache.getOrInsertComputed.)
    let s = this.#cache.get(name);
    if (s === undefined) {
      s = new Spam(name);
      this.#cache.set(name, s);
    }
    return s;
  }

  cachedNames() {
    return [...this.#cache.keys()];
  }
}

Spam.manager = new CachedSpamManager();
const getSpam = (name) => Spam.manager.getSpam(name);

let a = getSpam("foo");
let b = getSpam("bar");
console.log("a is b:", a === b);
let c = getSpam("foo");
console.log("a is c:", a === c);
console.log("cached:", Spam.manager.cachedNames());

b = undefined; // nobody uses "bar" any more
// CPython drops it at once; here collect() runs the collector and waits for it.
await collect(() => Spam.manager.cachedNames().length === 1);
console.log("cached after del b:", Spam.manager.cachedNames());

a = c = undefined;
await collect(() => Spam.manager.cachedNames().length === 0);
console.log("cached after del a, c:", Spam.manager.cachedNames());
console.log("a new foo:", getSpam("foo").name);
