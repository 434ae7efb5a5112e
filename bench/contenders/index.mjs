// Every contender, in table order. Each module exports `info`, `create()` (an adapter with
// set/get/delete/size and optionally flush/tableBytes), `empty()` (the bare container, for the
// empty-map case) and optionally `offHeapBytes()` (memory outside the V8 heap, e.g. WebAssembly).
// Modules are loaded lazily, so a child process only loads the one it measures.

/** @type {ReadonlyArray<{ name: string, label: string, file: string }>} */
export const contenders = [
  { name: "map", label: "Map", file: "./map.mjs" },
  { name: "map-weakref", label: "Map+WR", file: "./map-weakref.mjs" },
  { name: "map-weakref-fr", label: "Map+WR+FR", file: "./map-weakref-fr.mjs" },
  { name: "weakref", label: "weakref", file: "./weakref-pkg.mjs" },
  { name: "cspell", label: "cspell", file: "./cspell.mjs" },
  { name: "floor", label: "floor", file: "./floor.mjs" },
  { name: "weaktable", label: "weaktable", file: "./weaktable.mjs" },
];

/** @param {string} name */
export async function loadContender(name) {
  const entry = contenders.find((c) => c.name === name);
  if (entry === undefined) throw new Error(`bench: unknown contender ${name} (known: ${contenders.map((c) => c.name).join(", ")})`);
  return import(new URL(entry.file, import.meta.url).href);
}
