// Bad input, table-driven: every public function and constructor of WeakValueMap, IterableWeakMap,
// IterableWeakSet and IdRegistry, plus id/id2obj (and collect from weaktable/testing), given wrong
// types. One body over the matrix:
//   - what stores or creates a weak reference, given what cannot be weakly referenced (primitives,
//     null, registered symbols): TypeError whose message names the call, the argument and
//     `typeof value` ("null" for null, "symbol" for a registered symbol);
//   - a callback that is neither a function nor undefined, an iterable argument that is not
//     iterable: TypeError naming the call, the argument and the type;
//   - lookups given such values, and ids that are not positive safe integers: find nothing
//     (undefined / false), without throwing;
// and in every case nothing changes: the full contents before and after are compared.
import { describe, expect, it } from "vitest";
import { IdRegistry, IterableWeakMap, IterableWeakSet, WeakValueMap, id, id2obj } from "../../src/index.js";
import { collect } from "../../src/testing/index.js";

/** `typeof value`, "null" for null: what every such message must contain. */
const typeName = (value: unknown) => (value === null ? "null" : typeof value);

/** Cannot be weakly referenced (a non-registered symbol can, on this engine). */
const NOT_WEAKABLE: readonly unknown[] = [0, 1.5, NaN, "", "text", true, false, undefined, null, 10n, Symbol.for("weaktable registered")];
/** Neither a function nor undefined. */
const NOT_CALLBACKS: readonly unknown[] = [null, 0, "f", true, {}, [], Symbol("s"), 1n];
/** Not iterable (and not null/undefined, which some calls take as "nothing"). */
const NOT_ITERABLES: readonly unknown[] = [0, true, {}, Symbol("s"), 1n, () => {}];
/** Not ids a registry hands out. */
const NOT_IDS: readonly unknown[] = [0, -0, -1, 0.5, 1.5, NaN, Infinity, -Infinity, 2 ** 53, Number.MAX_VALUE, "1", null, undefined, true, {}, 1n, Symbol("1")];

const held = Array.from({ length: 6 }, (_, i) => ({ i }));
const fn = () => held[0]!;

type Any = any; // eslint-disable-line @typescript-eslint/no-explicit-any

interface Fixture {
  container: Any;
  /** Everything observable about the container's contents. */
  snapshot(): unknown;
}

const fixtures: Record<string, () => Fixture> = {
  WeakValueMap: () => {
    const map = new WeakValueMap<unknown, object>([[1, held[0]!], ["b", held[1]!], [null, held[2]!]]);
    return { container: map, snapshot: () => [map.size, map.stats().size, [...map], ...[1, "b", null, "new", 0].map((k) => map.get(k))] };
  },
  IterableWeakMap: () => {
    const map = new IterableWeakMap<object, unknown>([[held[0]!, 1], [held[1]!, "b"]]);
    return { container: map, snapshot: () => [map.size, map.stats().size, [...map], ...held.map((k) => map.get(k))] };
  },
  "IterableWeakMap with onCollect": () => {
    const map = new IterableWeakMap<object, unknown>([[held[0]!, 1], [held[1]!, "b"]], { onCollect: () => {} });
    return { container: map, snapshot: () => [map.size, map.stats().size, [...map], ...held.map((k) => map.get(k))] };
  },
  IterableWeakSet: () => {
    const set = new IterableWeakSet<object>([held[0]!, held[1]!]);
    return { container: set, snapshot: () => [set.size, set.stats().size, [...set], ...held.map((k) => set.has(k))] };
  },
  IdRegistry: () => {
    const registry = new IdRegistry<object>();
    registry.remember(held[0]!);
    registry.remember(held[1]!);
    return {
      container: registry,
      snapshot: () => [registry.size, registry.stats().size, [...registry], ...held.map((k) => registry.idOf(k)), registry.get(1), registry.get(2), registry.get(3)],
    };
  },
};

/** A call that must throw a TypeError for `bad`, naming `where` and `what`. */
interface Rejects {
  call: string;
  fixture: keyof typeof fixtures | "none";
  bads: readonly unknown[];
  run(container: Any, bad: unknown): unknown;
  /** Words the message must contain besides `typeof bad` (the call, the argument). */
  mentions: readonly string[];
  /** Also: a callback passed along must not have been called. */
  noCallback?: boolean;
}

