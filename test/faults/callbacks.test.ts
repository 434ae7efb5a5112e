// User callbacks under the real collector: a throwing onCollect (WeakValueMap, IterableWeakMap),
// ref callback or finalizer is reported with console.error and stops none of the others; every
// container is consistent afterwards; callbacks may use the containers re-entrantly (mutate their
// own container or another one, iterate, flush()), and a callback that flushes a container whose
// notices are pending reaps each entry once.
//
// Objects that must die are made inside helper functions, so that no local of an async test body
// keeps them alive.
import { afterEach, describe, expect, it, vi } from "vitest";
import { IdRegistry, IterableWeakMap, IterableWeakSet, WeakValueMap } from "../../src/index.js";
import { finalize, ref, type Ref } from "../../src/refs/index.js";
import { collect } from "../../src/testing/index.js";

afterEach(() => {
  vi.restoreAllMocks();
});

type AnyContainer =
  | WeakValueMap<unknown, object>
  | IterableWeakMap<object, unknown>
  | IterableWeakSet<object>
  | IdRegistry<object>;

/** Consistent: size equals what iteration yields, nothing pending after collect(), the table agrees. */
function expectConsistent(container: AnyContainer, label: string): void {
  const items = [...(container as Iterable<unknown>)];
  expect(container.size, `${label}: size`).toBe(items.length);
  const stats = container.stats();
  expect(stats.pending, `${label}: pending`).toBe(0);
  expect(stats.size, `${label}: stats().size`).toBe(items.length);
  expect(stats.capacity, `${label}: capacity`).toBeGreaterThanOrEqual(stats.size);
}

/** Objects for keys/values: even ones are dropped at once, odd ones returned (the survivors). */
function fillHalf(n: number, put: (i: number, obj: object) => void): object[] {
  const survivors: object[] = [];
  for (let i = 0; i < n; i++) {
    const obj = { i };
    put(i, obj);
    if (i % 2 === 1) survivors.push(obj);
  }
  return survivors;
}

const errorsOf = (spy: { mock: { calls: unknown[][] } }) => spy.mock.calls.map((call) => String(call[1] ?? call[0]));

describe("a callback that throws", () => {
  it("is reported, stops no other onCollect, ref callback or finalizer, and leaves every container consistent", async () => {
    const errors = vi.spyOn(console, "error").mockImplementation(() => {});
    const log: string[] = [];
    const throwingValues = new WeakValueMap<number, object>(null, {
      onCollect: (key) => {
        log.push(`A${key}`);
        if (key % 4 === 0) throw new Error(`boom A${key}`);
      },
    });
    const loggingValues = new WeakValueMap<string, object>(null, { onCollect: (key) => log.push(`B${key}`) });
    const throwingKeys = new IterableWeakMap<object, number>(null, {
      onCollect: (value) => {
        log.push(`C${value}`);
        throw new Error(`boom C${value}`);
      },
    });
    const loggingKeys = new IterableWeakMap<object, number>(null, { onCollect: (value) => log.push(`D${value}`) });
    const set = new IterableWeakSet<object>();
    const registry = new IdRegistry<object>();
    const refs: Array<Ref<object>> = [];
    const survivors = [
      ...fillHalf(8, (i, obj) => throwingValues.set(i, obj)),
      ...fillHalf(8, (i, obj) => loggingValues.set(`k${i}`, obj)),
      ...fillHalf(8, (i, obj) => throwingKeys.set(obj, i)),
      ...fillHalf(8, (i, obj) => loggingKeys.set(obj, i)),
      ...fillHalf(8, (_i, obj) => set.add(obj)),
      ...fillHalf(8, (_i, obj) => registry.remember(obj)),
      ...fillHalf(8, (i, obj) => {
        refs.push(
          ref(obj, () => {
            log.push(`R${i}`);
            if (i === 2) throw new Error("boom R2");
          }),
        );
        finalize(obj, (n: number) => {
          log.push(`F${n}`);
          if (n === 4) throw new Error("boom F4");
        }, i);
      }),
    ];
    const expected = [
      ...[0, 2, 4, 6].flatMap((i) => [`A${i}`, `Bk${i}`, `C${i}`, `D${i}`, `R${i}`, `F${i}`]),
    ].sort();
    await collect(() => log.length >= expected.length);
    await collect();
    expect([...log].sort()).toEqual(expected);
    const reported = errorsOf(errors).join("\n");
    for (const message of ["boom A0", "boom A4", "boom C0", "boom C2", "boom C4", "boom C6", "boom R2", "boom F4"]) {
      expect(reported).toContain(message);
    }
    expect(errors).toHaveBeenCalledTimes(8);
    const containers: Array<[AnyContainer, string]> = [
      [throwingValues as WeakValueMap<unknown, object>, "throwing WeakValueMap"],
      [loggingValues as WeakValueMap<unknown, object>, "WeakValueMap"],
      [throwingKeys as IterableWeakMap<object, unknown>, "throwing IterableWeakMap"],
      [loggingKeys as IterableWeakMap<object, unknown>, "IterableWeakMap"],
      [set, "IterableWeakSet"],
      [registry, "IdRegistry"],
    ];
    for (const [container, label] of containers) {
      expectConsistent(container, label);
      expect(container.size, label).toBe(4);
    }
    expect([...throwingValues.keys()]).toEqual([1, 3, 5, 7]);
    expect([...loggingValues.keys()]).toEqual(["k1", "k3", "k5", "k7"]);
    expect([...throwingKeys.values()]).toEqual([1, 3, 5, 7]);
    // Still usable.
    throwingValues.set(100, survivors[0]!);
    expect(throwingValues.get(100)).toBe(survivors[0]);
    throwingKeys.delete(survivors[8]!); // the first survivor of throwingKeys
    expect(throwingKeys.size).toBe(3);
    expect(refs.filter((r) => r.deref() !== undefined)).toHaveLength(4);
    // No late callbacks into the next tests once the survivors go.
    for (const [container] of containers) (container as { clear?: () => void }).clear?.();
  });
});

