// Turns the raw per-process results into rows (medians and ratios), the printed table, the target
// verdicts and the comparison with the previous results.json. No I/O here except returning strings.

import { median } from "./util.mjs";

/**
 * @typedef {{ key: string, label: string, short?: string, unit: string, ref?: string, aggregate?: "min" }} MetricInfo
 * @typedef {{ name: string, description: string, metrics: MetricInfo[] }} CaseInfo
 * @typedef {{ name: string, label: string }} ContenderInfo
 * @typedef {{
 *   case: string, size: number, metric: string, label: string, short?: string, unit: string, ref: string | null,
 *   values: Record<string, number | null>, reps: Record<string, Array<number | null>>,
 *   ratios: Record<string, number | null>,
 * }} Row
 */

/** The targets of issue 4, for weaktable. `vs`: a contender (ratio) or absent (absolute value). */
export const TARGETS = [
  { case: "game", size: 1e4, metric: "get", vs: "map", max: 1.0, text: "game frame 1e4: get <= 1.0x strong Map" },
  { case: "game", size: 1e4, metric: "get", vs: "map-weakref", max: 0.25, text: "game frame 1e4: get <= 0.25x Map<K,WeakRef>" },
  { case: "id2obj", size: 1e5, metric: "frames", vs: "floor", max: 1.1, text: "id2obj frames 1e5: get <= 1.1x deref floor" },
  { case: "id2obj", size: 1e6, metric: "frames", vs: "floor", max: 1.1, text: "id2obj frames 1e6: get <= 1.1x deref floor" },
  { case: "churn", size: 1e5, metric: "insert", vs: "map-weakref-fr", max: 0.9, text: "churn: insert <= 0.9x hand-written Map+WR+FR" },
  { case: "memory", size: 1e6, metric: "bytes", vs: "map-weakref-fr", max: 0.8, text: "memory 1e6: bytes/entry <= 0.8x hand-written" },
  { case: "memory", size: 1e6, metric: "table", max: 24, unit: "B/entry", text: "memory 1e6: table overhead (stats().bytes) <= 24 B/entry" },
  { case: "empty", size: 1e4, metric: "bytes", max: 1024, unit: "B", text: "empty map <= 1 KiB" },
  { case: "game", size: 1e5, metric: "sizeOk", min: 1, text: "game frame 1e5: size == live count after collection" },
  { case: "game", size: 1e5, metric: "reaped", vs: "map-weakref-fr", max: 0.9, text: "game frame 1e5: spawn+destroy (incl. reaping) <= 0.9x hand-written" },
  { case: "game", size: 1e5, metric: "spawn", vs: "map-weakref-fr", max: 0.9, text: "  (same, synchronous part only)" },
];

export const SUBJECT = "weaktable";

/**
 * @param {Array<{ case: string, size: number, contender: string, rep: number, result?: any, error?: string }>} runs
 * @param {Map<string, CaseInfo>} caseInfos
 * @param {ContenderInfo[]} contenders
 * @returns {Row[]}
 */
