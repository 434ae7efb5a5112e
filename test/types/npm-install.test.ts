// What npm users meet (issue 12 §3): installing the packed package runs no script of ours (npm
// warns about any install-time script, `prepare` included, even though it would not run it for a
// tarball), the installed package imports, and a clone that cannot build says in one line what to
// run. The build itself is `npm run build`, `npm test` (which builds first) and `prepack`.
import { execFileSync, spawnSync } from "node:child_process";
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { createRequire } from "node:module";
import { afterAll, describe, expect, it } from "vitest";
import { ROOT, assertBuilt, cleanup, runNode, tempDir } from "../package/built.js";

afterAll(cleanup);

const INSTALL_SCRIPTS = ["preinstall", "install", "postinstall", "prepare"];

describe("installing weaktable", () => {
  it("package.json has no install-time script, and the build runs before pack and publish", () => {
    const manifest = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { scripts: Record<string, string> };
    expect(Object.keys(manifest.scripts).filter((name) => INSTALL_SCRIPTS.includes(name))).toEqual([]);
    expect(manifest.scripts.prepack).toMatch(/scripts\/build\.mjs/);
    expect(manifest.scripts.test).toMatch(/^node scripts\/build\.mjs && /);
  });

  it("npm install of the tarball prints no install-scripts warning, and the package imports", () => {
    assertBuilt();
    const dir = tempDir("install-tarball");
    const out = execFileSync("npm", ["pack", "--json", "--ignore-scripts", "--pack-destination", dir], { cwd: ROOT, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
    const tarball = join(dir, (JSON.parse(out) as Array<{ filename: string }>)[0]!.filename);
    const project = join(dir, "project");
    mkdirSync(project);
    writeFileSync(join(project, "package.json"), JSON.stringify({ name: "consumer", private: true, type: "module" }));
    // The package has no dependencies, so this needs no registry.
    const install = spawnSync("npm", ["install", "--offline", "--no-audit", "--no-fund", tarball], { cwd: project, encoding: "utf8", timeout: 120_000 });
    expect(install.status, install.stderr).toBe(0);
    expect(install.stdout + install.stderr).not.toMatch(/install-scripts|weaktable@[^ ]* \(/);
    const run = runNode(["--input-type=module", "-e", "import { WeakValueMap } from 'weaktable'; const o = {}; console.log(new WeakValueMap([[1, o]]).get(1) === o)"], project);
    expect(run.stdout.trim(), run.stderr).toBe("true");
  }, 120_000);

  it("no locked package refuses this Node (npm install in the repository warns no EBADENGINE)", () => {
    // semver comes with npm's own tooling in node_modules (a dependency of several devDependencies).
    const semver = createRequire(join(ROOT, "package.json"))("semver") as { satisfies(version: string, range: string): boolean };
    const lock = JSON.parse(readFileSync(join(ROOT, "package-lock.json"), "utf8")) as { packages: Record<string, { engines?: { node?: string }; optional?: boolean }> };
    const refusing = Object.entries(lock.packages)
      .filter(([, entry]) => !entry.optional && typeof entry.engines?.node === "string" && !semver.satisfies(process.version, entry.engines.node))
      .map(([path, entry]) => `${path} wants node ${entry.engines!.node}`);
    expect(refusing).toEqual([]);
  });

  it("the build, where devDependencies were never installed, says in one line what to run", () => {
    const clone = tempDir("uninstalled-clone");
    mkdirSync(join(clone, "scripts"));
    copyFileSync(join(ROOT, "scripts/build.mjs"), join(clone, "scripts/build.mjs"));
    writeFileSync(join(clone, "package.json"), JSON.stringify({ name: "weaktable", type: "module" }));
    const { stderr, status } = runNode(["scripts/build.mjs"], clone);
    expect(status).toBe(1);
    const lines = stderr.trim().split("\n");
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^weaktable: building needs the devDependencies: run `npm install && npm run build` in /);
  });
});