describe("re-entrant callbacks", () => {
  it("onCollect may set, delete, iterate and flush its own map and others", async () => {
    const keeper = { keeper: true };
    const others = new WeakValueMap<number, object>();
    const side = new IterableWeakSet<object>();
    const seen: number[] = [];
    const inner: Array<Array<number>> = [];
    const map: WeakValueMap<number, object> = new WeakValueMap<number, object>(null, {
      onCollect: (key) => {
        seen.push(key);
        map.set(100 + key, keeper); // its own map
        expect(map.flush()).toBe(0); // nothing left to apply: the batch was applied before callbacks
        inner.push([...map.keys()]); // iterate it
        others.delete(key); // another map
        others.flush();
        side.add(keeper);
        side.clear();
        side.add(keeper);
      },
    });
    const survivors = fillHalf(10, (i, obj) => map.set(i, obj));
    for (let i = 0; i < 10; i++) others.set(i, keeper);
    await collect(() => seen.length === 5);
    await collect();
    expect([...seen].sort((a, b) => a - b)).toEqual([0, 2, 4, 6, 8]);
    const added = seen.map((key) => 100 + key);
    expect([...map.keys()]).toEqual([1, 3, 5, 7, 9, ...added]);
    for (const keys of inner) expect(keys.slice(0, 5)).toEqual([1, 3, 5, 7, 9]);
    expect([...others.keys()]).toEqual([1, 3, 5, 7, 9]);
    expect([...side]).toEqual([keeper]);
    expectConsistent(map as WeakValueMap<unknown, object>, "map");
    expectConsistent(others as WeakValueMap<unknown, object>, "others");
    expect(survivors).toHaveLength(5);
  });

  it("onCollect may clear the map it is called for; the map stays consistent and usable", async () => {
    // Notices may come in several batches (the collector decides); clear() cancels the ones not yet
    // applied, and an entry removed by clear() never gets onCollect. So each key is seen at most once.
    const seen: string[] = [];
    const map: WeakValueMap<string, object> = new WeakValueMap<string, object>(null, {
      onCollect: (key) => {
        seen.push(key);
        map.clear();
      },
    });
    const keyMap: IterableWeakMap<object, string> = new IterableWeakMap<object, string>(null, {
      onCollect: (value) => {
        seen.push(value);
        keyMap.clear();
      },
    });
    const survivors = [...fillHalf(6, (i, obj) => map.set(`v${i}`, obj)), ...fillHalf(6, (i, obj) => keyMap.set(obj, `k${i}`))];
    await collect(() => map.size === 0 && keyMap.size === 0);
    await collect();
    expect(new Set(seen).size).toBe(seen.length);
    for (const key of seen) expect(["v0", "v2", "v4", "k0", "k2", "k4"]).toContain(key);
    expect(seen.some((key) => key.startsWith("v")) && seen.some((key) => key.startsWith("k"))).toBe(true);
    expectConsistent(map as WeakValueMap<unknown, object>, "map");
    expectConsistent(keyMap as IterableWeakMap<object, unknown>, "keyMap");
    // Usable afterwards, onCollect included.
    seen.length = 0;
    survivors.push(...fillHalf(2, (i, obj) => map.set(`again${i}`, obj)));
    await collect(() => seen.includes("again0"));
    expect(seen).toEqual(["again0"]);
    expect(map.size).toBe(0); // the callback cleared it again, live "again1" included
    expect(survivors.at(-1)).toEqual({ i: 1 });
  });

  it("a callback that flushes a map whose values died in the same collection reaps each entry once", async () => {
    const collected: string[] = [];
    const second = new WeakValueMap<number, object>(null, { onCollect: (key) => collected.push(`second ${key}`) });
    const first = new WeakValueMap<number, object>(null, {
      onCollect: (key) => {
        collected.push(`first ${key}`);
        second.flush(); // may find notices of the same collection still pending
        first.flush();
      },
    });
    const refCalls: string[] = [];
    const held: Array<Ref<object>> = [];
    const survivors = fillHalf(10, (i, obj) => {
      first.set(i, obj);
      second.set(i, obj);
      // A ref callback and a finalizer on the same objects flush both maps too.
      held.push(
        ref(obj, () => {
          refCalls.push(`ref ${i}`);
          first.flush();
          second.flush();
          expect(first.get(i)).toBeUndefined();
        }),
      );
      finalize(obj, () => {
        refCalls.push(`finalize ${i}`);
        second.set(1000 + i, held);
        second.flush();
      });
    });
    await collect(() => collected.length === 10 && refCalls.length === 10);
    await collect();
    expect([...collected].sort()).toEqual([0, 2, 4, 6, 8].flatMap((k) => [`first ${k}`, `second ${k}`]).sort());
    expect([...refCalls].sort()).toEqual([0, 2, 4, 6, 8].flatMap((k) => [`finalize ${k}`, `ref ${k}`]).sort());
    expect([...first.keys()]).toEqual([1, 3, 5, 7, 9]);
    expect([...second.keys()].slice(0, 5)).toEqual([1, 3, 5, 7, 9]);
    expect([...second.keys()].slice(5).sort()).toEqual([1000, 1002, 1004, 1006, 1008]);
    expectConsistent(first as WeakValueMap<unknown, object>, "first");
    expectConsistent(second as WeakValueMap<unknown, object>, "second");
    expect(survivors).toHaveLength(5);
  });

  it("ref callbacks and finalizers may create refs, finalizers and entries, whose own callbacks run later", async () => {
    const log: string[] = [];
    const map = new WeakValueMap<string, object>(null, { onCollect: (key) => log.push(`collected ${key}`) });
    const keepRefs: Array<Ref<object>> = [];
    (() => {
      const first = { name: "first" };
      keepRefs.push(
        ref(first, () => {
          log.push("ref first");
          // A new object registered from inside the callback: dies at the next collection.
          (() => {
            const second = { name: "second" };
            map.set("second", second);
            finalize(second, () => log.push("finalize second"));
          })();
        }),
      );
    })();
    await collect(() => log.includes("ref first"));
    await collect(() => log.includes("finalize second") && log.includes("collected second"));
    expect(log).toEqual(expect.arrayContaining(["ref first", "finalize second", "collected second"]));
    expect(map.size).toBe(0);
    expectConsistent(map as WeakValueMap<unknown, object>, "map");
  });
});

