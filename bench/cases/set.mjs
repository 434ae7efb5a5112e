// set: IterableWeakSet against the TC39 proposal's pattern (matrix and metrics in iterable.mjs).
import { makeIterableCase } from "./iterable.mjs";

export const { info, run } = makeIterableCase("set");
