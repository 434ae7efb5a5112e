// IterableWeakMap and IterableWeakSet under the real collector.
import { expect, it } from "vitest";
import { IterableWeakMap, IterableWeakSet } from "../../src/index.js";
import { collect } from "../../src/testing/index.js";

function keys(n: number): Array<object | undefined> {
  return Array.from({ length: n }, (_, i) => ({ i }));
}

it("IterableWeakSet drops collected elements; size is exact after collect()", async () => {
  const elements = keys(1000);
  const set = new IterableWeakSet(elements as object[]);
  for (let i = 0; i < 1000; i += 3) elements[i] = undefined;
  await collect(() => set.size === 666);
  expect([...set]).toEqual(elements.filter((e) => e !== undefined));
});

it("IterableWeakMap drops entries whose keys were collected", async () => {
  const ks = keys(1000);
  const map = new IterableWeakMap<object, number>();
  ks.forEach((k, i) => map.set(k!, i));
  for (let i = 0; i < 1000; i += 2) ks[i] = undefined;
  await collect(() => map.size === 500);
  expect([...map.values()]).toEqual(Array.from({ length: 500 }, (_, j) => 2 * j + 1));
  // Read the holders after collect(): JavaScriptCore does not keep an async function's dead locals
  // alive across await (see "Testing code that depends on collection" in README.md).
  ks.forEach((k, i) => k !== undefined && expect(map.get(k)).toBe(i));
});

it("regression: a value that refers to its own key does not keep the key alive (ephemeron)", async () => {
  const map = new IterableWeakMap<object, { owner: object }>();
  const add = () => {
    const key = {};
    map.set(key, { owner: key });
  };
  for (let i = 0; i < 100; i++) add();
  await collect(() => map.size === 0);
  expect(map.size).toBe(0);
});

it("with onCollect, hands each collected key's value over exactly once", async () => {
  const handed: number[] = [];
  const ks = keys(10);
  const map = new IterableWeakMap<object, number>(null, { onCollect: (value) => handed.push(value) });
  ks.forEach((k, i) => map.set(k!, i));
  map.delete(ks[1]!); // never handed over: deleted, not collected
  ks[0] = ks[1] = ks[2] = undefined;
  await collect(() => handed.length === 2);
  await collect();
  expect(handed.sort()).toEqual([0, 2]);
  expect(map.size).toBe(7);
  expect(ks.filter((k) => k !== undefined && map.has(k))).toHaveLength(7); // the holders, read after collect()
});

it("with onCollect, documents the trade-off: a value referring to its key keeps it alive", async () => {
  const map = new IterableWeakMap<object, { owner: object }>(null, { onCollect: () => {} });
  const add = () => {
    const key = {};
    map.set(key, { owner: key });
  };
  add();
  await collect(); // several full rounds cannot collect the key: the map holds its value strongly
  await collect();
  expect(map.size).toBe(1);
  map.clear(); // the way out
  expect(map.size).toBe(0);
});

it("IterableWeakSet iteration never skips or repeats a live element while others die", async () => {
  const elements = keys(3000);
  const set = new IterableWeakSet(elements as object[]);
  const iterator = set.values();
  const seen: number[] = []; // indices, not the elements: holding them would keep them alive
  for (let i = 0; i < 1000; i++) seen.push((iterator.next().value as { i: number }).i);
  for (let i = 0; i < 3000; i++) if (i % 7 !== 0 && i !== 999) elements[i] = undefined;
  const alive = elements.filter((e) => e !== undefined).length;
  await collect(() => set.size === alive);
  for (let step = iterator.next(); !step.done; step = iterator.next()) seen.push((step.value as { i: number }).i);
  const expected = [...Array.from({ length: 1000 }, (_, i) => i)];
  for (let i = 1000; i < 3000; i++) if (i % 7 === 0) expected.push(i);
  expect(seen).toEqual(expected);
  expect(set.size).toBe(elements.filter((e) => e !== undefined).length); // the holders, read after collect()
});