// Mutation during iteration, deterministic (no collection): each container against a native Map or
// Set doing the same operations at the same visits. The model tests (test/model/) cover the same with
// collection in between; this table names the cases.
type Mutation = { name: string; at: number; apply: (ops: Ops) => void };
interface Ops {
  add(i: number): void;
  remove(i: number): void;
  clear(): void;
}

const MUTATIONS: Mutation[] = [
  { name: "delete the entry just visited", at: 2, apply: (o) => o.remove(2) },
  { name: "delete the next entry", at: 2, apply: (o) => o.remove(3) },
  { name: "delete an entry already visited", at: 3, apply: (o) => o.remove(0) },
  { name: "delete every entry ahead", at: 1, apply: (o) => [2, 3, 4, 5].forEach((i) => o.remove(i)) },
  { name: "add new entries", at: 2, apply: (o) => [10, 11].forEach((i) => o.add(i)) },
  { name: "delete the visited entry and add it again (it comes again, at the end)", at: 2, apply: (o) => (o.remove(2), o.add(2)) },
  { name: "overwrite an entry ahead (keeps its place)", at: 1, apply: (o) => o.add(4) },
  { name: "clear", at: 2, apply: (o) => o.clear() },
  { name: "clear, then add", at: 2, apply: (o) => (o.clear(), o.add(20), o.add(1)) },
  { name: "delete most entries (the table compacts under the iterator), then add", at: 0, apply: (o) => ([1, 2, 3, 4].forEach((i) => o.remove(i)), o.add(30)) },
];

