// Module memory that cannot grow (WebAssembly's, or the fallback's; see BACKEND). The table module's memory is capped at MAX_PAGES pages
// before the library is first imported (this file is its own process), so filling a container
// soon needs a bigger table than the memory can hold. Then:
//   - set / add / remember throw a RangeError that says so, and the container is unchanged (same
//     entries in the same order, the new key absent);
//   - the container stays usable: get, has, iterate, delete, overwrite or re-add existing keys,
//     and new keys once deletions made room without growing;
//   - clear() gives the memory back: the container fills up again as far as before;
//   - other containers are unaffected, and a new container that cannot get memory fails the same way.
// One body over every container kind (and the two key paths of WeakValueMap).
import { afterEach, describe, expect, it } from "vitest";
import { memoryBytes, resetTableModuleForTesting } from "../../src/wasm/instance.js";

/** 2 pages of 64 KiB: room for tables of about a thousand entries. */
const MAX_PAGES = 2;
/** test/fallback/memory-cap.rerun.test.ts sets this to run the same file on the JavaScript backend. */
const BACKEND = process.env.WEAKTABLE_TEST_BACKEND === "js" ? "js" : "wasm";
resetTableModuleForTesting({ maximumPages: MAX_PAGES, disable: BACKEND === "js" });
const { IdRegistry, IterableWeakMap, IterableWeakSet, WeakValueMap } = await import("../../src/index.js");

/** A bound on the fill loops, so that a cap that is not enforced fails instead of hanging. */
const FILL_LIMIT = 200_000;

/** Values and keys the tests hold, so that no collection changes what they check. */
let held: object[] = [];
const made: Array<{ clear?: () => void }> = [];

afterEach(() => {
  for (const container of made.splice(0)) container.clear?.();
  held = [];
});

function obj(i: number): object {
  const value = { i };
  held.push(value);
  return value;
}

interface Subject {
  name: string;
  make(): unknown;
  /** Inserts entry i (a new key); its value/key object comes from `objectFor(i)`. */
  insert(c: unknown, i: number): void;
  /** Re-inserts entry i, already present: must not need memory. */
  again(c: unknown, i: number): void;
  remove(c: unknown, i: number): boolean;
  /** What `get`/`has` report for entry i (undefined when absent). */
  lookup(c: unknown, i: number): unknown;
  /** The container's contents, as entry numbers in iteration order. */
  contents(c: unknown): number[];
  size(c: unknown): number;
}

/** Objects by entry number for the current test (keys of weak-key containers, values of the others). */
let objects: object[] = [];
function objectFor(i: number): object {
  return (objects[i] ??= obj(i));
}
const numberOf = (value: unknown) => (value as { i: number }).i;

