// User-facing errors. Every message a user can see is made here, so they read alike and the
// behaviour they describe (nothing was changed) is promised in one place.

/** Whether this engine lets a (non-registered) symbol be held weakly. */
const SYMBOLS_HOLDABLE: boolean = (() => {
  try {
    new WeakRef(Symbol("weaktable probe") as unknown as object);
    return true;
  } catch {
    return false;
  }
})();

/** True for what `WeakRef`, `WeakMap` and `FinalizationRegistry` accept. */
export function canBeHeldWeakly(value: unknown): value is WeakKey {
  const type = typeof value;
  if (type === "object") return value !== null;
  if (type === "function") return true;
  if (type === "symbol") return SYMBOLS_HOLDABLE && Symbol.keyFor(value as symbol) === undefined;
  return false;
}

/** The type name an error message gives: `typeof value`, with "null" for null. */
export function typeName(value: unknown): string {
  return value === null ? "null" : typeof value;
}

/** The type name with its article, as a message says it: "undefined", "null", "a number", "an object". */
function aTypeName(value: unknown, qualifier = ""): string {
  const name = (qualifier === "" ? "" : qualifier + " ") + typeName(value);
  if (value === undefined || value === null) return name;
  return (/^[aeiou]/.test(name) ? "an " : "a ") + name;
}

/** What a receiver is, for `wrongReceiver`: its type, or for an object its class tag. */
function describeReceiver(value: unknown, expected: string): string {
  if (value === null || (typeof value !== "object" && typeof value !== "function")) return aTypeName(value);
  let tag: string;
  try {
    tag = Object.prototype.toString.call(value).slice(8, -1);
  } catch {
    tag = "Object"; // a revoked Proxy
  }
  // Object.create(WeakValueMap.prototype) inherits the tag without being one.
  return tag === expected ? `an object that only inherits from ${expected}.prototype` : `${/^[AEIOU]/.test(tag) ? "an" : "a"} ${tag}`;
}

/** The TypeError of a method called on something that is not its class's instance (`this` check). */
export function wrongReceiver(where: string, expected: string, receiver: unknown): TypeError {
  return new TypeError(
    `weaktable: ${where}: \`this\` must be ${/^[AEIOU]/.test(expected) ? "an" : "a"} ${expected} (got ${describeReceiver(receiver, expected)}). Nothing was changed.`,
  );
}

/** The TypeError of an entry that is not a `[key, value]` object. */
export function badEntry(where: string, entry: unknown): TypeError {
  return new TypeError(
    `weaktable: ${where}: each entry must be a [key, value] pair, an object (got ${aTypeName(entry)}). Nothing was changed.`,
  );
}

/** The RangeError of a registry that has used every safe integer as an id. */
export function idsExhausted(): RangeError {
  return new RangeError("weaktable: IdRegistry has handed out every id it can (each slot gives 2^28 - 1, all of them safe integers)");
}

/** The errors of a bad Set-like argument of the set methods (ES2025 GetSetRecord, plus iterables). */
export function badSetLike(where: string, problem: "not-object" | "no-size" | "size-nan" | "size-negative" | "has" | "keys" | "iterator-result" | "keys-iterator" | "return-result", value?: unknown): TypeError | RangeError {
  const prefix = `weaktable: ${where}: `;
  switch (problem) {
    case "not-object":
      return new TypeError(`${prefix}the other set must be a Set, a Set-like object (size, has, keys) or an iterable object (got ${aTypeName(value)})`);
    case "no-size":
      return new TypeError(`${prefix}the other set must be a Set, a Set-like object (size, has, keys) or an iterable object (got an object with no size that is not iterable)`);
    case "size-nan":
      return new TypeError(`${prefix}the other set's size must convert to a number (got ${aTypeName(value)} that converts to NaN)`);
    case "size-negative":
      return new RangeError(`${prefix}the other set's size must not be negative (got ${String(value)})`);
    case "has":
      return new TypeError(`${prefix}the other set's has must be a function (got ${aTypeName(value)})`);
    case "keys":
      return new TypeError(`${prefix}the other set's keys must be a function (got ${aTypeName(value)})`);
    case "keys-iterator":
      return new TypeError(`${prefix}the other set's keys() must return an object (got ${aTypeName(value)})`);
    case "return-result":
      return new TypeError(`${prefix}the other set's keys() iterator returned ${aTypeName(value)} from return(), not an object`);
    case "iterator-result":
      return new TypeError(`${prefix}the other set's keys() iterator returned ${aTypeName(value)} from next(), not an object`);
  }
}