export function buildRows(runs, caseInfos, contenders) {
  /** @type {Row[]} */
  const rows = [];
  const seen = new Set();
  for (const run of runs) {
    const key = `${run.case}|${run.size}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const info = caseInfos.get(run.case);
    if (!info) continue;
    for (const metric of info.metrics) {
      /** @type {Row} */
      const row = {
        case: run.case, size: run.size, metric: metric.key, label: metric.label, short: metric.short, unit: metric.unit,
        ref: metric.ref ?? null, values: {}, reps: {}, ratios: {},
      };
      for (const c of contenders) {
        const values = runs
          .filter((r) => r.case === run.case && r.size === run.size && r.contender === c.name && r.result)
          .map((r) => /** @type {number | null} */ (r.result.metrics[metric.key] ?? null));
        if (values.length === 0) continue;
        row.reps[c.name] = values;
        const present = /** @type {number[]} */ (values.filter((v) => v !== null));
        row.values[c.name] = present.length === 0 ? null : metric.aggregate === "min" ? Math.min(...present) : median(present);
      }
      const refValue = row.ref ? row.values[row.ref] : null;
      for (const c of contenders) {
        const v = row.values[c.name];
        row.ratios[c.name] = v == null || refValue == null || refValue === 0 ? null : v / refValue;
      }
      rows.push(row);
    }
  }
  return rows;
}

/**
 * The smoke check across processes: every contender of a case and size must give the same answers.
 * @returns {Array<{ case: string, size: number, agree: boolean, detail: string }>}
 */
export function compareAnswers(/** @type {any[]} */ runs) {
  /** @type {Map<string, any[]>} */
  const groups = new Map();
  for (const run of runs) {
    if (!run.result) continue;
    const key = `${run.case}|${run.size}`;
    if (!groups.has(key)) groups.set(key, []);
    groups.get(key)?.push(run);
  }
  const out = [];
  for (const [key, group] of groups) {
    const [name, size] = key.split("|");
    const first = JSON.stringify(group[0].result.check);
    const odd = group.filter((r) => JSON.stringify(r.result.check) !== first);
    const sizesWrong = group.filter((r) => r.result.sizes?.exact && r.result.sizes.actual !== r.result.sizes.expected);
    const problems = [
      ...odd.map((r) => `${r.contender} (rep ${r.rep}) answered ${JSON.stringify(r.result.check)}, ${group[0].contender} ${first}`),
      ...sizesWrong.map((r) => `${r.contender} (rep ${r.rep}) ended with size ${r.result.sizes.actual}, expected ${r.result.sizes.expected}`),
    ];
    out.push({ case: name, size: Number(size), agree: problems.length === 0, detail: problems.join("; ") });
  }
  return out;
}

/** @param {number} n */
export function fmtSize(n) {
  const k = Math.log10(n);
  return Number.isInteger(k) && k >= 3 ? `1e${k}` : String(n);
}

/** @param {number | null | undefined} v @param {string} unit */
export function fmtValue(v, unit) {
  if (v == null) return "-";
  if (unit === "bool") return v >= 1 ? "yes" : "NO";
  const a = Math.abs(v);
  if (a >= 1e5) return `${(v / 1e3).toFixed(0)}k`;
  if (a >= 100) return v.toFixed(0);
  if (a >= 10) return v.toFixed(1);
  return v.toFixed(2);
}

/** @param {number | null | undefined} r */
export function fmtRatio(r) {
  if (r == null) return "-";
  if (r >= 100) return `${r.toFixed(0)}x`;
  if (r >= 10) return `${r.toFixed(1)}x`;
  return `${r.toFixed(2)}x`;
}

/**
 * The printed table: per metric a line of medians and a line of ratios to the metric's reference.
 * @param {Row[]} rows
 * @param {ContenderInfo[]} contenders
 * @param {Map<string, number>} [previous] weaktable's values of the last results.json, by row id
 */
export function formatTable(rows, contenders, previous) {
  const W = 10;
  const head = "case   N     metric".padEnd(52);
  const hasPrev = previous !== undefined && previous.size > 0;
  const lines = [head + contenders.map((c) => c.label.padStart(W)).join("") + (hasPrev ? "  wt vs last".padStart(13) : "")];
  lines.push("-".repeat(lines[0].length));
  let lastCase = "";
  for (const row of rows) {
    if (row.case !== lastCase && lastCase !== "") lines.push("");
    lastCase = row.case;
    const name = `${row.case.padEnd(6)} ${fmtSize(row.size).padEnd(5)} ${row.label} (${row.unit})`;
    let line = name.padEnd(52).slice(0, 52) + contenders.map((c) => fmtValue(row.values[c.name], row.unit).padStart(W)).join("");
    if (hasPrev) {
      const before = previous.get(rowId(row));
      const now = row.values[SUBJECT];
      line += (before != null && now != null && before !== 0 && row.unit !== "bool"
        ? `${now >= before ? "+" : ""}${(((now - before) / before) * 100).toFixed(0)}%`
        : "").padStart(13);
    }
    lines.push(line);
    if (row.ref) {
      const refLabel = contenders.find((c) => c.name === row.ref)?.label ?? row.ref;
      lines.push(`${" ".repeat(13)}x ${refLabel}`.padEnd(52) + contenders.map((c) => fmtRatio(row.ratios[c.name]).padStart(W)).join(""));
    }
  }
  return lines.join("\n");
}

/** @param {{ case: string, size: number, metric: string }} row */
export const rowId = (row) => `${row.case}|${row.size}|${row.metric}`;

/**
 * The target verdicts for weaktable. A target whose size was not measured (quick mode) is judged at
 * the largest size measured, and says so.
 * @param {Row[]} rows
 */
export function evaluateTargets(rows) {
  return TARGETS.map((t) => {
    const candidates = rows.filter((r) => r.case === t.case && r.metric === t.metric);
    const row = candidates.find((r) => r.size === t.size) ?? candidates.sort((a, b) => b.size - a.size)[0];
    if (!row) return { ...t, measured: null, pass: null, note: "not measured" };
    const note = row.size === t.size ? "" : `measured at N=${fmtSize(row.size)}, not ${fmtSize(t.size)}`;
    const value = row.values[SUBJECT];
    if (value == null) return { ...t, measured: null, pass: null, note: note || "no result" };
    if (t.min !== undefined) return { ...t, measured: value, pass: value >= t.min, note };
    const base = t.vs ? row.values[t.vs] : null;
    const measured = t.vs ? (base ? value / base : null) : value;
    if (measured == null) return { ...t, measured: null, pass: null, note: note || `no ${t.vs} result` };
    return { ...t, measured, pass: measured <= /** @type {number} */ (t.max), note };
  });
}

/** @param {ReturnType<typeof evaluateTargets>} verdicts */
export function formatTargets(verdicts) {
  const lines = ["Targets (weaktable):"];
  for (const v of verdicts) {
    let measured = "-";
    if (v.measured != null) {
      if (v.min !== undefined) measured = v.measured >= 1 ? "yes" : "no";
      else if (v.vs) measured = fmtRatio(v.measured);
      else measured = `${fmtValue(v.measured, "")} ${v.unit ?? ""}`.trim();
    }
    const verdict = v.pass == null ? "n/a " : v.pass ? "PASS" : "FAIL";
    lines.push(`  ${verdict}  ${v.text.padEnd(68)} ${measured.padStart(11)}${v.note ? `   (${v.note})` : ""}`);
  }
  return lines.join("\n");
}