const SUBJECTS: Subject[] = [
  {
    name: "WeakValueMap, number keys (the WebAssembly index)",
    make: () => new WeakValueMap<number, object>(),
    insert: (c, i) => void (c as InstanceType<typeof WeakValueMap<number, object>>).set(i, objectFor(i)),
    again: (c, i) => void (c as InstanceType<typeof WeakValueMap<number, object>>).set(i, objectFor(i)),
    remove: (c, i) => (c as InstanceType<typeof WeakValueMap<number, object>>).delete(i),
    lookup: (c, i) => (c as InstanceType<typeof WeakValueMap<number, object>>).get(i),
    contents: (c) => [...(c as InstanceType<typeof WeakValueMap<number, object>>)].map(([k, v]) => (expect(numberOf(v)).toBe(k), k)),
    size: (c) => (c as { size: number }).size,
  },
  {
    name: "WeakValueMap, string keys (the JavaScript index)",
    make: () => new WeakValueMap<string, object>(),
    insert: (c, i) => void (c as InstanceType<typeof WeakValueMap<string, object>>).set(`k${i}`, objectFor(i)),
    again: (c, i) => void (c as InstanceType<typeof WeakValueMap<string, object>>).set(`k${i}`, objectFor(i)),
    remove: (c, i) => (c as InstanceType<typeof WeakValueMap<string, object>>).delete(`k${i}`),
    lookup: (c, i) => (c as InstanceType<typeof WeakValueMap<string, object>>).get(`k${i}`),
    contents: (c) => [...(c as InstanceType<typeof WeakValueMap<string, object>>)].map(([k, v]) => (expect(`k${numberOf(v)}`).toBe(k), numberOf(v))),
    size: (c) => (c as { size: number }).size,
  },
  ...[false, true].map(
    (withOnCollect): Subject => ({
      name: `IterableWeakMap${withOnCollect ? " with onCollect (values held by slot)" : ""}`,
      make: () => new IterableWeakMap<object, number>(null, withOnCollect ? { onCollect: () => {} } : undefined),
      insert: (c, i) => void (c as InstanceType<typeof IterableWeakMap<object, number>>).set(objectFor(i), i),
      again: (c, i) => void (c as InstanceType<typeof IterableWeakMap<object, number>>).set(objectFor(i), i),
      remove: (c, i) => (c as InstanceType<typeof IterableWeakMap<object, number>>).delete(objectFor(i)),
      lookup: (c, i) => (c as InstanceType<typeof IterableWeakMap<object, number>>).get(objectFor(i)),
      contents: (c) => [...(c as InstanceType<typeof IterableWeakMap<object, number>>)].map(([k, v]) => (expect(numberOf(k)).toBe(v), v)),
      size: (c) => (c as { size: number }).size,
    }),
  ),
  {
    name: "IterableWeakSet",
    make: () => new IterableWeakSet<object>(),
    insert: (c, i) => void (c as InstanceType<typeof IterableWeakSet<object>>).add(objectFor(i)),
    again: (c, i) => void (c as InstanceType<typeof IterableWeakSet<object>>).add(objectFor(i)),
    remove: (c, i) => (c as InstanceType<typeof IterableWeakSet<object>>).delete(objectFor(i)),
    lookup: (c, i) => ((c as InstanceType<typeof IterableWeakSet<object>>).has(objectFor(i)) ? i : undefined),
    contents: (c) => [...(c as InstanceType<typeof IterableWeakSet<object>>)].map(numberOf),
    size: (c) => (c as { size: number }).size,
  },
  {
    name: "IdRegistry",
    make: () => new IdRegistry<object>(),
    insert: (c, i) => void (c as InstanceType<typeof IdRegistry<object>>).remember(objectFor(i)),
    again: (c, i) => void (c as InstanceType<typeof IdRegistry<object>>).remember(objectFor(i)),
    remove: (c, i) => {
      const registry = c as InstanceType<typeof IdRegistry<object>>;
      const id = registry.idOf(objectFor(i));
      return id !== undefined && registry.forget(id);
    },
    lookup: (c, i) => {
      const registry = c as InstanceType<typeof IdRegistry<object>>;
      const id = registry.idOf(objectFor(i));
      return id === undefined ? undefined : registry.get(id);
    },
    contents: (c) => [...(c as InstanceType<typeof IdRegistry<object>>)].map(([, v]) => numberOf(v)),
    size: (c) => (c as { size: number }).size,
  },
];

/** Inserts entries from `from` until a RangeError; returns [entries inserted, the error]. */
function fillUntilFull(subject: Subject, container: unknown, from: number): [number, RangeError] {
  for (let i = from; i < from + FILL_LIMIT; i++) {
    try {
      subject.insert(container, i);
    } catch (error) {
      if (error instanceof RangeError) return [i - from, error];
      throw error;
    }
  }
  throw new Error(`no RangeError after ${FILL_LIMIT} inserts with memory capped at ${MAX_PAGES} pages (${memoryBytes()} bytes)`);
}

const range = (from: number, to: number) => Array.from({ length: to - from }, (_, j) => from + j);

