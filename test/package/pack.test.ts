// What `npm publish` would ship, and how it loads.
//
// - Contents: only what a user needs (dist/src JavaScript and declarations, dist/assembly/layout,
//   README.md, LICENSE, package.json); no tests, benchmarks, AssemblyScript sources or build/.
// - publint (strict) and Are The Types Wrong report nothing. attw runs with `--profile esm-only`:
//   weaktable is an ESM-only package ("type": "module", exports with "types" + "default" only), so
//   the two resolutions that model CommonJS consumers are out of scope for it: `node10` (no
//   `exports` support at all, so `weaktable/testing` cannot resolve there) and `node16-cjs` (attw's
//   TypeScript models require() of ESM as an error, "dynamic import only"). Every ESM resolution
//   (node16 from ESM, bundler) must be clean.
// - CommonJS: `require("weaktable")` is supported wherever Node.js supports require() of an ES
//   module graph without top-level await (process.features.require_module: Node 20.19+, 22.12+, 24):
//   the package has no top-level await, so require() returns the same exports as import. Where
//   require(esm) is off (older Node, or --no-experimental-require-module), require() throws
//   ERR_REQUIRE_ESM and `await import("weaktable")` is the way. Both outcomes are checked here,
//   in a child process of this test's own Node binary.
//
// The tarball is made with --ignore-scripts: `prepare` would rebuild dist/ under the other tests.

import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, readdirSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ROOT, assertBuilt, cleanup, runNode, tempDir } from "./built.js";

interface PackResult {
  filename: string;
  files: Array<{ path: string }>;
}

const BIN = join(ROOT, "node_modules", ".bin");

/** Runs npm in the repository; stdout parsed as npm's --json output (warnings go to stderr). */
function npmPack(args: string[]): PackResult {
  const out = execFileSync("npm", ["pack", "--json", "--ignore-scripts", ...args], {
    cwd: ROOT,
    encoding: "utf8",
    stdio: ["ignore", "pipe", "pipe"],
  });
  return (JSON.parse(out) as PackResult[])[0]!;
}

let tarball = "";
let project = "";

beforeAll(() => {
  assertBuilt();
  const dir = tempDir("pack");
  tarball = join(dir, npmPack(["--pack-destination", dir]).filename);
  // A project with the tarball installed as npm would (the package has no dependencies).
  project = tempDir("installed");
  execFileSync("tar", ["-xzf", tarball, "-C", project]);
  execFileSync("mkdir", ["-p", join(project, "node_modules")]);
  renameSync(join(project, "package"), join(project, "node_modules", "weaktable"));
}, 120_000);
afterAll(cleanup);

describe("npm pack", () => {
  it("contains only what a user needs", () => {
    const paths = npmPack(["--dry-run"]).files.map((file) => file.path).sort();
    const allowed = [
      /^dist\/src\/.+\.(js|d\.ts)$/,
      /^dist\/assembly\/layout\.(js|d\.ts)$/,
      /^README\.md$/,
      /^LICENSE$/,
      /^package\.json$/,
    ];
    expect(paths.filter((path) => !allowed.some((pattern) => pattern.test(path)))).toEqual([]);
    const required = [
      "package.json",
      "LICENSE",
      "dist/src/index.js",
      "dist/src/index.d.ts",
      "dist/src/testing/index.js",
      "dist/src/testing/index.d.ts",
      "dist/src/wasm/binary.js",
      "dist/assembly/layout.js",
      "dist/assembly/layout.d.ts",
    ];
    if (existsSync(join(ROOT, "README.md"))) required.push("README.md");
    for (const path of required) expect(paths).toContain(path);
    // Every module of src/ is shipped, with its declarations.
    const modules = paths.filter((path) => path.endsWith(".js") && path.startsWith("dist/src/"));
    for (const js of modules) expect(paths).toContain(js.replace(/\.js$/, ".d.ts"));
  });

  it("publint --strict reports nothing", () => {
    const run = spawnSync(join(BIN, "publint"), ["run", tarball, "--strict"], { encoding: "utf8" });
    expect(run.stderr + run.stdout).toMatch(/All good!/);
    expect(run.status).toBe(0);
  });

  it("Are The Types Wrong (--profile esm-only) reports nothing", () => {
    const run = spawnSync(join(BIN, "attw"), [tarball, "--profile", "esm-only", "--no-definitely-typed", "--format", "json"], { encoding: "utf8" });
    const analysis = JSON.parse(run.stdout) as {
      analysis: { problems: Array<{ kind: string; entrypoint?: string; resolutionKind?: string }> };
    };
    const ignored = new Set(["node10", "node16-cjs"]); // what the esm-only profile leaves out
    const problems = analysis.analysis.problems.filter((p) => !(p.resolutionKind && ignored.has(p.resolutionKind)));
    expect(problems).toEqual([]);
    expect(run.status).toBe(0);
  });
});

