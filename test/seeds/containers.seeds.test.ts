// The seed documents' examples (../shared/seeds/) that use WeakValueDictionary and id(), in
// weaktable. Each Python snippet is quoted where it helps to compare.
import { expect, it } from "vitest";
import { WeakValueMap, id, id2obj } from "../../src/index.js";
import { collect } from "../../src/testing/index.js";

it("id2obj: remember() an object, find it by id while it lives, undefined after", async () => {
  // _id2obj_dict = weakref.WeakValueDictionary()
  // def remember(obj): oid = id(obj); _id2obj_dict[oid] = obj; return oid
  // def id2obj(oid): return _id2obj_dict[oid]
  const remember = (obj: object) => id(obj);
  let someObject: object | undefined = { name: "some object" };
  const oid = remember(someObject);
  expect(id2obj(oid)).toBe(someObject);
  someObject = undefined;
  await collect(() => id2obj(oid) === undefined);
  expect(id2obj(oid)).toBeUndefined();
});

class Spam {
  constructor(readonly name: string) {}
}

class CachedSpamManager {
  readonly #cache = new WeakValueMap<string, Spam>();
  getSpam(name: string): Spam {
    // if name not in self._cache: s = Spam(name); self._cache[name] = s
    return this.#cache.getOrInsertComputed(name, (key) => new Spam(key));
  }
  get size(): number {
    return this.#cache.size;
  }
}

it("CachedSpamManager: one Spam per live name, and the cache empties when nobody holds them", async () => {
  const manager = new CachedSpamManager();
  let a: Spam | undefined = manager.getSpam("foo");
  let b: Spam | undefined = manager.getSpam("bar");
  let c: Spam | undefined = manager.getSpam("foo");
  expect(a).not.toBe(b); // a is b: False
  expect(a).toBe(c); // a is c: True
  expect(manager.size).toBe(2);
  a = b = c = undefined;
  await collect(() => manager.size === 0);
  expect(manager.size).toBe(0);
});

class Image {
  constructor(readonly pixels: number[][]) {}
}

it("image cache: a WeakValueDictionary entry disappears with the image, a dict entry does not", async () => {
  // data = weakref.WeakValueDictionary(); data['hello_kitty.png'] = large_image
  // print(list(data.items()))  ->  [('hello_kitty.png', <Image>)]
  // del large_image; print(list(data.items()))  ->  []
  let largeImage: Image | undefined = new Image(Array.from({ length: 600 }, () => new Array(1200).fill(0)));
  const strong = new Map<string, Image>([["hello_kitty.png", largeImage]]);
  const weak = new WeakValueMap<string, Image>([["hello_kitty.png", largeImage]]);
  expect([...weak]).toEqual([["hello_kitty.png", largeImage]]);
  largeImage = undefined;
  strong.delete("hello_kitty.png"); // the plain dict kept it alive until now
  await collect(() => weak.size === 0);
  expect([...weak]).toEqual([]);
});

it("Student registry: a weak-value map by name empties when the students go", async () => {
  // for student in s_list: stock[student.name] = student
  // del s_list   -> sorted(stock.keys()) == ['Gang']   (the loop variable still holds the last one)
  // del student  -> sorted(stock.keys()) == []
  class Student {
    constructor(readonly name: string) {}
  }
  const stock = new WeakValueMap<string, Student>();
  // Python's loop variable outlives the loop; here a one-element holder plays its part, and the
  // list lives only inside enroll() so that no frame of this async test keeps it reachable.
  const student: { current?: Student } = {};
  const enroll = () => {
    const list = [new Student("Ming"), new Student("Hong"), new Student("Gang")];
    for (const s of list) stock.set(s.name, (student.current = s));
    return [...stock.keys()].sort();
  };
  expect(enroll()).toEqual(["Gang", "Hong", "Ming"]);
  await collect(() => stock.size === 1);
  expect([...stock.keys()]).toEqual(["Gang"]);
  delete student.current;
  await collect(() => stock.size === 0);
  expect([...stock.keys()]).toEqual([]);
});