const weakValueMapRejects: Rejects[] = [
  { call: "new WeakValueMap(entries)", fixture: "none", bads: NOT_WEAKABLE, run: (_c, bad) => new WeakValueMap([["k", held[0]], ["x", bad]] as Any), mentions: ["new WeakValueMap", "value"] },
  { call: "new WeakValueMap(not iterable)", fixture: "none", bads: NOT_ITERABLES, run: (_c, bad) => new WeakValueMap(bad as Any), mentions: ["new WeakValueMap", "iterable"] },
  { call: "new WeakValueMap(entries that are not pairs)", fixture: "none", bads: [1, "ab", true, null, undefined, 1n], run: (_c, bad) => new WeakValueMap([bad] as Any), mentions: ["new WeakValueMap", "[key, value]"] },
  { call: "new WeakValueMap(null, { onCollect })", fixture: "none", bads: NOT_CALLBACKS, run: (_c, bad) => new WeakValueMap(null, { onCollect: bad as Any }), mentions: ["new WeakValueMap", "onCollect"] },
  { call: "WeakValueMap.set(new key, value)", fixture: "WeakValueMap", bads: NOT_WEAKABLE, run: (c, bad) => c.set("new", bad), mentions: ["WeakValueMap.set", "value"] },
  { call: "WeakValueMap.set(existing key, value)", fixture: "WeakValueMap", bads: NOT_WEAKABLE, run: (c, bad) => c.set(1, bad), mentions: ["WeakValueMap.set", "value"] },
  { call: "WeakValueMap.setDefault", fixture: "WeakValueMap", bads: NOT_WEAKABLE, run: (c, bad) => c.setDefault("new", bad), mentions: ["WeakValueMap", "value"] },
  { call: "WeakValueMap.getOrInsert", fixture: "WeakValueMap", bads: NOT_WEAKABLE, run: (c, bad) => c.getOrInsert("new", bad), mentions: ["WeakValueMap", "value"] },
  { call: "WeakValueMap.getOrInsertComputed(key, () => value)", fixture: "WeakValueMap", bads: NOT_WEAKABLE, run: (c, bad) => c.getOrInsertComputed("new", () => bad), mentions: ["WeakValueMap.getOrInsertComputed", "value"] },
  { call: "WeakValueMap.getOrInsertComputed(key, callback)", fixture: "WeakValueMap", bads: NOT_CALLBACKS, run: (c, bad) => c.getOrInsertComputed("new", bad), mentions: ["WeakValueMap.getOrInsertComputed", "callback"] },
  { call: "WeakValueMap.update(entries)", fixture: "WeakValueMap", bads: NOT_WEAKABLE, run: (c, bad) => c.update([["u1", held[3]], ["u2", bad]]), mentions: ["WeakValueMap.update", "value"] },
  { call: "WeakValueMap.update(not iterable)", fixture: "WeakValueMap", bads: [...NOT_ITERABLES, null, undefined], run: (c, bad) => c.update(bad), mentions: ["WeakValueMap.update", "iterable"] },
  { call: "WeakValueMap.forEach(callback)", fixture: "WeakValueMap", bads: [...NOT_CALLBACKS, undefined], run: (c, bad) => c.forEach(bad), mentions: ["WeakValueMap.forEach", "callback"] },
];

function iterableWeakMapRejects(fixture: "IterableWeakMap" | "IterableWeakMap with onCollect"): Rejects[] {
  return [
    { call: "IterableWeakMap.set(key)", fixture, bads: NOT_WEAKABLE, run: (c, bad) => c.set(bad, 1), mentions: ["IterableWeakMap.set", "key"] },
    { call: "IterableWeakMap.setDefault(key)", fixture, bads: NOT_WEAKABLE, run: (c, bad) => c.setDefault(bad, 1), mentions: ["IterableWeakMap", "key"] },
    { call: "IterableWeakMap.getOrInsert(key)", fixture, bads: NOT_WEAKABLE, run: (c, bad) => c.getOrInsert(bad, 1), mentions: ["IterableWeakMap", "key"] },
    // WeakMap.prototype.getOrInsertComputed checks the key before it calls back (proposal-upsert).
    { call: "IterableWeakMap.getOrInsertComputed(key, callback)", fixture, bads: NOT_WEAKABLE, run: (c, bad) => c.getOrInsertComputed(bad, spyCallback), mentions: ["IterableWeakMap", "key"], noCallback: true },
    { call: "IterableWeakMap.getOrInsertComputed(key, not a callback)", fixture, bads: NOT_CALLBACKS, run: (c, bad) => c.getOrInsertComputed(held[4], bad), mentions: ["IterableWeakMap.getOrInsertComputed", "callback"] },
    { call: "IterableWeakMap.update(entries)", fixture, bads: NOT_WEAKABLE, run: (c, bad) => c.update([[held[3], 3], [bad, 4]]), mentions: ["IterableWeakMap.update", "key"] },
    { call: "IterableWeakMap.update(not iterable)", fixture, bads: [...NOT_ITERABLES, null, undefined], run: (c, bad) => c.update(bad), mentions: ["IterableWeakMap.update", "iterable"] },
    { call: "IterableWeakMap.forEach(callback)", fixture, bads: [...NOT_CALLBACKS, undefined], run: (c, bad) => c.forEach(bad), mentions: ["IterableWeakMap.forEach", "callback"] },
  ];
}

