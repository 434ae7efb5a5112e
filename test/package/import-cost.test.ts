// Importing weaktable compiles, instantiates and allocates nothing (issue 10 §3): the WebAssembly
// module and its memory are made by the first container that needs a table. Checked on the built
// package, in a child process whose WebAssembly constructors count their calls before the import.
import { describe, expect, it } from "vitest";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { ROOT, assertBuilt, runNode } from "./built.js";

/** Runs `body` (an ES module body) after counting WebAssembly constructions; returns what it prints. */
function countingChild(body: string): Record<string, number> {
  const index = pathToFileURL(join(ROOT, "dist/src/index.js")).href;
  const testing = pathToFileURL(join(ROOT, "dist/src/testing/index.js")).href;
  const script = `
    const counts = { Module: 0, Instance: 0, Memory: 0 };
    for (const name of Object.keys(counts)) {
      const Original = WebAssembly[name];
      WebAssembly[name] = new Proxy(Original, { construct(target, args, newTarget) { counts[name]++; return Reflect.construct(target, args, newTarget); } });
    }
    const snapshot = () => ({ ...counts });
    const weaktable = await import(${JSON.stringify(index)});
    await import(${JSON.stringify(testing)});
    const report = {};
    ${body}
    console.log(JSON.stringify(report));
  `;
  const { stdout, stderr, status } = runNode(["--input-type=module", "-e", script], ROOT);
  if (status !== 0) throw new Error(`child failed (${status}): ${stderr}`);
  return JSON.parse(stdout.trim().split("\n").pop()!) as Record<string, number>;
}

describe("import cost", () => {
  it("importing weaktable and weaktable/testing makes no WebAssembly module, instance or memory", () => {
    assertBuilt();
    const report = countingChild(`
      Object.assign(report, Object.fromEntries(Object.entries(snapshot()).map(([k, v]) => ["import." + k, v])));
      weaktable.id2obj(1); // nothing registered yet: nothing to make
      report["id2obj.Module"] = snapshot().Module;
      new weaktable.WeakValueMap().set(1, {});
      Object.assign(report, Object.fromEntries(Object.entries(snapshot()).map(([k, v]) => ["first map." + k, v])));
    `);
    expect(report).toEqual({
      "import.Module": 0,
      "import.Instance": 0,
      "import.Memory": 0,
      "id2obj.Module": 0,
      // The hook counts: the first container that needs the table does make it, once.
      "first map.Module": 1,
      "first map.Instance": 1,
      "first map.Memory": 1,
    });
  });

  it("id() makes the default registry (and the module) on first use, and only once", () => {
    assertBuilt();
    const report = countingChild(`
      const a = {};
      const oid = weaktable.id(a);
      report.same = weaktable.id2obj(oid) === a ? 1 : 0;
      weaktable.id({});
      report.Module = snapshot().Module;
    `);
    expect(report).toEqual({ same: 1, Module: 1 });
  });
});
