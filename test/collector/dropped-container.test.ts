// A container dropped right after a collection gave its registry notices, then a second collection
// in the same job frees that dirty registry before its cleanup task ran. Alone, that stops every
// FinalizationRegistry of the process on V8 (collector.ts); here the container's table is freed in
// the same collection through a notice of the realm's registry, which keeps the engine's cleanup
// going. This guards that the chain holds for every container kind. Each scenario runs in a child
// process: what would break is process-wide.
import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { assertBuilt, ROOT } from "../package/built.js";

function runChild(body: string): { out: string; err: string } {
  assertBuilt();
  const script = `
    const lib = await import(${JSON.stringify(`${ROOT}dist/src/index.js`)});
    const bridge = await import(${JSON.stringify(`${ROOT}dist/src/core/collector.js`)});
    const macrotask = () => new Promise((resolve) => setImmediate(resolve));
    ${body}
    // Afterwards: does a fresh map still get its collected entry reaped, and a bare registry its notice?
    const later = new lib.WeakValueMap();
    let noticed = false;
    const bare = new FinalizationRegistry(() => (noticed = true));
    (() => {
      later.set(1, {});
      bare.register({}, 0);
    })();
    for (let i = 0; i < 200 && !(noticed && later.size === 0); i++) {
      await macrotask();
      gc();
    }
    console.log(JSON.stringify({ laterSize: later.size, noticed, collected: holder.wr.deref() === undefined }));
  `;
  const child = spawnSync(process.execPath, ["--expose-gc", "--input-type=module", "-e", script], { encoding: "utf8", timeout: 60_000 });
  return { out: child.stdout.trim(), err: child.stderr.trim() };
}

/** Fills a container of `kind` with entries whose weak part nothing else holds; returns it. */
const FILL = `
  function filled(kind) {
    const c = kind === "map" ? new lib.WeakValueMap() : kind === "set" ? new lib.IterableWeakSet() : new lib.IdRegistry();
    for (let i = 0; i < 8; i++) {
      if (kind === "map") c.set(i, {});
      else if (kind === "set") c.add({});
      else c.remember({});
    }
    return c;
  }
`;

describe.each(["map", "set", "registry"])("a dropped %s whose registry is dirty", (kind) => {
  it("is collected, and FinalizationRegistry cleanup keeps working for the rest of the process", () => {
    const { out, err } = runChild(`
      ${FILL}
      // Made in a function of its own: a register of this (suspended) module body must not hold it.
      const holder = {};
      (() => {
        holder.container = filled(${JSON.stringify(kind)});
        holder.wr = new WeakRef(holder.container);
      })();
      await macrotask(); // the job that made the weak parts ends: nothing keeps them
      gc(); // they die while the container lives: its registry is dirty, a cleanup task is posted
      holder.container = null; // same job: the container goes
      gc(); // and is collected before that task ran
    `);
    expect(err).toBe("");
    const result = JSON.parse(out) as { laterSize: number; noticed: boolean; collected: boolean };
    expect(result).toEqual({ laterSize: 0, noticed: true, collected: true });
  });
});
