// Every case, in report order. Each module exports `info` ({ name, description, sizes per mode,
// metrics }) and `run(contender, { size, mode })`, which validates its answers while it measures
// and returns { metrics, samples, check, sizes? }: `check` must be identical for every contender
// of one case and size (the smoke check); `sizes` says whether a contender's size was right.

/** @type {ReadonlyArray<{ name: string, file: string }>} */
export const cases = [
  { name: "id2obj", file: "./id2obj.mjs" },
  { name: "game", file: "./game.mjs" },
  { name: "churn", file: "./churn.mjs" },
  { name: "memory", file: "./memory.mjs" },
  { name: "empty", file: "./empty.mjs" },
];

/** @param {string} name */
export async function loadCase(name) {
  const entry = cases.find((c) => c.name === name);
  if (entry === undefined) throw new Error(`bench: unknown case ${name} (known: ${cases.map((c) => c.name).join(", ")})`);
  return import(new URL(entry.file, import.meta.url).href);
}