const constructorRejects: Rejects[] = [
  { call: "new IterableWeakMap(entries)", fixture: "none", bads: NOT_WEAKABLE, run: (_c, bad) => new IterableWeakMap([[held[0], 1], [bad, 2]] as Any), mentions: ["new IterableWeakMap", "key"] },
  { call: "new IterableWeakMap(not iterable)", fixture: "none", bads: NOT_ITERABLES, run: (_c, bad) => new IterableWeakMap(bad as Any), mentions: ["new IterableWeakMap", "iterable"] },
  { call: "new IterableWeakMap(null, { onCollect })", fixture: "none", bads: NOT_CALLBACKS, run: (_c, bad) => new IterableWeakMap(null, { onCollect: bad as Any }), mentions: ["new IterableWeakMap", "onCollect"] },
  { call: "new IterableWeakSet(iterable)", fixture: "none", bads: NOT_WEAKABLE, run: (_c, bad) => new IterableWeakSet([held[0], bad] as Any), mentions: ["new IterableWeakSet", "element"] },
  { call: "new IterableWeakSet(not iterable)", fixture: "none", bads: NOT_ITERABLES, run: (_c, bad) => new IterableWeakSet(bad as Any), mentions: ["new IterableWeakSet", "iterable"] },
];

const ALGEBRA = ["union", "intersection", "difference", "symmetricDifference", "isSubsetOf", "isSupersetOf", "isDisjointFrom"] as const;

const iterableWeakSetRejects: Rejects[] = [
  { call: "IterableWeakSet.add", fixture: "IterableWeakSet", bads: NOT_WEAKABLE, run: (c, bad) => c.add(bad), mentions: ["IterableWeakSet.add", "value"] },
  { call: "IterableWeakSet.union([... value])", fixture: "IterableWeakSet", bads: NOT_WEAKABLE, run: (c, bad) => c.union([held[3], bad]), mentions: ["IterableWeakSet.union"] },
  { call: "IterableWeakSet.symmetricDifference([... value])", fixture: "IterableWeakSet", bads: NOT_WEAKABLE, run: (c, bad) => c.symmetricDifference([held[3], bad]), mentions: ["IterableWeakSet.symmetricDifference"] },
  ...ALGEBRA.map(
    (method): Rejects => ({
      call: `IterableWeakSet.${method}(not iterable)`,
      fixture: "IterableWeakSet",
      bads: [...NOT_ITERABLES.filter((x) => typeof x !== "function"), null, undefined],
      run: (c, bad) => c[method](bad),
      mentions: [`IterableWeakSet.${method}`, "iterable"],
    }),
  ),
  { call: "IterableWeakSet.forEach(callback)", fixture: "IterableWeakSet", bads: [...NOT_CALLBACKS, undefined], run: (c, bad) => c.forEach(bad), mentions: ["IterableWeakSet.forEach", "callback"] },
];

const idRejects: Rejects[] = [
  { call: "IdRegistry.remember", fixture: "IdRegistry", bads: NOT_WEAKABLE, run: (c, bad) => c.remember(bad), mentions: ["IdRegistry.remember"] },
  { call: "id()", fixture: "none", bads: NOT_WEAKABLE, run: (_c, bad) => id(bad as Any), mentions: ["weaktable: id:"] },
];

let spyCalls = 0;
function spyCallback(): number {
  spyCalls++;
  return 1;
}

const REJECTS: Rejects[] = [
  ...weakValueMapRejects,
  ...iterableWeakMapRejects("IterableWeakMap"),
  ...iterableWeakMapRejects("IterableWeakMap with onCollect"),
  ...constructorRejects,
  ...iterableWeakSetRejects,
  ...idRejects,
];

const ROWS = REJECTS.flatMap((row) => row.bads.map((bad) => ({ row, bad, label: `${row.call} given ${describe_(bad)}` })));

function describe_(value: unknown): string {
  if (typeof value === "symbol") return Symbol.keyFor(value) !== undefined ? "a registered symbol" : "a symbol";
  if (typeof value === "bigint") return `${value}n`;
  if (typeof value === "function") return "a function";
  if (typeof value === "string") return JSON.stringify(value);
  if (Array.isArray(value)) return "[]";
  if (typeof value === "object" && value !== null) return "{}";
  return Object.is(value, -0) ? "-0" : String(value);
}