/**
 * Throws the TypeError for a value that cannot be weakly referenced. `where` names the call
 * ("WeakValueMap.set"), `what` the argument ("value").
 */
export function assertWeakable(value: unknown, where: string, what: string): asserts value is WeakKey {
  if (canBeHeldWeakly(value)) return;
  const registered = typeof value === "symbol" ? "registered" : "";
  throw new TypeError(
    `weaktable: ${where}: the ${what} cannot be weakly referenced (got ${aTypeName(value, registered.trim())}); ` +
      `use an object, a function${SYMBOLS_HOLDABLE ? " or a non-registered symbol" : ""}. Nothing was changed.`,
  );
}

/** Throws the TypeError for a callback that is neither a function nor undefined. */
export function assertCallback(value: unknown, where: string, what: string): void {
  if (value === undefined || typeof value === "function") return;
  throw new TypeError(
    `weaktable: ${where}: the ${what} must be a function or undefined (got ${aTypeName(value)}). Nothing was changed.`,
  );
}

/** Throws the TypeError for a required function argument (`assertCallback` also accepts undefined). */
export function assertFunction(value: unknown, where: string, what: string): asserts value is (...args: never[]) => unknown {
  if (typeof value === "function") return;
  throw new TypeError(`weaktable: ${where}: the ${what} must be a function (got ${aTypeName(value)}). Nothing was changed.`);
}

/** Throws the TypeError for an argument that must be iterable (`what`: "argument", "entries", ...). */
export function assertIterable(value: unknown, where: string, what: string): asserts value is Iterable<unknown> {
  if (value != null && typeof (value as { [Symbol.iterator]?: unknown })[Symbol.iterator] === "function") return;
  throw new TypeError(`weaktable: ${where}: the ${what} must be iterable (got ${aTypeName(value)}). Nothing was changed.`);
}

/** The exact message of the ReferenceError every operation on a dead proxy throws (CPython's). */
export const DEAD_PROXY_MESSAGE = "weakly-referenced object no longer exists";

/** What every operation on a weak proxy throws once its referent was collected. */
export function deadProxy(): ReferenceError {
  return new ReferenceError(DEAD_PROXY_MESSAGE);
}

/** `proxy(symbol)`: a symbol can be weakly held, but has no properties of its own to forward. */
export function proxyOfSymbol(): TypeError {
  return new TypeError("weaktable: proxy: the referent must be an object or a function (got a symbol). Nothing was changed.");
}

/**
 * What a weak proxy refuses to do because a Proxy could only report it with copies of the
 * referent's properties on its own target, which would keep their values alive.
 */
export function proxyCannotFix(operation: string): TypeError {
  return new TypeError(
    `weaktable: proxy: cannot ${operation} through a weak proxy (a Proxy may only report that if its own ` +
      `target holds copies of the properties, which would keep their values alive); do it on the referent. Nothing was changed.`,
  );
}

/** Thrown when WebAssembly memory cannot grow; the container that asked is unchanged. */
export function outOfMemory(detail: string): RangeError {
  return new RangeError(`weaktable: WebAssembly memory cannot grow (${detail}); the container is unchanged`);
}

/** A broken internal invariant: always a bug in weaktable, never the user's fault. */
export class InternalError extends Error {
  override name = "InternalError";
}
