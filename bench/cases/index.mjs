// Every case, in report order. Each module exports `info` ({ name, description, kinds, sizes per
// mode, metrics, and optionally exclude/only (contender names), reps (at most, per size) }) and
// `run(contender, { size, mode })`, which validates its answers while it measures (a wrong answer
// throws WrongAnswer) and returns { metrics, samples, check, sizes? }: `check` must be identical
// for every contender of one case and size (the smoke check); `sizes` says whether a contender's
// size was right. `kinds` names the container kinds the case uses (see contenders/adapters.mjs):
// a contender takes part when it offers one of them. `sizes.large` (optional) are added by --large.

/** @type {ReadonlyArray<{ name: string, file: string }>} */
export const cases = [
  { name: "id2obj", file: "./id2obj.mjs" },
  { name: "registry", file: "./registry.mjs" },
  { name: "game", file: "./game.mjs" },
  { name: "sparse", file: "./sparse.mjs" },
  { name: "strings", file: "./strings.mjs" },
  { name: "set", file: "./set.mjs" },
  { name: "weakmap", file: "./weakmap.mjs" },
  { name: "insert", file: "./insert.mjs" },
  { name: "churn", file: "./churn.mjs" },
  { name: "scale", file: "./scale.mjs" },
  { name: "memory", file: "./memory.mjs" },
  { name: "memory-strings", file: "./memory-strings.mjs" },
  { name: "memory-registry", file: "./memory-registry.mjs" },
  { name: "empty", file: "./empty.mjs" },
];

/** @param {string} name */
export async function loadCase(name) {
  const entry = cases.find((c) => c.name === name);
  if (entry === undefined) throw new Error(`bench: unknown case ${name} (known: ${cases.map((c) => c.name).join(", ")})`);
  return import(new URL(entry.file, import.meta.url).href);
}