describe(`module memory capped at ${MAX_PAGES} pages, on the ${BACKEND} backend`, () => {
  it(`runs on the ${BACKEND} backend`, () => {
    expect(new WeakValueMap().stats().backend).toBe(BACKEND);
  });

  it.each(SUBJECTS)("$name: insert throws RangeError, changes nothing, and the container stays usable", (subject) => {
    objects = [];
    const container = subject.make();
    made.push(container as { clear(): void });
    const [n, error] = fillUntilFull(subject, container, 0);
    expect(n).toBeGreaterThan(8);
    expect(error.message).toMatch(/WebAssembly memory cannot grow/);
    expect(error.message).toMatch(/unchanged/);
    expect(memoryBytes()).toBeLessThanOrEqual(MAX_PAGES * 65536);

    // Unchanged: exactly the n entries, in order; the one that failed is absent.
    expect(subject.size(container)).toBe(n);
    expect(subject.contents(container)).toEqual(range(0, n));
    expect(subject.lookup(container, n)).toBeUndefined();
    for (let i = 0; i < n; i++) expect(subject.lookup(container, i)).toBe(subject.name === "IterableWeakSet" || subject.name.startsWith("IterableWeakMap") ? i : objectFor(i));
    // Failing again changes nothing either.
    expect(() => subject.insert(container, n)).toThrow(RangeError);
    expect(subject.contents(container)).toEqual(range(0, n));

    // Usable: existing keys again (no memory needed), deletes, then new keys in the room deletes made.
    for (let i = 0; i < n; i++) subject.again(container, i);
    expect(subject.contents(container)).toEqual(range(0, n));
    for (let i = 0; i < n; i += 2) expect(subject.remove(container, i)).toBe(true);
    const odd = range(0, n).filter((i) => i % 2 === 1);
    expect(subject.contents(container)).toEqual(odd);
    const room = n - odd.length;
    for (let i = n; i < n + room; i++) subject.insert(container, i);
    expect(subject.contents(container)).toEqual([...odd, ...range(n, n + room)]);
    expect(subject.size(container)).toBe(n);

    // clear() gives the memory back: the same container fills up as far again.
    (container as { clear?: () => void }).clear?.();
    if (subject.name !== "IdRegistry") {
      expect(subject.size(container)).toBe(0);
      const [again] = fillUntilFull(subject, container, 10 * n);
      expect(again).toBe(n);
    }
  });

  it.each(SUBJECTS)("$name: a full table with a few tombstones compacts rather than throw", (subject) => {
    objects = [];
    const container = subject.make();
    made.push(container as { clear(): void });
    const [n] = fillUntilFull(subject, container, 0);
    // Three deletes: far fewer holes than the quarter of the capacity at which an insert compacts
    // by policy, and than the entries (the sparse rule), so only "compact before giving up" helps.
    for (const i of [1, n >> 1, n - 2]) expect(subject.remove(container, i)).toBe(true);
    for (let i = n; i < n + 3; i++) subject.insert(container, i);
    expect(() => subject.insert(container, n + 3)).toThrow(RangeError);
    const expected = range(0, n + 3).filter((i) => i !== 1 && i !== n >> 1 && i !== n - 2);
    expect(subject.contents(container)).toEqual(expected);
    expect(subject.size(container)).toBe(n);
  });

  it("other containers are unaffected, and a new one that cannot get memory fails the same way", () => {
    objects = [];
    const full = new WeakValueMap<number, object>();
    made.push(full);
    const [n] = fillUntilFull(SUBJECTS[0]!, full, 0);
    // Some memory may be left for small tables: take it all with small sets.
    const small: InstanceType<typeof IterableWeakSet<object>>[] = [];
    let failure: unknown;
    for (let k = 0; k < 10_000 && failure === undefined; k++) {
      const set = new IterableWeakSet<object>();
      try {
        set.add(obj(-k));
        small.push(set);
        made.push(set);
      } catch (error) {
        failure = error;
        expect(set.size).toBe(0);
        expect([...set]).toEqual([]);
      }
    }
    expect(failure).toBeInstanceOf(RangeError);
    expect(String((failure as Error).message)).toMatch(/WebAssembly memory cannot grow/);
    // Every container made before still answers correctly.
    expect(full.size).toBe(n);
    expect([...full.keys()]).toEqual(range(0, n));
    for (const set of small) expect(set.size).toBe(1);
    // Giving memory back lets the newcomer in.
    full.clear();
    const late = new IterableWeakSet<object>();
    made.push(late);
    late.add(obj(-1));
    expect(late.size).toBe(1);
  });

  it("update() and getOrInsertComputed() that run out of memory leave a consistent map", () => {
    objects = [];
    const map = new WeakValueMap<number, object>();
    made.push(map);
    const [n] = fillUntilFull(SUBJECTS[0]!, map, 0);
    const before = map.get(0);
    const replacement = obj(-1);
    // An overwrite (needs no memory), then a new key (needs a bigger table).
    expect(() => map.update([[0, replacement], [n, obj(n)]])).toThrow(RangeError);
    // update() reserves room for the whole batch before storing any of it, so nothing changed.
    const keys = [...map.keys()];
    expect(keys).toEqual(range(0, n));
    expect(keys.length).toBe(map.size);
    expect(map.get(0)).toBe(before);
    let computed = 0;
    expect(() =>
      map.getOrInsertComputed(n + 5, () => {
        computed++;
        return obj(n + 5);
      }),
    ).toThrow(RangeError);
    expect(computed).toBe(1);
    expect(map.get(n + 5)).toBeUndefined();
    expect(map.has(n + 5)).toBe(false);
    expect([...map.keys()]).toEqual(keys);
  });

  it("remember() that runs out of memory registers nothing, and later ids are still new", () => {
    objects = [];
    const registry = new IdRegistry<object>();
    made.push(registry as unknown as { clear?: () => void });
    const [n] = fillUntilFull(SUBJECTS.at(-1)!, registry, 0);
    const ids = [...registry].map(([id]) => id);
    const refused = objectFor(n);
    expect(() => registry.remember(refused)).toThrow(RangeError);
    expect(registry.idOf(refused)).toBeUndefined();
    expect(registry.size).toBe(n);
    // Room without growing: the table compacts once tombstones are a quarter of it; forget half.
    for (const old of ids.filter((_, j) => j % 2 === 0)) expect(registry.forget(old)).toBe(true);
    const id = registry.remember(refused);
    expect(ids).not.toContain(id); // new: ids carry no order (API.md), they are only never reused
    expect(registry.get(id)).toBe(refused);
    for (const [oldId] of [...registry].slice(0, -1)) expect(oldId).not.toBe(id);
  });
});
