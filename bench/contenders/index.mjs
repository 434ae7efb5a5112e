// Every contender, in table order. Each module exports `info`, `make` (per container kind it
// offers, a function returning an adapter: see adapters.mjs), `create()` (= make.map, for the map
// cases), `empty()` (the bare container, for the empty-map case) and optionally `offHeapBytes()`
// (memory outside the V8 heap, e.g. WebAssembly). `kinds` here lists what `make` offers, so the
// orchestrator can plan without loading anything; a case runs the contenders that offer its kind.
// Modules are loaded lazily, so a child process only loads the one it measures.
//
// `weaktable+retain` (a WeakValueMap with `retain` = 10% of the entries) runs only in the cases
// that measure what the option costs a get: id2obj and game.
//
// `notice-floor` (the deref floor plus one registration per entry: the least a weak map with an
// exact size costs) runs only in the cases whose targets it bounds from below: game, churn, memory.
//
// `cpython` is not a JavaScript module: it is bench/python/id2obj.py run by python3 (only when
// python3 is on the machine), for the registry case's id2obj loop against WeakValueDictionary.

/** @type {ReadonlyArray<{ name: string, label: string, file: string, kinds: string[], cases?: string[], external?: boolean }>} */
export const contenders = [
  { name: "map", label: "Map", file: "./map.mjs", kinds: ["map", "set", "weakmap", "registry"] },
  { name: "map-weakref", label: "Map+WR", file: "./map-weakref.mjs", kinds: ["map"] },
  { name: "map-weakref-fr", label: "hand-written", file: "./map-weakref-fr.mjs", kinds: ["map", "set", "weakmap", "registry"] },
  { name: "weakref", label: "weakref", file: "./weakref-pkg.mjs", kinds: ["map"] },
  { name: "cspell", label: "cspell", file: "./cspell.mjs", kinds: ["map"] },
  { name: "floor", label: "floor", file: "./floor.mjs", kinds: ["map", "set", "weakmap", "registry"] },
  { name: "notice-floor", label: "notice floor", file: "./notice-floor.mjs", kinds: ["map"], cases: ["game", "churn", "memory"] },
  { name: "cpython", label: "CPython", file: "./cpython.mjs", kinds: ["registry"], cases: ["registry"], external: true },
  { name: "weaktable", label: "weaktable", file: "./weaktable.mjs", kinds: ["map", "set", "weakmap", "registry"] },
  { name: "weaktable+retain", label: "wt+retain", file: "./weaktable-retain.mjs", kinds: ["map"], cases: ["id2obj", "game"] },
];

/** @param {string} name */
export async function loadContender(name) {
  const entry = contenders.find((c) => c.name === name);
  if (entry === undefined) throw new Error(`bench: unknown contender ${name} (known: ${contenders.map((c) => c.name).join(", ")})`);
  return import(new URL(entry.file, import.meta.url).href);
}

/**
 * The contenders that run in a case: those offering one of its kinds, minus the ones the case
 * leaves out (e.g. the floor where keys are not dense integers), and those limited to other cases.
 * @param {{ name: string, kinds?: string[], exclude?: string[], only?: string[] }} caseInfo
 */
export function contendersFor(caseInfo) {
  const kinds = caseInfo.kinds ?? ["map"];
  return contenders.filter(
    (c) => c.kinds.some((k) => kinds.includes(k)) && (!c.cases || c.cases.includes(caseInfo.name)) && !(caseInfo.exclude ?? []).includes(c.name) && (!caseInfo.only || caseInfo.only.includes(c.name)),
  );
}
