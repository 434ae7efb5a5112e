// Shared by the test/refs files. Objects a test expects to be collected are made inside helper
// functions, so that no local variable of the test body keeps them alive.
import { expect } from "vitest";
import { collect } from "../../src/testing/index.js";

/** Values that cannot be weakly referenced, with the word the TypeError message must contain. */
export const NOT_WEAKABLE: ReadonlyArray<readonly [unknown, string]> = [
  [1, "number"],
  ["text", "string"],
  [true, "boolean"],
  [undefined, "undefined"],
  [null, "null"],
  [10n, "bigint"],
  [Symbol.for("weaktable registered"), "symbol"],
];

/** Callback arguments that are neither a function nor undefined. */
export const NOT_CALLBACKS: readonly unknown[] = [null, 1, "f", {}, true];

/**
 * A WeakRef to a fresh object made by `attach`, which may create references to the object; only
 * what `attach` returns is kept. The object itself is referenced by nothing else.
 */
export function makeWatched<R>(attach: (obj: { name: string }) => R, name = "watched"): [WeakRef<object>, R] {
  const obj = { name };
  return [new WeakRef(obj), attach(obj)];
}

/** Resolves once `wr`'s target has been collected and every library callback has run. */
export async function collected(wr: WeakRef<object>): Promise<void> {
  await collect(() => wr.deref() === undefined);
}

/** Asserts that `wr`'s target survives several rounds of full collection (a bounded wait). */
export async function expectStaysAlive(wr: WeakRef<object>, timeoutMs = 300): Promise<void> {
  await expect(collect(() => wr.deref() === undefined, { timeoutMs })).rejects.toThrow(/until\(\) was still false/);
}