interface Kind {
  name: string;
  /** A container with entries 0..5 and its native twin, plus their iteration as entry numbers. */
  make(): { ours: Ops & { visit(): Iterator<number> }; theirs: Ops & { visit(): Iterator<number> } };
}

const objects = Array.from({ length: 40 }, (_, i) => ({ i }));

function mapOps<K>(map: { set(k: K, v: object): unknown; delete(k: K): unknown; clear(): void; keys(): Iterator<K> }, key: (i: number) => K, back: (k: K) => number) {
  return {
    add: (i: number) => void map.set(key(i), objects[i]!),
    remove: (i: number) => void map.delete(key(i)),
    clear: () => map.clear(),
    visit: () => {
      const it = map.keys();
      return { next: () => { const s = it.next(); return s.done ? s : { done: false, value: back(s.value) }; } } as Iterator<number>;
    },
  };
}

const KINDS: Kind[] = [
  {
    name: "WeakValueMap, number keys",
    make: () => ({ ours: mapOps(new WeakValueMap<number, object>(), (i) => i, (k) => k), theirs: mapOps(new Map<number, object>(), (i) => i, (k) => k) }),
  },
  {
    name: "WeakValueMap, string keys",
    make: () => ({
      ours: mapOps(new WeakValueMap<string, object>(), (i) => `k${i}`, (k) => Number(k.slice(1))),
      theirs: mapOps(new Map<string, object>(), (i) => `k${i}`, (k) => Number(k.slice(1))),
    }),
  },
  {
    name: "IterableWeakMap",
    make: () => ({
      ours: mapOps(new IterableWeakMap<object, object>(), (i) => objects[i]!, (k) => (k as { i: number }).i),
      theirs: mapOps(new Map<object, object>(), (i) => objects[i]!, (k) => (k as { i: number }).i),
    }),
  },
  {
    name: "IterableWeakSet",
    make: () => {
      const setOps = (set: { add(v: object): unknown; delete(v: object): unknown; clear(): void; values(): Iterator<object> }) => ({
        add: (i: number) => void set.add(objects[i]!),
        remove: (i: number) => void set.delete(objects[i]!),
        clear: () => set.clear(),
        visit: () => {
          const it = set.values();
          return { next: () => { const s = it.next(); return s.done ? s : { done: false, value: (s.value as { i: number }).i }; } } as Iterator<number>;
        },
      });
      return { ours: setOps(new IterableWeakSet<object>()), theirs: setOps(new Set<object>()) };
    },
  },
];

function iterateMutating(side: Ops & { visit(): Iterator<number> }, mutation: Mutation, other: Ops): number[] {
  for (let i = 0; i < 6; i++) side.add(i);
  const seen: number[] = [];
  const it = side.visit();
  for (let step = it.next(); !step.done; step = it.next()) {
    seen.push(step.value);
    if (seen.length === mutation.at + 1) {
      mutation.apply(side);
      mutation.apply(other); // the same mutation of another container changes nothing here
    }
    if (seen.length > 50) break;
  }
  return seen;
}

describe("mutation during iteration behaves as Map/Set", () => {
  for (const kind of KINDS) {
    it.each(MUTATIONS)(`${kind.name}: $name`, (mutation) => {
      const { ours, theirs } = kind.make();
      const { ours: otherOurs } = kind.make();
      const expected = iterateMutating(theirs, mutation, kind.make().theirs);
      expect(iterateMutating(ours, mutation, otherOurs)).toEqual(expected);
      const rest = (side: { visit(): Iterator<number> }) => {
        const out: number[] = [];
        const it = side.visit();
        for (let s = it.next(); !s.done; s = it.next()) out.push(s.value);
        return out;
      };
      expect(rest(ours)).toEqual(rest(theirs));
    });
  }

  it("iterating one container inside another's iteration while both change", () => {
    const a = new WeakValueMap<number, object>();
    const b = new IterableWeakSet<object>();
    for (let i = 0; i < 6; i++) {
      a.set(i, objects[i]!);
      b.add(objects[i]!);
    }
    const pairs: string[] = [];
    for (const [key] of a) {
      for (const element of b) {
        pairs.push(`${key}:${(element as { i: number }).i}`);
        b.delete(element);
        if (key === 0) a.delete(5);
        break;
      }
      b.add(objects[20 + key]!);
    }
    expect(pairs).toEqual(["0:0", "1:1", "2:2", "3:3", "4:4"]);
    expect([...a.keys()]).toEqual([0, 1, 2, 3, 4]);
  });
});