describe("bad input: a TypeError naming the call, the argument and the type, and nothing changed", () => {
  it.each(ROWS)("$label", ({ row, bad }) => {
    const fixture = row.fixture === "none" ? undefined : fixtures[row.fixture]!();
    const before = fixture?.snapshot();
    const idBefore = id(held[5]!);
    spyCalls = 0;
    let error: unknown;
    try {
      row.run(fixture?.container, bad);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(TypeError);
    const message = (error as Error).message;
    for (const word of row.mentions) expect(message).toContain(word);
    expect(message).toContain(typeName(bad));
    if (typeof bad === "symbol" && Symbol.keyFor(bad) !== undefined && row.mentions.includes("value")) expect(message).toContain("registered");
    if (row.noCallback) expect(spyCalls, "the callback must not run for a key that cannot be stored").toBe(0);
    if (fixture !== undefined) expect(fixture.snapshot()).toEqual(before);
    expect(id(held[5]!)).toBe(idBefore); // the default registry is untouched
  });
});

/** A lookup given bad input: finds nothing, throws nothing, changes nothing. */
interface FindsNothing {
  call: string;
  fixture: keyof typeof fixtures | "none";
  bads: readonly unknown[];
  run(container: Any, bad: unknown): unknown;
  expected: unknown;
}

const FINDS_NOTHING: FindsNothing[] = [
  ...(["IterableWeakMap", "IterableWeakMap with onCollect"] as const).flatMap((fixture): FindsNothing[] => [
    { call: `${fixture}: get`, fixture, bads: NOT_WEAKABLE, run: (c, bad) => c.get(bad), expected: undefined },
    { call: `${fixture}: has`, fixture, bads: NOT_WEAKABLE, run: (c, bad) => c.has(bad), expected: false },
    { call: `${fixture}: delete`, fixture, bads: NOT_WEAKABLE, run: (c, bad) => c.delete(bad), expected: false },
    { call: `${fixture}: pop`, fixture, bads: NOT_WEAKABLE, run: (c, bad) => c.pop(bad), expected: undefined },
  ]),
  { call: "IterableWeakSet.has", fixture: "IterableWeakSet", bads: NOT_WEAKABLE, run: (c, bad) => c.has(bad), expected: false },
  { call: "IterableWeakSet.delete", fixture: "IterableWeakSet", bads: NOT_WEAKABLE, run: (c, bad) => c.delete(bad), expected: false },
  { call: "IterableWeakSet.isSubsetOf([... value])", fixture: "IterableWeakSet", bads: NOT_WEAKABLE, run: (c, bad) => c.isSubsetOf([bad]), expected: false },
  { call: "IterableWeakSet.isDisjointFrom([... value])", fixture: "IterableWeakSet", bads: NOT_WEAKABLE, run: (c, bad) => c.isDisjointFrom([bad]), expected: true },
  { call: "IterableWeakSet.intersection([... value]).size", fixture: "IterableWeakSet", bads: NOT_WEAKABLE, run: (c, bad) => c.intersection([bad]).size, expected: 0 },
  { call: "IdRegistry.idOf", fixture: "IdRegistry", bads: NOT_WEAKABLE, run: (c, bad) => c.idOf(bad), expected: undefined },
  { call: "IdRegistry.get", fixture: "IdRegistry", bads: NOT_IDS, run: (c, bad) => c.get(bad), expected: undefined },
  { call: "IdRegistry.has", fixture: "IdRegistry", bads: NOT_IDS, run: (c, bad) => c.has(bad), expected: false },
  { call: "IdRegistry.forget", fixture: "IdRegistry", bads: NOT_IDS, run: (c, bad) => c.forget(bad), expected: false },
  { call: "id2obj", fixture: "none", bads: NOT_IDS, run: (_c, bad) => id2obj(bad as Any), expected: undefined },
];

describe("bad input to lookups: finds nothing, throws nothing, changes nothing", () => {
  const rows = FINDS_NOTHING.flatMap((row) => row.bads.map((bad) => ({ row, bad, label: `${row.call} given ${describe_(bad)}` })));
  it.each(rows)("$label", ({ row, bad }) => {
    const fixture = row.fixture === "none" ? undefined : fixtures[row.fixture]!();
    const before = fixture?.snapshot();
    expect(row.run(fixture?.container, bad)).toEqual(row.expected);
    if (fixture !== undefined) expect(fixture.snapshot()).toEqual(before);
  });

  it("a WeakValueMap takes any key: wrong-looking keys are just keys", () => {
    const map = fixtures.WeakValueMap!().container as WeakValueMap<unknown, object>;
    for (const key of [...NOT_WEAKABLE, ...NOT_IDS]) {
      map.set(key, held[5]!);
      expect(map.get(key)).toBe(held[5]);
      expect(map.delete(key)).toBe(true);
    }
  });
});

describe("bad input to weaktable/testing", () => {
  it.each(NOT_CALLBACKS.filter((x) => x !== null))("collect(until) rejects %s with a TypeError", async (bad) => {
    await expect(collect(bad as never)).rejects.toThrow(TypeError);
  });
});
