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

/**
 * Throws the TypeError for a value that cannot be weakly referenced. `where` names the call
 * ("WeakValueMap.set"), `what` the argument ("value").
 */
export function assertWeakable(value: unknown, where: string, what: string): asserts value is WeakKey {
  if (canBeHeldWeakly(value)) return;
  const registered = typeof value === "symbol" ? " registered" : "";
  throw new TypeError(
    `weaktable: ${where}: the ${what} cannot be weakly referenced (got a${registered} ${typeName(value)}); ` +
      `use an object, a function${SYMBOLS_HOLDABLE ? " or a non-registered symbol" : ""}. Nothing was changed.`,
  );
}

/** Throws the TypeError for a callback that is neither a function nor undefined. */
export function assertCallback(value: unknown, where: string, what: string): void {
  if (value === undefined || typeof value === "function") return;
  throw new TypeError(
    `weaktable: ${where}: the ${what} must be a function or undefined (got ${typeName(value)}). Nothing was changed.`,
  );
}

/** Throws the TypeError for a required function argument (`assertCallback` also accepts undefined). */
export function assertFunction(value: unknown, where: string, what: string): asserts value is (...args: never[]) => unknown {
  if (typeof value === "function") return;
  throw new TypeError(`weaktable: ${where}: the ${what} must be a function (got ${typeName(value)}). Nothing was changed.`);
}

/** Throws the TypeError for an argument that must be iterable. */
export function assertIterable(value: unknown, where: string, what: string): asserts value is Iterable<unknown> {
  if (value != null && typeof (value as { [Symbol.iterator]?: unknown })[Symbol.iterator] === "function") return;
  throw new TypeError(`weaktable: ${where}: the ${what} must be iterable (got ${typeName(value)}). Nothing was changed.`);
}

/** Thrown when WebAssembly memory cannot grow; the container that asked is unchanged. */
export function outOfMemory(detail: string): RangeError {
  return new RangeError(`weaktable: WebAssembly memory cannot grow (${detail}); the container is unchanged`);
}

/** A broken internal invariant: always a bug in weaktable, never the user's fault. */
export class InternalError extends Error {
  override name = "InternalError";
}
