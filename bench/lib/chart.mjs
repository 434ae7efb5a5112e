// bench/chart.svg, by hand and without dependencies: one group of bars per measured row (case,
// size, metric), one bar per contender, each the contender's ratio to the row's reference on a
// log scale. Bars start at the 1x line: up means more time or bytes than the reference, down less.

import { fmtRatio, fmtSize, TARGETS } from "./report.mjs";

/** Colours per contender, in table order; weaktable gets the strongest one. */
const COLOURS = {
  map: "#9e9e9e",
  "map-weakref": "#c9b27c",
  "map-weakref-fr": "#e08b3c",
  weakref: "#7cb5d9",
  cspell: "#8fc98f",
  floor: "#545454",
  "notice-floor": "#7a7a7a",
  cpython: "#3b7a57",
  weaktable: "#6b3fc4",
  "weaktable+retain": "#a98be0",
};

/** Rows left out of the chart: booleans, absolute-only metrics and the engine's own gc() time. */
const SKIP_METRICS = new Set(["sizeOk", "table", "gc"]);
/** The chart shows the metrics that a target judges (at every size measured): the table has the rest. */
const CHARTED = new Set(TARGETS.filter((t) => t.min === undefined).map((t) => `${t.case}|${t.metric}`));

const colour = (/** @type {string} */ name) => COLOURS[/** @type {keyof typeof COLOURS} */ (name)] ?? "#888";

const esc = (/** @type {string} */ s) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

/**
 * @param {import("./report.mjs").Row[]} rows
 * @param {import("./report.mjs").ContenderInfo[]} contenders
 * @param {{ title: string, subtitle: string }} text
 */
export function renderChart(rows, contenders, text) {
  const groups = rows.filter((r) => r.ref && !SKIP_METRICS.has(r.metric) && CHARTED.has(`${r.case}|${r.metric}`) && Object.values(r.ratios).some((x) => x != null));
  // Panels of at most PER_ROW groups, one under the other, all on the same scale, so that the
  // chart stays about 1 000 px wide and readable where the README shows it.
  const PER_ROW = 10;
  const bar = 10;
  const groupWidth = contenders.length * bar + 22;
  const left = 64;
  const header = 80;
  const plotHeight = 220;
  const labelSpace = 56;
  const panelCount = Math.max(1, Math.ceil(groups.length / PER_ROW));
  const width = Math.max(720, left + Math.min(PER_ROW, groups.length) * groupWidth + 16);
  const height = header + panelCount * (plotHeight + labelSpace) + 16;

  const ratios = groups.flatMap((g) => Object.values(g.ratios).filter((x) => x != null && x > 0));
  const lo = Math.min(0.1, ...ratios.map((r) => /** @type {number} */ (r)));
  const hi = Math.max(10, ...ratios.map((r) => /** @type {number} */ (r)));
  const minExp = Math.floor(Math.log10(Math.max(lo, 1e-3)));
  const maxExp = Math.ceil(Math.log10(Math.min(hi, 1e4)));
  const tick = (/** @type {number} */ r) => `${+r.toPrecision(2)}x`;

  const out = [];
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="system-ui, -apple-system, Segoe UI, Helvetica, Arial, sans-serif" font-size="11">`);
  out.push(`<rect width="${width}" height="${height}" fill="#ffffff"/>`);
  out.push(`<text x="${left}" y="22" font-size="15" font-weight="600">${esc(text.title)}</text>`);
  out.push(`<text x="${left}" y="40" fill="#555">${esc(text.subtitle)}</text>`);

  // Legend.
  let lx = left;
  for (const c of contenders) {
    out.push(`<rect x="${lx}" y="53" width="11" height="11" fill="${colour(c.name)}"/>`);
    out.push(`<text x="${lx + 15}" y="63">${esc(c.label)}</text>`);
    lx += 32 + c.label.length * 7;
  }

  for (let panel = 0; panel < panelCount; panel++) {
    const top = header + panel * (plotHeight + labelSpace);
    const y = (/** @type {number} */ r) => {
      const clamped = Math.min(Math.max(r, 10 ** minExp), 10 ** maxExp);
      return top + plotHeight * (1 - (Math.log10(clamped) - minExp) / (maxExp - minExp));
    };
    // Grid: 1, 2, 5 per decade; the 1x line (the reference) darker.
    for (let e = minExp; e <= maxExp; e++) {
      for (const m of [1, 2, 5]) {
        const r = m * 10 ** e;
        if (r > 10 ** maxExp) continue;
        const yy = y(r).toFixed(1);
        out.push(`<line x1="${left}" x2="${width - 12}" y1="${yy}" y2="${yy}" stroke="${r === 1 ? "#222" : m === 1 ? "#ccc" : "#eee"}" stroke-width="${r === 1 ? 1.2 : 1}"/>`);
        if (m === 1 || maxExp - minExp <= 3) out.push(`<text x="${left - 6}" y="${(+yy + 4).toFixed(1)}" text-anchor="end" fill="#444">${tick(r)}</text>`);
      }
    }
    out.push(`<text transform="translate(16 ${top + plotHeight / 2}) rotate(-90)" text-anchor="middle" fill="#444" font-size="10">ratio to reference (log)</text>`);

    groups.slice(panel * PER_ROW, (panel + 1) * PER_ROW).forEach((g, i) => {
      const gx = left + 12 + i * groupWidth;
      if (i > 0) out.push(`<line x1="${gx - 11}" x2="${gx - 11}" y1="${top}" y2="${top + plotHeight}" stroke="#f0f0f0"/>`);
      contenders.forEach((c, j) => {
        const r = g.ratios[c.name];
        if (r == null || !(r > 0)) return;
        const y1 = y(1);
        const yr = y(r);
        const x = gx + j * bar;
        const h = Math.max(Math.abs(yr - y1), 1);
        const value = g.values[c.name];
        out.push(`<rect x="${x}" y="${Math.min(yr, y1).toFixed(1)}" width="${bar - 2}" height="${h.toFixed(1)}" fill="${colour(c.name)}"><title>${esc(`${c.label}: ${fmtRatio(r)} (${value == null ? "-" : +value.toPrecision(4)} ${g.unit})`)}</title></rect>`);
        if (c.name === "weaktable") {
          const ty = r >= 1 ? yr - 3 : yr + 10;
          out.push(`<text x="${x + (bar - 2) / 2}" y="${ty.toFixed(1)}" text-anchor="middle" font-size="9" font-weight="600" fill="${colour(c.name)}">${fmtRatio(r)}</text>`);
        }
      });
      const cx = gx + ((contenders.length - 1) * bar) / 2;
      const refLabel = contenders.find((c) => c.name === g.ref)?.label ?? g.ref;
      const labels = [`${g.case.replace("memory-", "mem. ")} ${fmtSize(g.size)}`, g.short ?? g.label, `vs ${refLabel}`];
      labels.forEach((l, k) => {
        out.push(`<text x="${cx}" y="${top + plotHeight + 15 + k * 13}" text-anchor="middle" fill="${k === 2 ? "#777" : "#222"}" font-size="${k === 0 ? 11 : 10}">${esc(l.length > 19 ? l.slice(0, 18) + "…" : l)}</text>`);
      });
    });
  }
  out.push(`</svg>`);
  return out.join("\n") + "\n";
}
