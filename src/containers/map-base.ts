// What WeakValueMap, IterableWeakMap and IterableWeakSet share: reading a batch of entries or
// elements once each, and showing a container in util.inspect.
//
// Why no shared base class with the Map methods on it: a method inherited by both maps would be the
// same function on both prototypes, so `WeakValueMap.prototype.getOrInsert.call(iterableWeakMap)`
// could not tell it was called on the wrong class, and, written with `this.get`/`this.set`, would
// even write into a native Map. Each class therefore has its own methods, each checking its own
// `#store` brand (as every Map method checks [[MapData]]), and they share only these helpers.
//
// Batch inserts (constructors, `update`, `union`): each entry is read exactly once, `entry[0]` then
// `entry[1]` (as `new Map` does: an entry may be any object, and a source may hand out one array
// again and again), validated as it comes, and kept as the pair read. Nothing is stored until every
// entry has been read and checked, and room for all of them is reserved, so a rejected batch
// changes nothing. A `for...of` loop closes the source's iterator when the body throws.

import { assertIterable, badEntry } from "../core/errors.js";
import { INSPECT_CUSTOM, type InspectFunction, type InspectOptions } from "../refs/group.js";

export { INSPECT_CUSTOM };

/** Keys and values read from a batch of entries, index by index. */
export interface Entries<K, V> {
  readonly keys: K[];
  readonly values: V[];
}

/**
 * Reads every entry of `entries` once (`entry[0]`, then `entry[1]`), calling `check(key, value)` on
 * each as it comes; throws at the first bad one, after closing the source's iterator.
 */
export function readEntries<K, V>(entries: unknown, where: string, check: (key: K, value: V) => void): Entries<K, V> {
  assertIterable(entries, where, "entries");
  const keys: K[] = [];
  const values: V[] = [];
  for (const entry of entries) {
    if (entry === null || (typeof entry !== "object" && typeof entry !== "function")) throw badEntry(where, entry);
    const key = (entry as { 0: K })[0]; // calls user code (a getter)
    const value = (entry as { 1: V })[1]; // calls user code
    check(key, value);
    keys.push(key);
    values.push(value);
  }
  return { keys, values };
}

/** Reads every element of `iterable` once, checking each as it comes (see `readEntries`). */
export function readElements<T>(iterable: unknown, where: string, check: (value: T) => void): T[] {
  assertIterable(iterable, where, "argument");
  const list: T[] = [];
  for (const value of iterable as Iterable<T>) {
    check(value);
    list.push(value);
  }
  return list;
}

/** `util.inspect` of a container: its live entries, shown as a Map or Set would be, under its own name. */
export function inspectAs(name: string, shown: Map<unknown, unknown> | Set<unknown>, options: InspectOptions | undefined, inspect: InspectFunction | undefined): string {
  if (typeof inspect !== "function") return `${name}(${shown.size}) {}`;
  // "Map(2) {...}" / "Set(2) {...}" -> "Name(2) {...}": both prefixes are three letters.
  return name + inspect(shown, options).slice(3);
}

/** `util.inspect` of an object that has a container's prototype but is not one (`Object.create(WeakValueMap.prototype)`). */
export function inspectHollow(name: string): string {
  return `${name} {}`;
}
