// A user's app bundled with esbuild, with no plugin, loader or any setting for WebAssembly: the
// module's bytes are embedded in the JavaScript (src/wasm/binary.ts), so a bundler has nothing to
// copy or rewrite. The app resolves `weaktable` and `weaktable/testing` through the package's
// `exports`, from dist/, as an installed copy would.

import { build, type BuildOptions } from "esbuild";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { assertBuilt, cleanup, projectLinkingRepo, runNode } from "./built.js";

const APP = `
import { WeakValueMap, IdRegistry, id, id2obj } from "weaktable";
import { collect } from "weaktable/testing";

const cache = new WeakValueMap();
const kept = { name: "kept" };
cache.set("kept", kept);
(() => {
  for (let i = 0; i < 100; i++) cache.set(i, { i }); // nothing else holds these
})();
const registry = new IdRegistry();
const oid = registry.remember(kept);
await collect(() => cache.size === 1);
console.log("size " + cache.size);
console.log("kept " + (cache.get("kept") === kept));
console.log("keys " + [...cache.keys()].join(","));
console.log("backend " + cache.stats().backend);
console.log("registry " + (registry.get(oid) === kept) + " " + registry.size);
const other = {};
console.log("id2obj " + (id2obj(id(other)) === other));
`;

/** The same app without top-level await, for a CommonJS bundle. */
const APP_CJS = APP.replace("await collect(() => cache.size === 1);", "collect(() => cache.size === 1).then(() => {")
  .concat("});\n");

const EXPECTED = ["size 1", "kept true", "keys kept", "backend wasm", "registry true 1", "id2obj true"];

let dir = "";
beforeAll(() => {
  assertBuilt();
  dir = projectLinkingRepo("bundler");
  writeFileSync(join(dir, "app.mjs"), APP);
  writeFileSync(join(dir, "app-cjs.mjs"), APP_CJS);
});
afterAll(cleanup);

/** Bundles with esbuild's defaults for the platform and nothing about WebAssembly. */
async function bundle(entry: string, outfile: string, options: BuildOptions): Promise<string> {
  const result = await build({
    absWorkingDir: dir,
    entryPoints: [entry],
    outfile,
    bundle: true,
    logLevel: "silent",
    metafile: true,
    ...options,
  });
  expect(result.errors).toEqual([]);
  expect(result.warnings).toEqual([]);
  const inputs = Object.keys(result.metafile!.inputs);
  expect(inputs.some((path) => path.includes("dist/src/wasm/binary.js"))).toBe(true);
  expect(inputs.filter((path) => !path.startsWith("app") && !path.includes("dist/"))).toEqual([]);
  return readFileSync(join(dir, outfile), "utf8");
}

describe("bundled with esbuild, no configuration for WebAssembly", () => {
  it("an ESM bundle for Node runs and prints the expected output", async () => {
    const text = await bundle("app.mjs", "out/app.mjs", { platform: "node", format: "esm" });
    expect(text).not.toMatch(/\.wasm\b/); // no file to fetch or copy: the bytes are inline
    const run = runNode(["--expose-gc", "out/app.mjs"], dir);
    expect(run.stderr).toBe("");
    expect(run.stdout.trim().split("\n")).toEqual(EXPECTED);
  });

  it("a CommonJS bundle works too (the package has no top-level await)", async () => {
    await bundle("app-cjs.mjs", "out/app.cjs", { platform: "node", format: "cjs" });
    const run = runNode(["--expose-gc", "out/app.cjs"], dir);
    expect(run.stderr).toBe("");
    expect(run.stdout.trim().split("\n")).toEqual(EXPECTED);
  });

  it("a browser bundle needs no Node.js built-in", async () => {
    const text = await bundle("app.mjs", "out/browser.js", { platform: "browser", format: "esm" });
    expect(text).not.toMatch(/\bfrom\s*["']node:/);
    expect(text).not.toMatch(/\brequire\(/);
  });
});