describe("the installed tarball", () => {
  it("imports from ESM, with weaktable/testing, and works", () => {
    writeFileSync(
      join(project, "esm.mjs"),
      `import { WeakValueMap, IterableWeakMap, IterableWeakSet, IdRegistry, id, id2obj } from "weaktable";
import { collect } from "weaktable/testing";
const map = new WeakValueMap();
(() => { for (let i = 0; i < 10; i++) map.set(i, {}); })();
await collect(() => map.size === 0);
const o = {};
console.log([typeof IterableWeakMap, typeof IterableWeakSet, typeof IdRegistry, map.size, id2obj(id(o)) === o, map.stats().backend].join(" "));
`,
    );
    const run = runNode(["--expose-gc", "esm.mjs"], project);
    expect(run.stderr).toBe("");
    expect(run.stdout.trim()).toBe("function function function 0 true wasm");
  });

  it("has nothing but package.json, README.md, LICENSE and dist/", () => {
    expect(readdirSync(join(project, "node_modules", "weaktable")).sort()).toEqual(
      ["LICENSE", "README.md", "dist", "package.json"].filter((name) => name !== "README.md" || existsSync(join(ROOT, "README.md"))),
    );
  });

  // require() first: an import() of the same module still in flight when require() runs is
  // Node's ERR_REQUIRE_ESM_RACE_CONDITION (Node 24), whatever the package.
  const REQUIRE = `
try {
  const weaktable = require("weaktable");
  const { collect } = require("weaktable/testing");
  const map = new weaktable.WeakValueMap([[1, weaktable]]);
  const outcome = ["loaded", typeof collect, map.get(1) === weaktable, Object.keys(weaktable).sort().join(",")].join(" ");
  import("weaktable").then((ns) => console.log(outcome + " same-as-import:" + (ns.WeakValueMap === weaktable.WeakValueMap)));
} catch (error) {
  console.log("threw " + error.code);
}
`;

  it(`require() from CommonJS ${process.features.require_module ? "works (require(esm) is on in this Node)" : "throws ERR_REQUIRE_ESM (no require(esm) in this Node)"}`, async () => {
    writeFileSync(join(project, "cjs.cjs"), REQUIRE);
    const { WeakValueMap } = await import("../../src/index.js");
    const exports = Object.keys(await import("../../src/index.js")).sort().join(",");
    expect(typeof WeakValueMap).toBe("function");
    const run = runNode(["cjs.cjs"], project);
    if (process.features.require_module) {
      expect(run.stdout.trim()).toBe(`loaded function true ${exports} same-as-import:true`);
      expect(run.stderr).not.toMatch(/top-level await|ERR_REQUIRE_ASYNC_MODULE/);
    } else {
      expect(run.stdout.trim()).toBe("threw ERR_REQUIRE_ESM");
    }
  });

  it("require() throws ERR_REQUIRE_ESM where require(esm) is turned off", () => {
    const run = runNode(["--no-experimental-require-module", "cjs.cjs"], project);
    expect(run.stdout.trim()).toBe("threw ERR_REQUIRE_ESM");
  });
});
