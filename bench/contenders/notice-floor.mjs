// The notice floor: the deref floor (a WeakRef[] indexed by the dense integer key) plus the one
// thing that gives a weak-value container an exact size, a FinalizationRegistry registration per
// entry whose notice empties the entry's cell and counts it down. No hashing, no key storage, no
// unregister token (nothing here is overwritten or deleted early), so it is the least any weak
// map with collection notices can cost on this engine: its bytes per entry are the WeakRef, the
// registration and one array cell, its spawn is `new WeakRef` plus `register`, its reaping the
// engine's cleanup job calling one tiny function per notice.
//
// It takes part only where that is what is asked (the cases listed in contenders/index.mjs):
// game (spawn+destroy incl. reaping), churn and memory, all of which insert each key once and
// never delete it early. `set` of a key that is already present throws instead of doing the
// bookkeeping an overwrite needs (the unregister token, a check in the notice), which is not free.

import { MapAdapter } from "./adapters.mjs";

export const info = {
  name: "notice-floor",
  label: "notice floor",
  description: "WeakRef[] indexed by id + one FinalizationRegistry registration per entry (exact size, no hashing: the least a weak map with notices costs)",
  strong: false,
  exactSize: true,
};

class NoticeFloor {
  /** @type {Array<WeakRef<object> | undefined>} */
  refs = [];
  live = 0;
  registry = new FinalizationRegistry((/** @type {number} */ k) => {
    this.refs[k] = undefined;
    this.live--;
  });
  /** @param {number} k @param {object} v */
  set(k, v) {
    if (this.refs[k] !== undefined) throw new Error(`notice floor: key ${k} set twice (the floor does not overwrite)`);
    this.refs[k] = new WeakRef(v);
    this.registry.register(v, k);
    this.live++;
  }
  /** @param {number} k */
  get(k) {
    const r = this.refs[k];
    return r === undefined ? undefined : r.deref();
  }
  /** @param {number} _k */
  delete(_k) {
    throw new Error("notice floor: delete is not part of the floor (the cases that run it never delete early)");
  }
  get size() {
    return this.live;
  }
}

export const make = {
  map: () => new MapAdapter(/** @type {any} */ (new NoticeFloor())),
};
export const create = make.map;
export const empty = () => new NoticeFloor();
