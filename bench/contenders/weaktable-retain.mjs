// weaktable+retain: weaktable's WeakValueMap with the `retain` option (issue 14), holding the
// 10% most recently used values strongly besides its weak references. It takes part only in the
// cases that measure what `retain` costs a `get` (game, id2obj), where the other contenders hold
// nothing but weak references (or, for the strong Map, everything): its figures are those of
// `weaktable` plus the tier's bookkeeping on every get.
//
// Its size: the tier keeps up to `retain` values alive that nothing else holds, so after a
// collection its size is the live count plus the dead values the tier still holds, not the live
// count. The cases that check sizes (game) compute that number from the uses they made (the
// `retain` most recently used distinct keys, see `retainedDead` in game.mjs) and require exactly
// it, which lies in [live, live + retain]: the map's `size` is exact for what the map can still
// return, and the check also proves that the right values (and only they) survived.
import { WeakValueMap } from "../../dist/src/index.js";
import { Map_, offHeapBytes as wasmBytes } from "./weaktable.mjs";

/** The share of the case's entries the tier holds. */
export const RETAIN_SHARE = 0.1;

export const info = {
  name: "weaktable+retain",
  label: "wt+retain",
  description: `weaktable's WeakValueMap with { retain: ${RETAIN_SHARE * 100}% of the entries }`,
  strong: false,
  exactSize: true,
};

/** The adapter, with the tier's capacity as `retain` (the cases read it for their size check). */
const mapOf = (/** @type {number} */ entries) => {
  const retain = Math.max(1, Math.round(RETAIN_SHARE * entries));
  const adapter = new Map_(new WeakValueMap(null, { retain }));
  adapter.retain = retain;
  return adapter;
};

export const make = {
  /** @param {{ entries?: number }} [options] the number of entries the case keeps (default 1e4) */
  map: ({ entries = 1e4 } = {}) => mapOf(entries),
};
export const create = make.map;
export const empty = () => new WeakValueMap(null, { retain: 1000 });
export const offHeapBytes = () => wasmBytes();
