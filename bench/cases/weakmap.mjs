// weakmap: IterableWeakMap against the TC39 proposal's IterableWeakMap (matrix and metrics in iterable.mjs).
import { makeIterableCase } from "./iterable.mjs";

export const { info, run } = makeIterableCase("weakmap");
